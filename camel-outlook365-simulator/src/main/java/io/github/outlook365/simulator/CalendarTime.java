package io.github.outlook365.simulator;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Graph's dateTimeTimeZone values: Windows time zone names ("Pacific Standard Time") or IANA names, local date-times
 * with seven fractional digits, and the {@code Prefer: outlook.timezone} header.
 */
final class CalendarTime {

    /** The Windows names Graph uses most, and their IANA zones (CLDR windowsZones, territory 001). */
    static final Map<String, String> WINDOWS = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    static {
        WINDOWS.put("UTC", "UTC");
        WINDOWS.put("Coordinated Universal Time", "UTC");
        WINDOWS.put("Dateline Standard Time", "Etc/GMT+12");
        WINDOWS.put("Hawaiian Standard Time", "Pacific/Honolulu");
        WINDOWS.put("Alaskan Standard Time", "America/Anchorage");
        WINDOWS.put("Pacific Standard Time", "America/Los_Angeles");
        WINDOWS.put("Mountain Standard Time", "America/Denver");
        WINDOWS.put("US Mountain Standard Time", "America/Phoenix");
        WINDOWS.put("Central Standard Time", "America/Chicago");
        WINDOWS.put("Eastern Standard Time", "America/New_York");
        WINDOWS.put("Atlantic Standard Time", "America/Halifax");
        WINDOWS.put("E. South America Standard Time", "America/Sao_Paulo");
        WINDOWS.put("GMT Standard Time", "Europe/London");
        WINDOWS.put("Greenwich Standard Time", "Atlantic/Reykjavik");
        WINDOWS.put("W. Europe Standard Time", "Europe/Berlin");
        WINDOWS.put("Central Europe Standard Time", "Europe/Budapest");
        WINDOWS.put("Romance Standard Time", "Europe/Paris");
        WINDOWS.put("Central European Standard Time", "Europe/Warsaw");
        WINDOWS.put("GTB Standard Time", "Europe/Bucharest");
        WINDOWS.put("FLE Standard Time", "Europe/Kiev");
        WINDOWS.put("Israel Standard Time", "Asia/Jerusalem");
        WINDOWS.put("Russian Standard Time", "Europe/Moscow");
        WINDOWS.put("Arabian Standard Time", "Asia/Dubai");
        WINDOWS.put("India Standard Time", "Asia/Kolkata");
        WINDOWS.put("SE Asia Standard Time", "Asia/Bangkok");
        WINDOWS.put("China Standard Time", "Asia/Shanghai");
        WINDOWS.put("Singapore Standard Time", "Asia/Singapore");
        WINDOWS.put("Tokyo Standard Time", "Asia/Tokyo");
        WINDOWS.put("Korea Standard Time", "Asia/Seoul");
        WINDOWS.put("AUS Eastern Standard Time", "Australia/Sydney");
        WINDOWS.put("New Zealand Standard Time", "Pacific/Auckland");
    }

    static final DateTimeFormatter GRAPH_LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSS");
    private static final Pattern PREFER_TZ = Pattern.compile("(?i)outlook\\.timezone\\s*=\\s*\"?([^\";]+)\"?");

    private CalendarTime() {
    }

    /** The zone of a Windows or IANA name, or a 400 TimeZoneNotSupportedException. */
    static ZoneId zone(String name) {
        if (name == null || name.isBlank()) {
            throw unsupported(String.valueOf(name));
        }
        String iana = WINDOWS.get(name.trim());
        try {
            return ZoneId.of(iana != null ? iana : name.trim());
        } catch (DateTimeException e) {
            throw unsupported(name);
        }
    }

    static GraphException unsupported(String name) {
        return new GraphException(400, "TimeZoneNotSupportedException",
                "A valid TimeZone value must be specified. The following TimeZone value is not supported: '" + name
                        + "'.");
    }

    /** A dateTimeTimeZone object as an instant; {@code what} names the property in errors. */
    static Instant instant(JsonNode dateTimeTimeZone, String what) {
        if (dateTimeTimeZone == null || !dateTimeTimeZone.isObject()) {
            throw new GraphException(400, "ErrorInvalidRequest", "The property '" + what + "' is required.");
        }
        ZoneId zone = zone(dateTimeTimeZone.path("timeZone").asText(null));
        return local(dateTimeTimeZone.path("dateTime").asText(null), what).atZone(zone).toInstant();
    }

    static LocalDateTime local(String text, String what) {
        if (text == null) {
            throw new GraphException(400, "ErrorInvalidRequest", "The property '" + what + "' has no dateTime.");
        }
        try {
            return LocalDateTime.parse(text.endsWith("Z") ? text.substring(0, text.length() - 1) : text);
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
            } catch (DateTimeParseException e2) {
                throw new GraphException(400, "RequestBodyRead",
                        "Cannot convert the literal '" + text + "' to the expected type 'Edm.DateTime' of " + what + ".");
            }
        }
    }

    /** A query parameter such as startDateTime: ISO-8601 with an offset, or local (read as UTC). */
    static Instant queryInstant(HttpCall call, String name) {
        String value = call.param(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim()).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(value.trim()).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw new GraphException(400, "ErrorInvalidParameter",
                        "The value '" + value + "' of parameter '" + name + "' is not a valid date-time.");
            }
        }
    }

    /** {"dateTime": "...0000000", "timeZone": name} of an instant in a zone. */
    static ObjectNode render(Instant instant, String zoneName) {
        ZoneId zone = zone(zoneName);
        ObjectNode node = Json.object();
        node.put("dateTime", GRAPH_LOCAL.format(instant.atZone(zone).toLocalDateTime()));
        node.put("timeZone", zoneName);
        return node;
    }

    /** The zone name of the Prefer: outlook.timezone header, or "UTC". */
    static String preferredZone(List<String> preferHeaders) {
        for (String header : preferHeaders) {
            Matcher m = PREFER_TZ.matcher(header);
            if (m.find()) {
                String name = m.group(1).trim();
                zone(name);
                return name;
            }
        }
        return "UTC";
    }

    static boolean hasPreferredZone(List<String> preferHeaders) {
        return preferHeaders.stream().anyMatch(h -> h.toLowerCase(Locale.ROOT).contains("outlook.timezone"));
    }
}

package io.github.outlook365.camel.calendar;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.Map;

import io.github.outlook365.camel.model.DateTimeTimeZone;
import io.github.outlook365.camel.model.GraphTimeZones;

/**
 * Turns what routes give as a time (text, java.time values, Graph's dateTimeTimeZone) into Graph's dateTimeTimeZone
 * without moving it: a zone given is kept, an offset becomes the {@code timeZone} option's zone (same instant) or UTC,
 * and a local time takes the {@code timeZone} option's zone or is refused, never silently read as UTC.
 */
final class CalendarTimes {

    private static final DateTimeFormatter QUERY = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'");

    private CalendarTimes() {
    }

    /**
     * @param value       the time
     * @param defaultZone the timeZone option (Windows or IANA name) or null
     * @param what        names the header, option or body key, for errors
     */
    static DateTimeTimeZone dateTimeTimeZone(Object value, String defaultZone, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is missing: give a date-time such as 2025-03-10T09:00:00+01:00");
        }
        if (value instanceof DateTimeTimeZone d) {
            check(d.timeZone(), what);
            try {
                d.localDateTime();
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(what + " '" + d.dateTime() + "' is not a date-time", e);
            }
            return d;
        }
        if (value instanceof Map<?, ?> map && map.containsKey("dateTime")) {
            Object zone = map.get("timeZone");
            return dateTimeTimeZone(new DateTimeTimeZone(String.valueOf(map.get("dateTime")),
                    zone == null ? defaultZone : String.valueOf(zone)), defaultZone, what);
        }
        if (value instanceof ZonedDateTime z) {
            // an offset is no zone: keep the instant, in the timeZone option's zone or UTC
            return z.getZone() instanceof ZoneOffset ? fromInstant(z.toInstant(), defaultZone) : DateTimeTimeZone.of(z);
        }
        if (value instanceof OffsetDateTime o) {
            return fromInstant(o.toInstant(), defaultZone);
        }
        if (value instanceof Instant i) {
            return fromInstant(i, defaultZone);
        }
        if (value instanceof Date d) {
            return fromInstant(d.toInstant(), defaultZone);
        }
        if (value instanceof LocalDateTime l) {
            return local(l, defaultZone, what, l.toString());
        }
        if (value instanceof LocalDate l) {
            return local(l.atStartOfDay(), defaultZone, what, l.toString());
        }
        String text = String.valueOf(value).trim();
        try {
            return dateTimeTimeZone(ZonedDateTime.parse(text, DateTimeFormatter.ISO_ZONED_DATE_TIME), defaultZone, what);
        } catch (DateTimeParseException ignored) {
            // not with a zone
        }
        if (!text.contains("[")) {
            try {
                return fromInstant(OffsetDateTime.parse(text).toInstant(), defaultZone);
            } catch (DateTimeParseException ignored) {
                // not with an offset
            }
        }
        try {
            return local(LocalDateTime.parse(text), defaultZone, what, text);
        } catch (DateTimeParseException ignored) {
            // not a local date-time
        }
        try {
            return local(LocalDate.parse(text).atStartOfDay(), defaultZone, what, text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not a date-time: use ISO-8601 such as"
                                               + " 2025-03-10T09:00:00+01:00, 2025-03-10T09:00:00[Europe/Paris], or"
                                               + " 2025-03-10T09:00:00 with the timeZone option", e);
        }
    }

    private static DateTimeTimeZone fromInstant(Instant instant, String defaultZone) {
        if (defaultZone == null || defaultZone.isBlank()) {
            return DateTimeTimeZone.of(LocalDateTime.ofInstant(instant, ZoneOffset.UTC), "UTC");
        }
        return DateTimeTimeZone.of(LocalDateTime.ofInstant(instant, GraphTimeZones.zone(defaultZone)), defaultZone);
    }

    private static DateTimeTimeZone local(LocalDateTime local, String defaultZone, String what, String text) {
        if (defaultZone == null || defaultZone.isBlank()) {
            throw new IllegalArgumentException(what + " '" + text + "' has no time zone: give an offset"
                                               + " (2025-03-10T09:00:00+01:00) or a zone ([Europe/Paris]), or set the"
                                               + " timeZone option");
        }
        return DateTimeTimeZone.of(local, defaultZone);
    }

    private static void check(String zone, String what) {
        try {
            GraphTimeZones.zone(zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
    }

    static Instant instant(Object value, String defaultZone, String what) {
        return dateTimeTimeZone(value, defaultZone, what).toZonedDateTime().toInstant();
    }

    /** A value for startDateTime/endDateTime query parameters: UTC with a Z. */
    static String queryValue(Instant instant) {
        return QUERY.format(instant.atOffset(ZoneOffset.UTC));
    }

    /** Checks the timeZone option at route start; null when empty. */
    static String checkOption(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return null;
        }
        try {
            ZoneId zone = GraphTimeZones.zone(timeZone);
            return zone == null ? null : timeZone.trim();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("option timeZone: " + e.getMessage(), e);
        }
    }
}

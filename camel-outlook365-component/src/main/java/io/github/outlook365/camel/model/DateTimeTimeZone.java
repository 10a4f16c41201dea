package io.github.outlook365.camel.model;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Graph's dateTimeTimeZone: a local date-time ({@code 2025-03-10T09:00:00.0000000}) and the zone it is in, by Windows
 * or IANA name. {@link #toZonedDateTime()} gives the zone-aware value; nothing is shifted to UTC on the way.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DateTimeTimeZone(String dateTime, String timeZone) {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    /** The same local time and zone; the zone is named by its IANA id. */
    public static DateTimeTimeZone of(ZonedDateTime value) {
        return new DateTimeTimeZone(LOCAL.format(value.toLocalDateTime()), value.getZone().getId());
    }

    /** A local date-time in a zone named the Windows or IANA way. */
    public static DateTimeTimeZone of(LocalDateTime value, String timeZone) {
        GraphTimeZones.zone(timeZone);
        return new DateTimeTimeZone(LOCAL.format(value), timeZone);
    }

    @JsonIgnore
    public LocalDateTime localDateTime() {
        String text = dateTime.endsWith("Z") ? dateTime.substring(0, dateTime.length() - 1) : dateTime;
        return LocalDateTime.parse(text);
    }

    /** The value in its own zone (a Windows name is mapped to its IANA zone). */
    public ZonedDateTime toZonedDateTime() {
        return localDateTime().atZone(GraphTimeZones.zone(timeZone));
    }

    public OffsetDateTime toOffsetDateTime() {
        return toZonedDateTime().toOffsetDateTime();
    }

    @Override
    public String toString() {
        return dateTime + " (" + timeZone + ")";
    }
}

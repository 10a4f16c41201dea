package io.github.outlook365.camel.calendar;

import java.time.ZoneId;
import java.time.ZonedDateTime;

import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.model.DateTimeTimeZone;
import io.github.outlook365.camel.model.Event;
import io.github.outlook365.camel.model.GraphTimeZones;
import org.apache.camel.Message;

/**
 * The headers every calendar trigger sets for an event, with its times in the {@code timeZone} option's zone (or the
 * zone Graph gave) — one place, so the triggers cannot drift apart.
 */
final class EventHeaders {

    private EventHeaders() {
    }

    /** Event id, start, end and type; {@code timeZone} may be null. */
    static void set(Message in, Event event, String timeZone) {
        in.setHeader(Outlook365Constants.EVENT_ID, event.id());
        in.setHeader(Outlook365Constants.START_DATE_TIME, zoned(event.start(), timeZone));
        in.setHeader(Outlook365Constants.END_DATE_TIME, zoned(event.end(), timeZone));
        in.setHeader(Outlook365Constants.EVENT_TYPE, event.type());
    }

    /** What the change and startingSoon triggers add: subject, series, calendar and mailbox. */
    static void setWithCalendar(Message in, Event event, String timeZone, String calendarId, String account) {
        set(in, event, timeZone);
        in.setHeader(Outlook365Constants.SUBJECT, event.subject());
        in.setHeader(Outlook365Constants.SERIES_MASTER_ID, event.seriesMasterId());
        in.setHeader(Outlook365Constants.CALENDAR_ID, calendarId);
        in.setHeader(Outlook365Constants.ACCOUNT, account);
    }

    static ZonedDateTime zoned(DateTimeTimeZone value, String timeZone) {
        if (value == null) {
            return null;
        }
        ZonedDateTime z = value.toZonedDateTime();
        ZoneId zone = timeZone == null ? null : GraphTimeZones.zone(timeZone);
        return zone == null ? z : z.withZoneSameInstant(zone);
    }
}

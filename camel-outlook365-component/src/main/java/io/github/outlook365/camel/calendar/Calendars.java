package io.github.outlook365.camel.calendar;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.GraphRefusals;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Exception;
import io.github.outlook365.camel.auth.GraphPermission;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.model.Calendar;

/**
 * Finds calendars by name or id, and turns Graph's refusals of calendar requests into errors that say what to fix.
 */
final class Calendars {

    private Calendars() {
    }

    /** Every calendar of the connection's mailbox, following Graph's pages. */
    static List<Calendar> list(Outlook365Connection connection) {
        List<Calendar> calendars = new ArrayList<>();
        String url = connection.mailboxPath() + "/calendars?$top=50";
        try {
            while (url != null) {
                JsonNode page = connection.graph().get(connection.account(), url);
                page.path("value").forEach(c -> calendars.add(Calendar.fromGraph(c)));
                url = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
            }
        } catch (GraphException e) {
            throw explain(e, connection, null, "list the calendars of");
        }
        return calendars;
    }

    /**
     * The path below the mailbox of the calendar the {@code calendar} option names: {@code /calendars/{id}}, or
     * {@code /calendar} (the default calendar) when it is empty.
     */
    static String path(Outlook365Connection connection, String calendar) {
        if (calendar == null || calendar.isBlank()) {
            return "/calendar";
        }
        return "/calendars/" + GraphClient.encodePathSegment(resolve(connection, calendar).id());
    }

    /** What a calendar trigger watches, for logs and JMX: the calendar once resolved, else the option as given. */
    static String describe(Calendar resolved, String option) {
        return resolved != null ? resolved.name() : option == null || option.isBlank() ? "default calendar" : option;
    }

    /** The calendar the option names (by id, or by name ignoring case). */
    static Calendar resolve(Outlook365Connection connection, String calendar) {
        List<Calendar> all = list(connection);
        if (calendar == null || calendar.isBlank()) {
            return all.stream().filter(c -> Boolean.TRUE.equals(c.isDefaultCalendar())).findFirst()
                    .orElse(all.isEmpty() ? null : all.get(0));
        }
        String wanted = calendar.trim();
        for (Calendar c : all) {
            if (wanted.equals(c.id())) {
                return c;
            }
        }
        for (Calendar c : all) {
            if (wanted.equalsIgnoreCase(c.name())) {
                return c;
            }
        }
        throw new Outlook365Exception("option calendar='" + wanted + "': mailbox '" + connection.account()
                                      + "' has no calendar of that name or id; its calendars are "
                                      + all.stream().map(Calendar::name).toList()
                                      + " (leave the option empty for the default calendar)");
    }

    /**
     * The event (or occurrence) as Graph has it now ({@code GET /events/{id}}), or null when it is gone: deleted, or a
     * meeting its organizer cancelled.
     */
    static JsonNode current(Outlook365Connection connection, String eventId) {
        JsonNode event;
        try {
            event = connection.graph().get(connection.account(), connection.eventPath(eventId));
        } catch (GraphException e) {
            if (e.getStatus() == 404) {
                return null;
            }
            throw explain(e, connection, eventId, "read events of");
        }
        return event.path("isCancelled").asBoolean(false) ? null : event;
    }

    /**
     * An error of a calendar trigger that names what was asked and what to do.
     *
     * @param eventId the event the request was about, or null
     * @param doing   e.g. "watch", "read events of"
     */
    static RuntimeException explain(GraphException e, Outlook365Connection connection, String eventId, String doing) {
        if (GraphRefusals.isNotAMailbox(e)) {
            return GraphRefusals.notAMailbox(e, connection);
        }
        if (e.getStatus() == 403) {
            // triggers only read
            return GraphRefusals.accessDenied(e, connection, doing + " the calendar of", GraphPermission.CALENDARS_READ);
        }
        return explain(e, connection.account(), eventId);
    }

    /**
     * What a refusal about an event means: not found, an unknown time zone, not the organizer, an end before the start;
     * {@code e} itself for anything else.
     *
     * @param eventId the event the request was about, or null
     */
    static RuntimeException explain(GraphException e, String account, String eventId) {
        String code = e.getCode() == null ? "" : e.getCode();
        String rid = " (request-id " + e.getRequestId() + ")";
        if (eventId != null && (e.getStatus() == 404 || code.equalsIgnoreCase("ErrorInvalidIdMalformed"))) {
            return new Outlook365Exception("event '" + eventId + "' (header " + Outlook365Constants.EVENT_ID + ") was not"
                                           + " found in the calendars of '" + account + "' (" + code + "): it may have been"
                                           + " deleted, or belong to another mailbox; give the id a trigger or"
                                           + " createEvent/listEvents set" + rid, e);
        }
        if (code.equalsIgnoreCase("TimeZoneNotSupportedException")) {
            return new Outlook365Exception("Graph does not know a time zone of the request (" + e.getGraphMessage()
                                           + "): use an IANA name such as Europe/Paris or a Windows name such as"
                                           + " W. Europe Standard Time" + rid, e);
        }
        if (code.equalsIgnoreCase("ErrorCalendarIsNotOrganizer")) {
            return new Outlook365Exception("event '" + eventId + "' (header " + Outlook365Constants.EVENT_ID + ") is not"
                                           + " organized by '" + account + "' (" + code + "): only the organizer cancels"
                                           + " a meeting; an attendee declines it with calendar/respond" + rid, e);
        }
        if (code.equalsIgnoreCase("ErrorCalendarEndDateIsEarlierThanStartDate")) {
            return new Outlook365Exception("the event ends before it starts (" + code + "): give an end after the start"
                                           + rid, e);
        }
        return e;
    }
}

package io.github.outlook365.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The simulated calendars, for tests: what a person does in Outlook (create, change or delete an event) and what is
 * in a calendar now, without going through Graph (so nothing is recorded). Events are given and returned in Graph's
 * JSON shapes; times come back in UTC.
 */
public final class SimCalendars {

    private final Outlook365Simulator simulator;
    /** The HTTP side is not used: only the event logic shared with Graph's endpoints. */
    private final CalendarApi api;

    SimCalendars(Outlook365Simulator simulator) {
        this.simulator = simulator;
        this.api = new CalendarApi(simulator, null);
    }

    private Mailbox mailbox(String upn) {
        return simulator.state().requireMailbox(upn);
    }

    private CalendarStore.Calendar calendar(Mailbox mailbox, String calendar) {
        if (calendar == null) {
            return mailbox.calendars.defaultCalendar();
        }
        CalendarStore.Calendar c = mailbox.calendars.calendar(calendar);
        if (c == null) {
            throw new IllegalArgumentException("No calendar " + calendar + " in mailbox " + mailbox.upn);
        }
        return c;
    }

    /** Creates a calendar; returns its id. */
    public String createCalendar(String upn, String name) {
        return mailbox(upn).calendars.createCalendar(name).id;
    }

    /** The id of a calendar by name (or of the default calendar for null). */
    public String calendarId(String upn, String name) {
        Mailbox mailbox = mailbox(upn);
        return calendar(mailbox, name).id;
    }

    /** Creates an event from Graph's JSON (as in POST /events) in the default calendar; returns its id. */
    public String createEvent(String upn, String eventJson) {
        return createEvent(upn, null, eventJson);
    }

    /** Creates an event in a calendar (name or id; null = default); returns its id. */
    public String createEvent(String upn, String calendar, String eventJson) {
        Mailbox mailbox = mailbox(upn);
        return call(() -> api.events().create(mailbox, calendar(mailbox, calendar), object(eventJson)).id);
    }

    /** Changes an event or occurrence as PATCH /events/{id} does. */
    public void updateEvent(String upn, String id, String patchJson) {
        Mailbox mailbox = mailbox(upn);
        call(() -> api.events().update(mailbox, require(mailbox, id), object(patchJson)));
    }

    /** Deletes an event, series or one occurrence as DELETE /events/{id} does. */
    public void deleteEvent(String upn, String id) {
        Mailbox mailbox = mailbox(upn);
        call(() -> {
            api.events().deleteEvent(mailbox, require(mailbox, id), null);
            return null;
        });
    }

    /** The event (single, master, occurrence or exception) as GET /events/{id} answers it, or null. */
    public ObjectNode event(String upn, String id) {
        Mailbox mailbox = mailbox(upn);
        synchronized (mailbox.calendars) {
            CalendarStore.Instance instance = mailbox.calendars.find(id);
            return instance == null ? null : CalendarStore.render(instance, "UTC");
        }
    }

    /**
     * Test control: sets when a single event or series was created and last changed (e.g. to a time before a test
     * began), without any change its delta would report.
     */
    public void setTimes(String upn, String id, Instant created, Instant lastModified) {
        Mailbox mailbox = mailbox(upn);
        synchronized (mailbox.calendars) {
            CalendarStore.Instance instance = require(mailbox, id);
            if (instance.event() == null || !instance.event().id.equals(id)) {
                throw new IllegalArgumentException("Event " + id + " is an occurrence: set the times of its series");
            }
            instance.event().json.put("createdDateTime", Json.graphTime(created));
            instance.event().json.put("lastModifiedDateTime", Json.graphTime(lastModified));
        }
    }

    /** Every single event and series master of the mailbox's calendars. */
    public List<ObjectNode> events(String upn) {
        Mailbox mailbox = mailbox(upn);
        List<ObjectNode> list = new ArrayList<>();
        synchronized (mailbox.calendars) {
            for (CalendarStore.StoredEvent e : mailbox.calendars.eventsIn(null)) {
                list.add(CalendarStore.render(new CalendarStore.Instance(e.id, e.isSeries() ? "seriesMaster"
                        : "singleInstance", e.start, e.end, e.json, e, null), "UTC"));
            }
        }
        return list;
    }

    /** The calendar view of a calendar (null = default) between two instants, as GET /calendarView answers it. */
    public List<ObjectNode> view(String upn, String calendar, Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Mailbox mailbox = mailbox(upn);
        List<ObjectNode> list = new ArrayList<>();
        synchronized (mailbox.calendars) {
            for (CalendarStore.Instance i : mailbox.calendars.view(calendar(mailbox, calendar).id, from, to)) {
                list.add(CalendarStore.render(i, "UTC"));
            }
        }
        return list;
    }

    private static CalendarStore.Instance require(Mailbox mailbox, String id) {
        CalendarStore.Instance instance = mailbox.calendars.find(id);
        if (instance == null) {
            throw new IllegalArgumentException("No event " + id + " in mailbox " + mailbox.upn);
        }
        return instance;
    }

    private static ObjectNode object(String json) {
        JsonNode node = Json.parse(json);
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object: " + json);
        }
        return (ObjectNode) node;
    }

    private static <T> T call(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (GraphException e) {
            throw new IllegalArgumentException(e.code + ": " + e.getMessage(), e);
        }
    }
}

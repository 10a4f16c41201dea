package io.github.outlook365.simulator;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Microsoft Graph v1.0 events of a mailbox's calendars: list, get, create (with the event's defaults and the checks
 * Graph applies to its properties), update (an occurrence becomes an exception), delete, cancel, the instances of a
 * series, and the meeting actions routed to {@link MeetingsApi}.
 */
final class EventsApi {

    private static final Set<String> WRITABLE = Set.of("subject", "body", "start", "end", "isAllDay", "location",
            "locations", "attendees", "recurrence", "isReminderOn", "reminderMinutesBeforeStart", "isOnlineMeeting",
            "onlineMeetingProvider", "showAs", "sensitivity", "importance", "categories", "responseRequested",
            "allowNewTimeProposals", "hideAttendees", "transactionId", "@odata.type");
    private static final Set<String> READ_ONLY = Set.of("id", "createdDateTime", "lastModifiedDateTime", "changeKey",
            "@odata.etag", "@odata.context", "iCalUId", "type", "seriesMasterId", "organizer", "isOrganizer",
            "webLink", "bodyPreview", "responseStatus", "originalStartTimeZone", "originalEndTimeZone",
            "hasAttachments", "isCancelled", "isDraft", "onlineMeeting", "onlineMeetingUrl", "originalStart");
    private static final Set<String> SHOW_AS = Set.of("free", "tentative", "busy", "oof", "workingElsewhere",
            "unknown");
    private static final Set<String> SENSITIVITY = Set.of("normal", "personal", "private", "confidential");
    private static final Set<String> IMPORTANCE = Set.of("low", "normal", "high");
    private static final Set<String> ATTENDEE_TYPES = Set.of("required", "optional", "resource");

    private final Outlook365Simulator simulator;
    private final GraphApi graph;
    private final CalendarApi calendars;
    private final MeetingsApi meetings;

    EventsApi(Outlook365Simulator simulator, GraphApi graph, CalendarApi calendars, MeetingsApi meetings) {
        this.simulator = simulator;
        this.graph = graph;
        this.calendars = calendars;
        this.meetings = meetings;
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/user-list-events,
    //   https://learn.microsoft.com/en-us/graph/api/user-post-events,
    //   https://learn.microsoft.com/en-us/graph/api/calendar-post-events,
    //   https://learn.microsoft.com/en-us/graph/api/event-get,
    //   https://learn.microsoft.com/en-us/graph/api/event-update,
    //   https://learn.microsoft.com/en-us/graph/api/event-delete,
    //   https://learn.microsoft.com/en-us/graph/api/event-list-instances,
    //   https://learn.microsoft.com/en-us/graph/api/event-cancel
    void handle(HttpCall call, SimulatorState.AccessToken token, String user, CalendarStore.Calendar calendar,
            List<String> rest) {
        Mailbox mailbox = graph.mailbox(token, user);
        if (rest.isEmpty()) {
            if (call.method.equals("POST")) {
                GraphApi.requireRole(token, CalendarApi.WRITE_ROLES);
                createEvent(call, mailbox, calendar == null ? mailbox.calendars.defaultCalendar() : calendar);
                return;
            }
            GraphApi.requireMethod(call, "GET");
            GraphApi.requireRole(token, CalendarApi.READ_ROLES);
            listEvents(call, mailbox, calendar);
            return;
        }
        String id = rest.get(0);
        if (rest.size() == 1) {
            switch (call.method) {
                case "GET" -> {
                    GraphApi.requireRole(token, CalendarApi.READ_ROLES);
                    CalendarStore.Instance instance = require(mailbox, id, calendar);
                    ObjectNode body = Json.object();
                    body.put("@odata.context", calendars.context(mailbox, "events/$entity"));
                    String zone = CalendarApi.zone(call);
                    body.setAll(CalendarStore.render(instance, zone));
                    call.json(200, GraphApi.GRAPH_JSON, body);
                }
                case "PATCH" -> {
                    GraphApi.requireRole(token, CalendarApi.WRITE_ROLES);
                    updateEvent(call, mailbox, require(mailbox, id, calendar));
                }
                case "DELETE" -> {
                    GraphApi.requireRole(token, CalendarApi.WRITE_ROLES);
                    deleteEvent(mailbox, require(mailbox, id, calendar), null);
                    call.empty(204);
                }
                default -> throw GraphException.methodNotAllowed(call.method);
            }
            return;
        }
        String action = rest.get(1).toLowerCase(Locale.ROOT);
        if (action.startsWith("microsoft.graph.")) {
            action = action.substring("microsoft.graph.".length());
        }
        CalendarApi.exact(rest, 2);
        if (action.equals("instances")) {
            GraphApi.requireMethod(call, "GET");
            GraphApi.requireRole(token, CalendarApi.READ_ROLES);
            instances(call, mailbox, require(mailbox, id, calendar));
            return;
        }
        GraphApi.requireMethod(call, "POST");
        GraphApi.requireRole(token, CalendarApi.WRITE_ROLES);
        CalendarStore.Instance instance = require(mailbox, id, calendar);
        ObjectNode request = call.body.isBlank() ? Json.object() : GraphApi.requireObject(call);
        switch (action) {
            case "accept" -> meetings.respond(mailbox, instance, request, "accepted");
            case "decline" -> meetings.respond(mailbox, instance, request, "declined");
            case "tentativelyaccept" -> meetings.respond(mailbox, instance, request, "tentativelyAccepted");
            case "cancel" -> cancel(mailbox, instance, request);
            case "forward" -> meetings.forward(mailbox, instance, request);
            default -> throw GraphException.segmentNotFound(rest.get(1));
        }
        call.empty(202);
    }

    private CalendarStore.Instance require(Mailbox mailbox, String id, CalendarStore.Calendar calendar) {
        CalendarStore.Instance instance = mailbox.calendars.find(id);
        if (instance == null || (calendar != null && !instance.event().calendarId.equals(calendar.id))) {
            throw GraphException.itemNotFound();
        }
        return instance;
    }

    private void listEvents(HttpCall call, Mailbox mailbox, CalendarStore.Calendar calendar) {
        int top = call.param("$top") == null ? 10 : GraphApi.intParam(call, "$top", 1, 1000);
        int skip = call.param("$skip") == null ? 0 : GraphApi.intParam(call, "$skip", 0, Integer.MAX_VALUE);
        String zone = CalendarApi.zone(call);
        List<ObjectNode> all = new ArrayList<>();
        synchronized (mailbox.calendars) {
            for (CalendarStore.StoredEvent e : mailbox.calendars.eventsIn(calendar == null ? null : calendar.id)) {
                all.add(CalendarStore.render(new CalendarStore.Instance(e.id, e.isSeries() ? "seriesMaster"
                        : "singleInstance", e.start, e.end, e.json, e, null), zone));
            }
        }
        String path = calendar == null ? "events" : "calendars/" + calendar.id + "/events";
        calendars.page(call, mailbox, path, all, top, skip, Map.of());
    }

    private void instances(HttpCall call, Mailbox mailbox, CalendarStore.Instance master) {
        if (!master.type().equals("seriesMaster")) {
            throw new GraphException(400, "ErrorInvalidRequest", "The event is not the master of a recurring series.");
        }
        Instant from = CalendarTime.queryInstant(call, "startDateTime");
        Instant to = CalendarTime.queryInstant(call, "endDateTime");
        if (from == null || to == null) {
            throw new GraphException(400, "ErrorInvalidParameter", "This request requires a time window specified by"
                    + " the query string parameters StartDateTime and EndDateTime.");
        }
        String zone = CalendarApi.zone(call);
        List<ObjectNode> all = new ArrayList<>();
        synchronized (mailbox.calendars) {
            for (CalendarStore.Instance i : mailbox.calendars.view(master.event().calendarId, from, to)) {
                if (i.event() == master.event()) {
                    all.add(CalendarStore.render(i, zone));
                }
            }
        }
        int top = call.param("$top") == null ? 10 : GraphApi.intParam(call, "$top", 1, 1000);
        int skip = call.param("$skip") == null ? 0 : GraphApi.intParam(call, "$skip", 0, Integer.MAX_VALUE);
        Map<String, String> params = new LinkedHashMap<>();
        params.put("startDateTime", call.param("startDateTime"));
        params.put("endDateTime", call.param("endDateTime"));
        calendars.page(call, mailbox, "events/" + master.id() + "/instances", all, top, skip, params);
    }

    private record Times(Instant start, Instant end, Recurrence recurrence) {
    }

    private void createEvent(HttpCall call, Mailbox mailbox, CalendarStore.Calendar calendar) {
        ObjectNode request = GraphApi.requireObject(call);
        respondWithEvent(call, mailbox, create(mailbox, calendar, request), 201);
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/user-post-events (transactionId makes a retried create return
    //   the first event)
    /** Creates an event (or finds the one of the same transactionId) and invites its simulated attendees. */
    CalendarStore.StoredEvent create(Mailbox mailbox, CalendarStore.Calendar calendar, ObjectNode request) {
        CalendarStore store = mailbox.calendars;
        String transactionId = Json.text(request, "transactionId");
        CalendarStore.StoredEvent event;
        synchronized (store) {
            if (transactionId != null) {
                for (CalendarStore.StoredEvent e : store.events.values()) {
                    if (transactionId.equals(e.json.path("transactionId").asText(null))) {
                        return e;
                    }
                }
            }
            ObjectNode json = defaults(mailbox);
            Times times = apply(json, request, null);
            event = store.insert(calendar, json, times.start(), times.end(), times.recurrence());
        }
        meetings.sendInvitations(mailbox, event, "newMeetingRequest", null);
        return event;
    }

    private void respondWithEvent(HttpCall call, Mailbox mailbox, CalendarStore.StoredEvent event, int status) {
        String zone = CalendarApi.zone(call);
        ObjectNode body = Json.object();
        body.put("@odata.context", calendars.context(mailbox, "events/$entity"));
        synchronized (mailbox.calendars) {
            body.setAll(CalendarStore.render(new CalendarStore.Instance(event.id, event.isSeries() ? "seriesMaster"
                    : "singleInstance", event.start, event.end, event.json, event, null), zone));
        }
        call.json(status, GraphApi.GRAPH_JSON, body);
    }

    private ObjectNode defaults(Mailbox mailbox) {
        ObjectNode json = Json.object();
        json.putArray("categories");
        json.putNull("transactionId");
        json.put("originalStartTimeZone", "UTC");
        json.put("originalEndTimeZone", "UTC");
        json.put("iCalUId", "040000008200E00074C5B7101A82E00800000000"
                + HexFormat.of().withUpperCase().formatHex(Ids.random(24)));
        json.put("reminderMinutesBeforeStart", 15);
        json.put("isReminderOn", true);
        json.put("hasAttachments", false);
        json.put("subject", "");
        json.put("bodyPreview", "");
        json.put("importance", "normal");
        json.put("sensitivity", "normal");
        json.put("isAllDay", false);
        json.put("isCancelled", false);
        json.put("isOrganizer", true);
        json.put("responseRequested", true);
        json.put("showAs", "busy");
        json.putNull("onlineMeetingUrl");
        json.put("isOnlineMeeting", false);
        json.put("onlineMeetingProvider", "unknown");
        json.put("allowNewTimeProposals", true);
        json.put("isDraft", false);
        json.put("hideAttendees", false);
        ObjectNode status = json.putObject("responseStatus");
        status.put("response", "organizer");
        status.put("time", CalendarApi.NO_TIME);
        ObjectNode body = json.putObject("body");
        body.put("contentType", "html");
        body.put("content", "");
        json.set("location", location(null));
        json.putArray("locations");
        json.putNull("recurrence");
        json.putArray("attendees");
        json.set("organizer", Messages.recipient(mailbox.upn, mailbox.displayName));
        json.putNull("onlineMeeting");
        return json;
    }

    // docs: the properties of https://learn.microsoft.com/en-us/graph/api/resources/event
    // observed: the RequestBodyRead messages of an unknown property or value
    /** Validates the request's properties and writes them into {@code json}; returns the event's times. */
    private Times apply(ObjectNode json, ObjectNode request, CalendarStore.Instance existing) {
        Iterator<String> names = request.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!WRITABLE.contains(name) && !READ_ONLY.contains(name)) {
                throw new GraphException(400, "RequestBodyRead",
                        "The property '" + name + "' does not exist on type 'microsoft.graph.event'. Make sure to"
                                + " only use property names that are defined by the type or mark the type as open"
                                + " type.");
            }
        }
        if (request.has("subject")) {
            json.put("subject", request.path("subject").asText(""));
        }
        if (request.has("body")) {
            JsonNode b = request.get("body");
            String contentType = b.path("contentType").asText("text").toLowerCase(Locale.ROOT);
            if (!contentType.equals("text") && !contentType.equals("html")) {
                throw new GraphException(400, "RequestBodyRead",
                        "Requested value '" + b.path("contentType").asText() + "' was not found.");
            }
            ObjectNode body = json.putObject("body");
            body.put("contentType", contentType);
            body.put("content", b.path("content").asText(""));
            json.put("bodyPreview", Messages.bodyPreview(contentType, b.path("content").asText("")));
        }
        enumValue(json, request, "showAs", SHOW_AS);
        enumValue(json, request, "sensitivity", SENSITIVITY);
        enumValue(json, request, "importance", IMPORTANCE);
        for (String flag : List.of("isReminderOn", "responseRequested", "allowNewTimeProposals", "hideAttendees")) {
            if (request.hasNonNull(flag)) {
                if (!request.get(flag).isBoolean()) {
                    throw invalidValue(flag, request.get(flag));
                }
                json.put(flag, request.get(flag).asBoolean());
            }
        }
        if (request.hasNonNull("reminderMinutesBeforeStart")) {
            JsonNode v = request.get("reminderMinutesBeforeStart");
            if (!v.canConvertToInt() || v.asInt() < 0) {
                throw invalidValue("reminderMinutesBeforeStart", v);
            }
            json.put("reminderMinutesBeforeStart", v.asInt());
        }
        if (request.has("categories")) {
            ArrayNode categories = json.putArray("categories");
            for (JsonNode c : request.path("categories")) {
                categories.add(c.asText());
            }
        }
        if (request.has("transactionId")) {
            json.set("transactionId", request.get("transactionId"));
        }
        if (request.hasNonNull("isOnlineMeeting")) {
            boolean online = request.get("isOnlineMeeting").asBoolean();
            json.put("isOnlineMeeting", online);
            json.put("onlineMeetingProvider", online ? "teamsForBusiness" : "unknown");
            if (online) {
                ObjectNode meeting = json.putObject("onlineMeeting");
                meeting.put("joinUrl", "https://teams.microsoft.com/l/meetup-join/19%3ameeting_"
                        + Ids.token() + "%40thread.v2/0");
            } else {
                json.putNull("onlineMeeting");
            }
        }
        if (request.has("location")) {
            JsonNode l = request.get("location");
            json.set("location", location(l));
            ArrayNode locations = json.putArray("locations");
            if (l != null && l.isObject() && !l.path("displayName").asText("").isEmpty()) {
                locations.add(json.get("location").deepCopy());
            }
        }
        if (request.has("locations") && request.get("locations").isArray()) {
            ArrayNode locations = json.putArray("locations");
            request.get("locations").forEach(l -> locations.add(location(l)));
            if (!request.has("location") && !locations.isEmpty()) {
                json.set("location", locations.get(0).deepCopy());
            }
        }
        if (request.has("attendees")) {
            json.set("attendees", attendees(request.get("attendees"), json.path("attendees")));
        }
        // times
        Instant start = existing == null ? null : existing.start();
        Instant end = existing == null ? null : existing.end();
        boolean allDay = request.hasNonNull("isAllDay") ? request.get("isAllDay").asBoolean()
                : json.path("isAllDay").asBoolean(false);
        if (existing == null && (!request.hasNonNull("start") || !request.hasNonNull("end"))) {
            throw new GraphException(400, "ErrorInvalidRequest", "Your request can't be completed. The start and end"
                    + " of the event are required.");
        }
        if (request.hasNonNull("start")) {
            start = CalendarTime.instant(request.get("start"), "start");
            json.put("originalStartTimeZone", request.get("start").path("timeZone").asText());
        }
        if (request.hasNonNull("end")) {
            end = CalendarTime.instant(request.get("end"), "end");
            json.put("originalEndTimeZone", request.get("end").path("timeZone").asText());
        }
        json.put("isAllDay", allDay);
        if (end.isBefore(start)) {
            throw new GraphException(400, "ErrorCalendarEndDateIsEarlierThanStartDate",
                    "The end date is earlier than the start date.");
        }
        if (allDay) {
            ZoneId zone = CalendarTime.zone(json.path("originalStartTimeZone").asText("UTC"));
            if (!LocalDateTime.ofInstant(start, zone).toLocalTime().equals(LocalTime.MIDNIGHT)
                    || !LocalDateTime.ofInstant(end, zone).toLocalTime().equals(LocalTime.MIDNIGHT)
                    || !end.isAfter(start)) {
                throw new GraphException(400, "ErrorInvalidRequest", "Your request can't be completed. If the event"
                        + " is an all-day event, the start and end time must be midnight and the end at least a day"
                        + " after the start.");
            }
        }
        Recurrence recurrence = existing == null ? null : existing.event().recurrence;
        if (request.has("recurrence")) {
            JsonNode r = request.get("recurrence");
            if (r == null || r.isNull()) {
                recurrence = null;
                json.putNull("recurrence");
            } else {
                json.set("recurrence", Recurrence.normalize(r, json.path("originalStartTimeZone").asText("UTC")));
                recurrence = Recurrence.parse(json.get("recurrence"));
            }
        }
        return new Times(start, end, recurrence);
    }

    private static void enumValue(ObjectNode json, ObjectNode request, String name, Set<String> allowed) {
        if (!request.hasNonNull(name)) {
            return;
        }
        String value = request.get(name).asText("");
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value)) {
                json.put(name, a);
                return;
            }
        }
        throw new GraphException(400, "RequestBodyRead", "Requested value '" + value + "' was not found.");
    }

    static GraphException invalidValue(String name, JsonNode value) {
        return new GraphException(400, "RequestBodyRead",
                "Cannot convert the literal '" + value + "' to the expected type of property '" + name + "'.");
    }

    private static ObjectNode location(JsonNode l) {
        ObjectNode out = Json.object();
        String name = l == null || l.isNull() ? "" : l.path("displayName").asText("");
        out.put("displayName", name);
        out.put("locationType", l == null ? "default" : l.path("locationType").asText("default"));
        if (!name.isEmpty()) {
            out.put("uniqueId", l.path("uniqueId").asText(name));
            out.put("uniqueIdType", l.path("uniqueIdType").asText("private"));
        } else {
            out.put("uniqueIdType", "unknown");
        }
        if (l != null && l.has("locationEmailAddress")) {
            out.set("locationEmailAddress", l.get("locationEmailAddress"));
        }
        if (l != null && l.has("address")) {
            out.set("address", l.get("address"));
        }
        return out;
    }

    private ArrayNode attendees(JsonNode value, JsonNode previous) {
        if (value != null && !value.isNull() && !value.isArray()) {
            throw invalidValue("attendees", value);
        }
        Map<String, JsonNode> statusBefore = new LinkedHashMap<>();
        for (JsonNode a : previous) {
            statusBefore.put(a.path("emailAddress").path("address").asText().toLowerCase(Locale.ROOT),
                    a.get("status"));
        }
        ArrayNode out = Json.array();
        if (value == null || value.isNull()) {
            return out;
        }
        for (JsonNode a : value) {
            String type = a.path("type").asText("required");
            if (!ATTENDEE_TYPES.contains(type)) {
                throw new GraphException(400, "RequestBodyRead", "Requested value '" + type + "' was not found.");
            }
            JsonNode email = a.path("emailAddress");
            String address = email.path("address").asText("").trim();
            if (address.indexOf('@') < 1) {
                throw new GraphException(400, "ErrorInvalidRecipients",
                        "At least one attendee isn't valid: '" + address + "'.");
            }
            ObjectNode attendee = out.addObject();
            attendee.put("type", type);
            JsonNode status = statusBefore.get(address.toLowerCase(Locale.ROOT));
            if (status != null) {
                attendee.set("status", status.deepCopy());
            } else {
                ObjectNode s = attendee.putObject("status");
                s.put("response", "none");
                s.put("time", CalendarApi.NO_TIME);
            }
            Mailbox known = simulator.state().mailbox(address);
            String name = email.hasNonNull("name") ? email.get("name").asText()
                    : known != null ? known.displayName : address;
            ObjectNode e = attendee.putObject("emailAddress");
            e.put("name", name);
            e.put("address", address);
        }
        return out;
    }

    private void updateEvent(HttpCall call, Mailbox mailbox, CalendarStore.Instance instance) {
        ObjectNode request = GraphApi.requireObject(call);
        CalendarStore.Instance now = update(mailbox, instance, request);
        String zone = CalendarApi.zone(call);
        ObjectNode body = Json.object();
        body.put("@odata.context", calendars.context(mailbox, "events/$entity"));
        synchronized (mailbox.calendars) {
            body.setAll(CalendarStore.render(now, zone));
        }
        call.json(200, GraphApi.GRAPH_JSON, body);
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/event-update (an occurrence's id changes that occurrence: it
    //   becomes an exception)
    /** Applies a PATCH; an occurrence becomes an exception. Attendees of an organiser's event get an update. */
    CalendarStore.Instance update(Mailbox mailbox, CalendarStore.Instance instance, ObjectNode request) {
        CalendarStore store = mailbox.calendars;
        CalendarStore.StoredEvent event = instance.event();
        boolean timesChanged;
        synchronized (store) {
            if (instance.originalStart() != null) {
                if (request.has("recurrence")) {
                    throw new GraphException(400, "ErrorInvalidRequest",
                            "The recurrence of an occurrence cannot be changed; update its series master.");
                }
                ObjectNode json = instance.json().deepCopy();
                Times times = apply(json, request, instance);
                timesChanged = !times.start().equals(instance.start()) || !times.end().equals(instance.end());
                store.putException(event, instance.originalStart(), json, times.start(), times.end());
            } else {
                ObjectNode json = event.json.deepCopy();
                Times times = apply(json, request, instance);
                timesChanged = !times.start().equals(event.start) || !times.end().equals(event.end);
                event.json.removeAll();
                event.json.setAll(json);
                if (timesChanged || request.has("recurrence")) {
                    event.exceptions.clear();
                    event.exceptionTimes.clear();
                }
                event.start = times.start();
                event.end = times.end();
                event.recurrence = times.recurrence();
                store.touch(event);
            }
        }
        if (event.organizerUpn == null && event.json.path("isOrganizer").asBoolean(true)) {
            meetings.sendInvitations(mailbox, event, timesChanged ? "fullUpdate" : "informationalUpdate", null);
        }
        return store.find(instance.id());
    }

    void deleteEvent(Mailbox mailbox, CalendarStore.Instance instance, String comment) {
        CalendarStore store = mailbox.calendars;
        CalendarStore.StoredEvent event = instance.event();
        boolean organizer = event.organizerUpn == null && event.json.path("attendees").size() > 0;
        ObjectNode rendered;
        synchronized (store) {
            rendered = CalendarStore.render(instance, "UTC");
            if (instance.originalStart() != null) {
                store.deleteOccurrence(event, instance.originalStart());
            } else {
                store.delete(event);
            }
        }
        if (organizer) {
            meetings.cancelCopies(mailbox, event, instance.originalStart(), rendered, comment);
        }
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/event-cancel (organizer only)
    // observed: 400 ErrorCalendarIsNotOrganizer for an attendee
    private void cancel(Mailbox mailbox, CalendarStore.Instance instance, ObjectNode request) {
        CalendarStore.StoredEvent event = instance.event();
        if (event.organizerUpn != null || !event.json.path("isOrganizer").asBoolean(true)) {
            throw new GraphException(400, "ErrorCalendarIsNotOrganizer",
                    "Your request can't be completed. You need to be an organizer to cancel a meeting.");
        }
        deleteEvent(mailbox, instance, MeetingsApi.text(request, "comment"));
    }
}

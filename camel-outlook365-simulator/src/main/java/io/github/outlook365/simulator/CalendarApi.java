package io.github.outlook365.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
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
 * Microsoft Graph v1.0, calendar part: calendars, events, calendarView (with recurrence expansion), calendarView
 * delta, the meeting actions (accept, decline, tentativelyAccept, cancel, forward) with event messages delivered to
 * the simulated mailboxes, and findMeetingTimes over the simulated free/busy.
 */
final class CalendarApi {

    static final Set<String> READ_ROLES = Set.of("Calendars.Read", "Calendars.ReadBasic", "Calendars.ReadWrite");
    static final Set<String> WRITE_ROLES = Set.of("Calendars.ReadWrite");

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
    private static final String NO_TIME = "0001-01-01T00:00:00Z";

    private final Outlook365Simulator simulator;
    private final GraphApi graph;
    private final CalendarDelta delta;

    CalendarApi(Outlook365Simulator simulator, GraphApi graph) {
        this.simulator = simulator;
        this.graph = graph;
        this.delta = new CalendarDelta(simulator);
    }

    // ---------------------------------------------------------------- routing

    void handle(HttpCall call, SimulatorState.AccessToken token, String user, List<String> rest) {
        String resource = rest.get(0).toLowerCase(Locale.ROOT);
        switch (resource) {
            case "findmeetingtimes" -> {
                GraphApi.requireMethod(call, "POST");
                GraphApi.requireRole(token, READ_ROLES);
                exact(rest, 1);
                findMeetingTimes(call, graph.mailbox(token, user));
            }
            case "calendarview" -> {
                GraphApi.requireMethod(call, "GET");
                GraphApi.requireRole(token, READ_ROLES);
                Mailbox mailbox = graph.mailbox(token, user);
                calendarView(call, mailbox, mailbox.calendars.defaultCalendar(), rest.subList(1, rest.size()), false);
            }
            case "events" -> events(call, token, user, null, rest.subList(1, rest.size()));
            case "calendar" -> {
                Mailbox mailbox = graph.mailbox(token, user);
                calendarResource(call, token, user, mailbox, mailbox.calendars.defaultCalendar(),
                        rest.subList(1, rest.size()), false);
            }
            default -> calendars(call, token, user, rest);
        }
    }

    private static void exact(List<String> segments, int size) {
        if (segments.size() != size) {
            throw GraphException.segmentNotFound(segments.get(segments.size() - 1));
        }
    }

    private void calendars(HttpCall call, SimulatorState.AccessToken token, String user, List<String> rest) {
        Mailbox mailbox = graph.mailbox(token, user);
        if (rest.size() == 1) {
            if (call.method.equals("POST")) {
                GraphApi.requireRole(token, WRITE_ROLES);
                ObjectNode request = GraphApi.requireObject(call);
                String name = Json.text(request, "name");
                if (name == null || name.isBlank()) {
                    throw new GraphException(400, "ErrorInvalidRequest", "The calendar name is required.");
                }
                CalendarStore.Calendar created = mailbox.calendars.createCalendar(name.trim());
                ObjectNode body = Json.object();
                body.put("@odata.context", context(mailbox, "calendars/$entity"));
                body.setAll(calendarJson(mailbox, created));
                call.json(201, GraphApi.GRAPH_JSON, body);
                return;
            }
            GraphApi.requireMethod(call, "GET");
            GraphApi.requireRole(token, READ_ROLES);
            ObjectNode body = Json.object();
            body.put("@odata.context", context(mailbox, "calendars"));
            ArrayNode value = body.putArray("value");
            synchronized (mailbox.calendars) {
                mailbox.calendars.calendars.values().forEach(c -> value.add(calendarJson(mailbox, c)));
            }
            call.json(200, GraphApi.GRAPH_JSON, body);
            return;
        }
        CalendarStore.Calendar calendar = mailbox.calendars.calendars.get(rest.get(1));
        if (calendar == null) {
            throw GraphException.itemNotFound();
        }
        calendarResource(call, token, user, mailbox, calendar, rest.subList(2, rest.size()), true);
    }

    private void calendarResource(HttpCall call, SimulatorState.AccessToken token, String user, Mailbox mailbox,
            CalendarStore.Calendar calendar, List<String> rest, boolean viaCalendar) {
        if (rest.isEmpty()) {
            GraphApi.requireMethod(call, "GET");
            GraphApi.requireRole(token, READ_ROLES);
            ObjectNode body = Json.object();
            body.put("@odata.context", context(mailbox, "calendars/$entity"));
            body.setAll(calendarJson(mailbox, calendar));
            call.json(200, GraphApi.GRAPH_JSON, body);
            return;
        }
        String sub = rest.get(0).toLowerCase(Locale.ROOT);
        if (sub.equals("events")) {
            events(call, token, user, calendar, rest.subList(1, rest.size()));
        } else if (sub.equals("calendarview")) {
            GraphApi.requireMethod(call, "GET");
            GraphApi.requireRole(token, READ_ROLES);
            calendarView(call, mailbox, calendar, rest.subList(1, rest.size()), viaCalendar);
        } else {
            throw GraphException.segmentNotFound(rest.get(0));
        }
    }

    private ObjectNode calendarJson(Mailbox mailbox, CalendarStore.Calendar c) {
        ObjectNode json = Json.object();
        json.put("id", c.id);
        json.put("name", c.name);
        json.put("color", c.color);
        json.put("hexColor", "");
        json.put("isDefaultCalendar", c.isDefault);
        json.put("changeKey", c.changeKey);
        json.put("canShare", true);
        json.put("canViewPrivateItems", true);
        json.put("canEdit", true);
        json.putArray("allowedOnlineMeetingProviders").add("teamsForBusiness");
        json.put("defaultOnlineMeetingProvider", "teamsForBusiness");
        json.put("isTallyingResponses", true);
        json.put("isRemovable", !c.isDefault);
        json.set("owner", Messages.recipient(mailbox.upn, mailbox.displayName).get("emailAddress"));
        return json;
    }

    private String context(Mailbox mailbox, String tail) {
        return simulator.baseUrl() + "/v1.0/$metadata#users('" + GraphApi.encode(mailbox.upn) + "')/" + tail;
    }

    // ---------------------------------------------------------------- events

    private void events(HttpCall call, SimulatorState.AccessToken token, String user, CalendarStore.Calendar calendar,
            List<String> rest) {
        Mailbox mailbox = graph.mailbox(token, user);
        if (rest.isEmpty()) {
            if (call.method.equals("POST")) {
                GraphApi.requireRole(token, WRITE_ROLES);
                createEvent(call, mailbox, calendar == null ? mailbox.calendars.defaultCalendar() : calendar);
                return;
            }
            GraphApi.requireMethod(call, "GET");
            GraphApi.requireRole(token, READ_ROLES);
            listEvents(call, mailbox, calendar);
            return;
        }
        String id = rest.get(0);
        if (rest.size() == 1) {
            switch (call.method) {
                case "GET" -> {
                    GraphApi.requireRole(token, READ_ROLES);
                    CalendarStore.Instance instance = require(mailbox, id, calendar);
                    ObjectNode body = Json.object();
                    body.put("@odata.context", context(mailbox, "events/$entity"));
                    String zone = zone(call);
                    body.setAll(CalendarStore.render(instance, zone));
                    call.json(200, GraphApi.GRAPH_JSON, body);
                }
                case "PATCH" -> {
                    GraphApi.requireRole(token, WRITE_ROLES);
                    updateEvent(call, mailbox, require(mailbox, id, calendar));
                }
                case "DELETE" -> {
                    GraphApi.requireRole(token, WRITE_ROLES);
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
        exact(rest, 2);
        if (action.equals("instances")) {
            GraphApi.requireMethod(call, "GET");
            GraphApi.requireRole(token, READ_ROLES);
            instances(call, mailbox, require(mailbox, id, calendar));
            return;
        }
        GraphApi.requireMethod(call, "POST");
        GraphApi.requireRole(token, WRITE_ROLES);
        CalendarStore.Instance instance = require(mailbox, id, calendar);
        ObjectNode request = call.body.isBlank() ? Json.object() : GraphApi.requireObject(call);
        switch (action) {
            case "accept" -> respond(mailbox, instance, request, "accepted");
            case "decline" -> respond(mailbox, instance, request, "declined");
            case "tentativelyaccept" -> respond(mailbox, instance, request, "tentativelyAccepted");
            case "cancel" -> cancel(mailbox, instance, request);
            case "forward" -> forward(mailbox, instance, request);
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

    private static String zone(HttpCall call) {
        String zone = CalendarTime.preferredZone(call.headerValues("Prefer"));
        if (CalendarTime.hasPreferredZone(call.headerValues("Prefer"))) {
            call.setHeader("Preference-Applied", "outlook.timezone=\"" + zone + "\"");
        }
        return zone;
    }

    private void listEvents(HttpCall call, Mailbox mailbox, CalendarStore.Calendar calendar) {
        int top = call.param("$top") == null ? 10 : GraphApi.intParam(call, "$top", 1, 1000);
        int skip = call.param("$skip") == null ? 0 : GraphApi.intParam(call, "$skip", 0, Integer.MAX_VALUE);
        String zone = zone(call);
        List<ObjectNode> all = new ArrayList<>();
        synchronized (mailbox.calendars) {
            for (CalendarStore.StoredEvent e : mailbox.calendars.eventsIn(calendar == null ? null : calendar.id)) {
                all.add(CalendarStore.render(new CalendarStore.Instance(e.id, e.isSeries() ? "seriesMaster"
                        : "singleInstance", e.start, e.end, e.json, e, null), zone));
            }
        }
        String path = calendar == null ? "events" : "calendars/" + calendar.id + "/events";
        page(call, mailbox, path, all, top, skip, Map.of());
    }

    private void page(HttpCall call, Mailbox mailbox, String path, List<ObjectNode> all, int top, int skip,
            Map<String, String> params) {
        ObjectNode body = Json.object();
        body.put("@odata.context", context(mailbox, path.startsWith("calendars/") ? "calendars('"
                + path.split("/")[1] + "')/" + path.split("/")[2] : path));
        int end = Math.min(all.size(), skip + top);
        if (end < all.size()) {
            StringBuilder next = new StringBuilder(simulator.baseUrl() + "/v1.0/users/" + mailbox.upn + "/" + path
                    + "?");
            params.forEach((k, v) -> next.append(k).append('=').append(GraphApi.encode(v)).append('&'));
            next.append("$top=").append(top).append("&$skip=").append(end);
            body.put("@odata.nextLink", next.toString());
        }
        ArrayNode value = body.putArray("value");
        for (int i = Math.min(skip, all.size()); i < end; i++) {
            value.add(all.get(i));
        }
        call.json(200, GraphApi.GRAPH_JSON, body);
    }

    private void calendarView(HttpCall call, Mailbox mailbox, CalendarStore.Calendar calendar, List<String> rest,
            boolean viaCalendar) {
        if (rest.size() == 1 && rest.get(0).equalsIgnoreCase("delta")) {
            delta.handle(call, mailbox, calendar, viaCalendar);
            return;
        }
        if (!rest.isEmpty()) {
            throw GraphException.segmentNotFound(rest.get(0));
        }
        Instant from = CalendarTime.queryInstant(call, "startDateTime");
        Instant to = CalendarTime.queryInstant(call, "endDateTime");
        if (from == null || to == null) {
            throw new GraphException(400, "ErrorInvalidParameter", "This request requires a time window specified by"
                    + " the query string parameters StartDateTime and EndDateTime.");
        }
        int top = call.param("$top") == null ? 10 : GraphApi.intParam(call, "$top", 1, 1000);
        int skip = call.param("$skip") == null ? 0 : GraphApi.intParam(call, "$skip", 0, Integer.MAX_VALUE);
        String zone = zone(call);
        List<ObjectNode> all = new ArrayList<>();
        synchronized (mailbox.calendars) {
            for (CalendarStore.Instance i : mailbox.calendars.view(calendar.id, from, to)) {
                all.add(CalendarStore.render(i, zone));
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("startDateTime", call.param("startDateTime"));
        params.put("endDateTime", call.param("endDateTime"));
        page(call, mailbox, viaCalendar ? "calendars/" + calendar.id + "/calendarView" : "calendarView", all, top,
                skip, params);
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
        String zone = zone(call);
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
        page(call, mailbox, "events/" + master.id() + "/instances", all, top, skip, params);
    }

    // ---------------------------------------------------------------- create / update / delete

    private record Times(Instant start, Instant end, Recurrence recurrence) {
    }

    private void createEvent(HttpCall call, Mailbox mailbox, CalendarStore.Calendar calendar) {
        ObjectNode request = GraphApi.requireObject(call);
        respondWithEvent(call, mailbox, create(mailbox, calendar, request), 201);
    }

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
        sendInvitations(mailbox, event, "newMeetingRequest", null);
        return event;
    }

    private void respondWithEvent(HttpCall call, Mailbox mailbox, CalendarStore.StoredEvent event, int status) {
        String zone = zone(call);
        ObjectNode body = Json.object();
        body.put("@odata.context", context(mailbox, "events/$entity"));
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
        status.put("time", NO_TIME);
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

    private static GraphException invalidValue(String name, JsonNode value) {
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
                s.put("time", NO_TIME);
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
        String zone = zone(call);
        ObjectNode body = Json.object();
        body.put("@odata.context", context(mailbox, "events/$entity"));
        synchronized (mailbox.calendars) {
            body.setAll(CalendarStore.render(now, zone));
        }
        call.json(200, GraphApi.GRAPH_JSON, body);
    }

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
            sendInvitations(mailbox, event, timesChanged ? "fullUpdate" : "informationalUpdate", null);
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
            cancelCopies(mailbox, event, instance.originalStart(), rendered, comment);
        }
    }

    // ---------------------------------------------------------------- meetings

    /** Copies the organiser's event into each simulated attendee's default calendar and sends a meeting request. */
    private void sendInvitations(Mailbox organizer, CalendarStore.StoredEvent event, String requestType,
            List<String> onlyTo) {
        List<String> addresses = new ArrayList<>();
        synchronized (organizer.calendars) {
            if (onlyTo != null) {
                addresses.addAll(onlyTo);
            } else {
                for (JsonNode a : event.json.path("attendees")) {
                    addresses.add(a.path("emailAddress").path("address").asText());
                }
            }
        }
        for (String address : addresses) {
            Mailbox attendee = simulator.state().mailbox(address);
            if (attendee == null || attendee == organizer || !attendee.tenantId.equalsIgnoreCase(organizer.tenantId)) {
                continue;
            }
            ObjectNode master;
            synchronized (organizer.calendars) {
                master = event.json.deepCopy();
            }
            CalendarStore.StoredEvent copy = syncCopy(organizer, event, attendee, master);
            ObjectNode rendered;
            synchronized (attendee.calendars) {
                rendered = CalendarStore.render(new CalendarStore.Instance(copy.id, copy.isSeries() ? "seriesMaster"
                        : "singleInstance", copy.start, copy.end, copy.json, copy, null), "UTC");
            }
            ObjectNode extra = Json.object();
            extra.put("meetingRequestType", requestType);
            extra.put("responseRequested", rendered.path("responseRequested").asBoolean(true));
            extra.put("allowNewTimeProposals", rendered.path("allowNewTimeProposals").asBoolean(true));
            extra.putNull("previousStartDateTime");
            extra.putNull("previousEndDateTime");
            extra.putNull("previousLocation");
            MeetingMessages.deliver(organizer, attendee, "#microsoft.graph.eventMessageRequest", "meetingRequest",
                    rendered.path("subject").asText(), null, rendered, attendee, copy.id, extra);
        }
    }

    private CalendarStore.StoredEvent syncCopy(Mailbox organizer, CalendarStore.StoredEvent event, Mailbox attendee,
            ObjectNode organizerJson) {
        CalendarStore store = attendee.calendars;
        synchronized (store) {
            CalendarStore.StoredEvent copy = findCopy(store, organizer, event.id);
            ObjectNode json = organizerJson.deepCopy();
            json.put("isOrganizer", false);
            json.remove("id");
            json.remove("createdDateTime");
            json.remove("webLink");
            if (copy == null) {
                ObjectNode status = json.putObject("responseStatus");
                status.put("response", "notResponded");
                status.put("time", NO_TIME);
                copy = store.insert(store.defaultCalendar(), json, event.start, event.end, event.recurrence);
                copy.organizerUpn = organizer.upn;
                copy.organizerEventId = event.id;
            } else {
                json.set("responseStatus", copy.json.get("responseStatus"));
                json.put("id", copy.id);
                json.set("createdDateTime", copy.json.get("createdDateTime"));
                json.set("webLink", copy.json.get("webLink"));
                copy.json.removeAll();
                copy.json.setAll(json);
                copy.start = event.start;
                copy.end = event.end;
                copy.recurrence = event.recurrence;
                store.touch(copy);
            }
            copy.exceptions.clear();
            copy.exceptionTimes.clear();
            copy.cancelled.clear();
            copy.cancelled.addAll(event.cancelled);
            return copy;
        }
    }

    private static CalendarStore.StoredEvent findCopy(CalendarStore store, Mailbox organizer, String eventId) {
        for (CalendarStore.StoredEvent e : store.events.values()) {
            if (eventId.equals(e.organizerEventId) && organizer.upn.equalsIgnoreCase(e.organizerUpn)) {
                return e;
            }
        }
        return null;
    }

    private void cancelCopies(Mailbox organizer, CalendarStore.StoredEvent event, Instant originalStart,
            ObjectNode rendered, String comment) {
        for (JsonNode a : rendered.path("attendees")) {
            Mailbox attendee = simulator.state().mailbox(a.path("emailAddress").path("address").asText());
            if (attendee == null || attendee == organizer) {
                continue;
            }
            CalendarStore store = attendee.calendars;
            String copyId = null;
            synchronized (store) {
                CalendarStore.StoredEvent copy = findCopy(store, organizer, event.id);
                if (copy != null) {
                    if (originalStart != null) {
                        store.deleteOccurrence(copy, originalStart);
                    } else {
                        copy.json.put("isCancelled", true);
                        copy.json.put("subject", "Canceled: " + copy.json.path("subject").asText());
                        store.touch(copy);
                    }
                    copyId = copy.id;
                }
            }
            MeetingMessages.deliver(organizer, attendee, "#microsoft.graph.eventMessage", "meetingCancelled",
                    "Canceled: " + rendered.path("subject").asText(), comment, rendered, attendee,
                    copyId == null ? rendered.path("id").asText() : copyId, null);
        }
    }

    private void cancel(Mailbox mailbox, CalendarStore.Instance instance, ObjectNode request) {
        CalendarStore.StoredEvent event = instance.event();
        if (event.organizerUpn != null || !event.json.path("isOrganizer").asBoolean(true)) {
            throw new GraphException(400, "ErrorCalendarIsNotOrganizer",
                    "Your request can't be completed. You need to be an organizer to cancel a meeting.");
        }
        deleteEvent(mailbox, instance, text(request, "comment"));
    }

    private void respond(Mailbox attendee, CalendarStore.Instance instance, ObjectNode request, String response) {
        CalendarStore.StoredEvent copy = instance.event();
        if (copy.organizerUpn == null) {
            String suffix = switch (response) {
                case "accepted" -> "Accept";
                case "declined" -> "Decline";
                default -> "Tentative";
            };
            throw new GraphException(400, "ErrorCalendarIsOrganizerFor" + suffix,
                    "Your request can't be completed. You can't respond to a meeting you organized.");
        }
        boolean sendResponse = !request.has("sendResponse") && !request.has("SendResponse")
                || field(request, "sendResponse").asBoolean(true);
        JsonNode proposed = field(request, "proposedNewTime");
        if (proposed != null && !proposed.isNull() && !proposed.isMissingNode()) {
            if (response.equals("accepted")) {
                throw new GraphException(400, "ErrorInvalidRequest",
                        "A new time can only be proposed with decline or tentativelyAccept.");
            }
            Instant s = CalendarTime.instant(proposed.get("start"), "proposedNewTime.start");
            Instant e = CalendarTime.instant(proposed.get("end"), "proposedNewTime.end");
            if (e.isBefore(s)) {
                throw new GraphException(400, "ErrorCalendarEndDateIsEarlierThanStartDate",
                        "The end date is earlier than the start date.");
            }
            if (!sendResponse) {
                throw new GraphException(400, "ErrorInvalidRequest",
                        "A new time can only be proposed when the response is sent.");
            }
        }
        String now = Json.graphTime(Instant.now());
        ObjectNode rendered;
        CalendarStore store = attendee.calendars;
        synchronized (store) {
            ObjectNode status = copy.json.putObject("responseStatus");
            status.put("response", response);
            status.put("time", now);
            rendered = CalendarStore.render(instance, "UTC");
            if (response.equals("declined")) {
                store.delete(copy);
            } else {
                store.touch(copy);
            }
        }
        if (!sendResponse) {
            return;
        }
        Mailbox organizer = simulator.state().mailbox(copy.organizerUpn);
        if (organizer == null) {
            return;
        }
        String eventId = copy.organizerEventId;
        synchronized (organizer.calendars) {
            CalendarStore.StoredEvent original = organizer.calendars.events.get(eventId);
            if (original == null) {
                return;
            }
            for (JsonNode a : original.json.path("attendees")) {
                if (a.path("emailAddress").path("address").asText().equalsIgnoreCase(attendee.upn)) {
                    ObjectNode s = ((ObjectNode) a).putObject("status");
                    s.put("response", response);
                    s.put("time", now);
                }
            }
            organizer.calendars.touch(original);
        }
        String type = switch (response) {
            case "accepted" -> "meetingAccepted";
            case "declined" -> "meetingDeclined";
            default -> "meetingTenativelyAccepted";
        };
        String prefix = switch (response) {
            case "accepted" -> "Accepted: ";
            case "declined" -> "Declined: ";
            default -> "Tentative: ";
        };
        ObjectNode extra = Json.object();
        extra.put("responseType", response);
        if (proposed != null && !proposed.isNull() && !proposed.isMissingNode()) {
            extra.set("proposedNewTime", proposed.deepCopy());
        } else {
            extra.putNull("proposedNewTime");
        }
        MeetingMessages.deliver(attendee, organizer, "#microsoft.graph.eventMessageResponse", type,
                prefix + rendered.path("subject").asText(), text(request, "comment"), rendered, organizer, eventId,
                extra);
    }

    private void forward(Mailbox mailbox, CalendarStore.Instance instance, ObjectNode request) {
        JsonNode recipients = field(request, "toRecipients");
        if (recipients == null || !recipients.isArray() || recipients.isEmpty()) {
            throw new GraphException(400, "ErrorInvalidRecipients", "At least one recipient is required.");
        }
        List<String> addresses = new ArrayList<>();
        for (JsonNode r : recipients) {
            JsonNode email = r.has("emailAddress") ? r.get("emailAddress") : r.path("EmailAddress");
            String address = email.has("address") ? email.get("address").asText() : email.path("Address").asText("");
            if (address.indexOf('@') < 1) {
                throw new GraphException(400, "ErrorInvalidRecipients", "Recipient '" + address + "' isn't valid.");
            }
            addresses.add(address);
        }
        CalendarStore.StoredEvent event = instance.event();
        if (event.organizerUpn == null) {
            sendInvitations(mailbox, event, "newMeetingRequest", addresses);
            return;
        }
        Mailbox organizer = simulator.state().mailbox(event.organizerUpn);
        if (organizer == null) {
            return;
        }
        CalendarStore.StoredEvent original;
        synchronized (organizer.calendars) {
            original = organizer.calendars.events.get(event.organizerEventId);
        }
        if (original != null) {
            sendInvitations(organizer, original, "newMeetingRequest", addresses);
        }
    }

    /** A property of an action body, in Graph's case-insensitive way ("Comment" or "comment"). */
    private static JsonNode field(ObjectNode request, String name) {
        Iterator<Map.Entry<String, JsonNode>> fields = request.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().equalsIgnoreCase(name)) {
                return f.getValue();
            }
        }
        return null;
    }

    private static String text(ObjectNode request, String name) {
        JsonNode value = field(request, name);
        return value == null || value.isNull() ? null : value.asText();
    }

    // ---------------------------------------------------------------- $expand on event messages

    /** {@code $expand=microsoft.graph.eventMessage/event} on GET message: adds the related event. */
    void expandEvent(HttpCall call, ObjectNode stored, ObjectNode body) {
        String expand = call.param("$expand");
        if (expand == null || !expand.toLowerCase(Locale.ROOT).contains("event")) {
            return;
        }
        String upn = stored.path("_eventUpn").asText(null);
        if (upn == null) {
            return;
        }
        Mailbox owner = simulator.state().mailbox(upn);
        if (owner == null) {
            return;
        }
        CalendarStore.Instance instance = owner.calendars.find(stored.path("_eventId").asText());
        if (instance == null) {
            body.putNull("event");
            return;
        }
        synchronized (owner.calendars) {
            body.set("event", CalendarStore.render(instance, zone(call)));
        }
    }

    // ---------------------------------------------------------------- findMeetingTimes

    private void findMeetingTimes(HttpCall call, Mailbox organizer) {
        ObjectNode request = GraphApi.requireObject(call);
        Duration duration;
        try {
            duration = Duration.parse(request.path("meetingDuration").asText("PT30M"));
        } catch (DateTimeParseException e) {
            throw invalidValue("meetingDuration", request.get("meetingDuration"));
        }
        if (duration.isZero() || duration.isNegative()) {
            throw invalidValue("meetingDuration", request.get("meetingDuration"));
        }
        int maxCandidates = request.path("maxCandidates").asInt(5);
        String zone = CalendarTime.preferredZone(call.headerValues("Prefer"));
        // Graph's default activityDomain is work: suggestions within working hours (here 08:00-17:00, Monday to Friday,
        // in the zone of the time slot)
        String domain = request.path("timeConstraint").path("activityDomain").asText("work");
        boolean workHours = domain.equalsIgnoreCase("work");
        List<ZoneId> slotZones = new ArrayList<>();
        List<Instant[]> slots = new ArrayList<>();
        for (JsonNode slot : request.path("timeConstraint").path("timeSlots")) {
            slots.add(new Instant[] {CalendarTime.instant(slot.get("start"), "timeSlot start"),
                CalendarTime.instant(slot.get("end"), "timeSlot end")});
            slotZones.add(CalendarTime.zone(slot.path("start").path("timeZone").asText("UTC")));
        }
        if (slots.isEmpty()) {
            Instant from = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
            slots.add(new Instant[] {from, from.plus(Duration.ofDays(2))});
            slotZones.add(CalendarTime.zone(zone));
        }
        List<JsonNode> attendees = new ArrayList<>();
        request.path("attendees").forEach(attendees::add);
        ObjectNode body = Json.object();
        body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#microsoft.graph.meetingTimeSuggestionsResult");
        ArrayNode suggestions = Json.array();
        boolean anyUnknown = false;
        for (int n = 0; n < slots.size(); n++) {
            Instant[] slot = slots.get(n);
            ZoneId slotZone = slotZones.get(n);
            for (Instant s = slot[0]; !s.plus(duration).isAfter(slot[1]) && suggestions.size() < maxCandidates;
                    s = s.plus(Duration.ofMinutes(30))) {
                Instant e = s.plus(duration);
                if (workHours && !withinWorkHours(s, e, slotZone)) {
                    continue;
                }
                if (busy(organizer, s, e) != null) {
                    continue;
                }
                ArrayNode availability = Json.array();
                boolean allFree = true;
                for (JsonNode a : attendees) {
                    String address = a.path("emailAddress").path("address").asText();
                    Mailbox m = simulator.state().mailbox(address);
                    String state;
                    if (m == null) {
                        state = "unknown";
                        anyUnknown = true;
                    } else {
                        String b = busy(m, s, e);
                        state = b == null ? "free" : b;
                    }
                    if (!state.equals("free") && !state.equals("unknown")) {
                        allFree = false;
                    }
                    ObjectNode entry = availability.addObject();
                    entry.put("availability", state);
                    ObjectNode attendee = entry.putObject("attendee");
                    attendee.put("type", a.path("type").asText("required"));
                    attendee.set("emailAddress", a.path("emailAddress").deepCopy());
                }
                if (!allFree) {
                    continue;
                }
                ObjectNode suggestion = suggestions.addObject();
                suggestion.put("confidence", anyUnknown ? 50.0 : 100.0);
                suggestion.put("organizerAvailability", "free");
                suggestion.put("suggestionReason",
                        "Suggested because it is one of the nearest times when all attendees are available.");
                ObjectNode timeSlot = suggestion.putObject("meetingTimeSlot");
                timeSlot.set("start", CalendarTime.render(s, zone));
                timeSlot.set("end", CalendarTime.render(e, zone));
                suggestion.set("attendeeAvailability", availability);
                suggestion.putArray("locations");
            }
        }
        body.put("emptySuggestionsReason", suggestions.isEmpty() ? "AttendeesUnavailable" : "");
        body.set("meetingTimeSuggestions", suggestions);
        call.json(200, GraphApi.GRAPH_JSON, body);
    }

    private static boolean withinWorkHours(Instant start, Instant end, ZoneId zone) {
        LocalDateTime s = LocalDateTime.ofInstant(start, zone);
        LocalDateTime e = LocalDateTime.ofInstant(end, zone);
        return s.toLocalDate().equals(e.minusNanos(1).toLocalDate())
                && s.getDayOfWeek().getValue() <= 5
                && !s.toLocalTime().isBefore(LocalTime.of(8, 0))
                && !e.toLocalTime().isAfter(LocalTime.of(17, 0)) && !e.toLocalTime().equals(LocalTime.MIDNIGHT);
    }

    /** busy, tentative or oof when the mailbox has an event in [from, to) that blocks time; else null. */
    private static String busy(Mailbox mailbox, Instant from, Instant to) {
        String worst = null;
        synchronized (mailbox.calendars) {
            for (CalendarStore.Instance i : mailbox.calendars.view(mailbox.calendars.defaultCalendar().id, from, to)) {
                if (!i.busy()) {
                    continue;
                }
                String showAs = i.json().path("showAs").asText("busy");
                String state = showAs.equals("workingElsewhere") ? "busy" : showAs;
                if (worst == null || rank(state) > rank(worst)) {
                    worst = state;
                }
            }
        }
        return worst;
    }

    private static int rank(String state) {
        return switch (state) {
            case "oof" -> 3;
            case "busy" -> 2;
            default -> 1;
        };
    }
}

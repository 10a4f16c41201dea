package io.github.outlook365.simulator;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Microsoft Graph v1.0, calendar part: routes {@code /users/{id}/calendars}, {@code /calendar}, {@code /events},
 * {@code /calendarView} and {@code /findMeetingTimes} to the class of each resource, serves the calendars themselves,
 * and holds what those classes share (roles, paging, the time zone a request prefers).
 */
final class CalendarApi {

    static final Set<String> READ_ROLES = Set.of("Calendars.Read", "Calendars.ReadBasic", "Calendars.ReadWrite");
    static final Set<String> WRITE_ROLES = Set.of("Calendars.ReadWrite");

    static final String NO_TIME = "0001-01-01T00:00:00Z";

    private final Outlook365Simulator simulator;
    private final GraphApi graph;
    private final MeetingsApi meetings;
    private final EventsApi events;
    private final CalendarViewApi view;
    private final FindMeetingTimesApi meetingTimes;

    CalendarApi(Outlook365Simulator simulator, GraphApi graph) {
        this.simulator = simulator;
        this.graph = graph;
        this.meetings = new MeetingsApi(simulator);
        this.events = new EventsApi(simulator, graph, this, meetings);
        this.view = new CalendarViewApi(this, new CalendarDelta(simulator));
        this.meetingTimes = new FindMeetingTimesApi(simulator);
    }

    /** Events: what the simulator's Java API ({@link SimCalendars}) creates, changes and deletes through. */
    EventsApi events() {
        return events;
    }

    MeetingsApi meetings() {
        return meetings;
    }

    // ---------------------------------------------------------------- routing

    // docs: https://learn.microsoft.com/en-us/graph/api/user-list-calendars,
    //   https://learn.microsoft.com/en-us/graph/api/user-post-calendars,
    //   https://learn.microsoft.com/en-us/graph/api/calendar-get
    void handle(HttpCall call, SimulatorState.AccessToken token, String user, List<String> rest) {
        String resource = rest.get(0).toLowerCase(Locale.ROOT);
        switch (resource) {
            case "findmeetingtimes" -> {
                GraphApi.requireMethod(call, "POST");
                GraphApi.requireRole(token, READ_ROLES);
                exact(rest, 1);
                meetingTimes.handle(call, graph.mailbox(token, user));
            }
            case "calendarview" -> {
                GraphApi.requireMethod(call, "GET");
                GraphApi.requireRole(token, READ_ROLES);
                Mailbox mailbox = graph.mailbox(token, user);
                view.handle(call, mailbox, mailbox.calendars.defaultCalendar(), rest.subList(1, rest.size()), false);
            }
            case "events" -> events.handle(call, token, user, null, rest.subList(1, rest.size()));
            case "calendar" -> {
                Mailbox mailbox = graph.mailbox(token, user);
                calendarResource(call, token, user, mailbox, mailbox.calendars.defaultCalendar(),
                        rest.subList(1, rest.size()), false);
            }
            default -> calendars(call, token, user, rest);
        }
    }

    static void exact(List<String> segments, int size) {
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
            events.handle(call, token, user, calendar, rest.subList(1, rest.size()));
        } else if (sub.equals("calendarview")) {
            GraphApi.requireMethod(call, "GET");
            GraphApi.requireRole(token, READ_ROLES);
            view.handle(call, mailbox, calendar, rest.subList(1, rest.size()), viaCalendar);
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

    String context(Mailbox mailbox, String tail) {
        return simulator.baseUrl() + "/v1.0/$metadata#users('" + GraphApi.encode(mailbox.upn) + "')/" + tail;
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/event-get (Prefer: outlook.timezone, answered with
    //   Preference-Applied)
    static String zone(HttpCall call) {
        String zone = CalendarTime.preferredZone(call.headerValues("Prefer"));
        if (CalendarTime.hasPreferredZone(call.headerValues("Prefer"))) {
            call.setHeader("Preference-Applied", "outlook.timezone=\"" + zone + "\"");
        }
        return zone;
    }

    void page(HttpCall call, Mailbox mailbox, String path, List<ObjectNode> all, int top, int skip,
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
}

package io.github.outlook365.simulator;

import static io.github.outlook365.simulator.GraphAccessTest.assertGraphError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/** Calendars, events, calendarView with recurrence, calendarView delta, meetings and findMeetingTimes. */
class CalendarTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final String TENANT = "tenant-calendar";
    static final String ALICE = "alice@contoso.com";
    static final String BOB = "bob@contoso.com";

    private Outlook365Simulator sim;
    private TestClient client;
    private String token;

    @BeforeEach
    void given(Outlook365Simulator simulator) {
        sim = simulator;
        client = new TestClient(simulator);
        sim.registerApp(TENANT, "app", "secret", Set.of("Calendars.ReadWrite", "Mail.ReadWrite"));
        sim.registerApp(TENANT, "reader", "secret", Set.of("Calendars.Read"));
        sim.registerApp(TENANT, "mailonly", "secret", Set.of("Mail.Read"));
        sim.createMailbox(TENANT, ALICE, "Alice Adams");
        sim.createMailbox(TENANT, BOB, "Bob Brown");
        token = client.accessToken(TENANT, "app", "secret");
    }

    private TestClient.Response post(String path, String json, String... headers) {
        return client.send("POST", path, token, json, headers);
    }

    private static String event(String subject, String start, String end, String zone, String extra) {
        return "{\"subject\":\"" + subject + "\",\"body\":{\"contentType\":\"HTML\",\"content\":\"<p>Agenda</p>\"},"
                + "\"start\":{\"dateTime\":\"" + start + "\",\"timeZone\":\"" + zone + "\"},"
                + "\"end\":{\"dateTime\":\"" + end + "\",\"timeZone\":\"" + zone + "\"}"
                + (extra == null ? "" : "," + extra) + "}";
    }

    @Test
    void createdEventHasGraphsShapeAndTimesInTheRequestedZone() {
        TestClient.Response created = post("/v1.0/users/" + ALICE + "/events",
                event("Plan", "2025-03-10T09:00:00", "2025-03-10T10:00:00", "Pacific Standard Time",
                        "\"location\":{\"displayName\":\"Room 1\"},\"showAs\":\"tentative\",\"isOnlineMeeting\":true,"
                                + "\"attendees\":[{\"type\":\"optional\",\"emailAddress\":{\"address\":\"x@fabrikam.example\"}}]"));
        assertEquals(201, created.status(), created.body());
        JsonNode e = created.json();
        assertEquals("singleInstance", e.path("type").asText());
        assertEquals("2025-03-10T16:00:00.0000000", e.at("/start/dateTime").asText());
        assertEquals("UTC", e.at("/start/timeZone").asText());
        assertEquals("Pacific Standard Time", e.path("originalStartTimeZone").asText());
        assertEquals("Room 1", e.at("/location/displayName").asText());
        assertEquals("tentative", e.path("showAs").asText());
        assertEquals("teamsForBusiness", e.path("onlineMeetingProvider").asText());
        assertTrue(e.at("/onlineMeeting/joinUrl").asText().startsWith("https://teams.microsoft.com/"));
        assertEquals("none", e.at("/attendees/0/status/response").asText());
        assertEquals("organizer", e.at("/responseStatus/response").asText());
        assertEquals(ALICE, e.at("/organizer/emailAddress/address").asText());
        assertTrue(e.path("@odata.etag").asText().startsWith("W/\""));

        TestClient.Response got = client.get("/v1.0/users/" + ALICE + "/events/" + e.path("id").asText(), token,
                "Prefer", "outlook.timezone=\"W. Europe Standard Time\"");
        assertEquals(200, got.status());
        assertEquals("2025-03-10T17:00:00.0000000", got.json().at("/start/dateTime").asText());
        assertEquals("W. Europe Standard Time", got.json().at("/start/timeZone").asText());
        assertEquals("outlook.timezone=\"W. Europe Standard Time\"", got.header("Preference-Applied"));
    }

    @Test
    void badEventsAnswerGraphErrors() {
        assertGraphError(post("/v1.0/users/" + ALICE + "/events",
                event("x", "2025-03-10T09:00:00", "2025-03-10T10:00:00", "Mars/Olympus", null)), 400,
                "TimeZoneNotSupportedException");
        assertGraphError(post("/v1.0/users/" + ALICE + "/events",
                event("x", "2025-03-10T09:00:00", "2025-03-10T08:00:00", "UTC", null)), 400,
                "ErrorCalendarEndDateIsEarlierThanStartDate");
        assertGraphError(client.get("/v1.0/users/" + ALICE + "/events/AAMkAGnope", token), 404, "ErrorItemNotFound");
        assertGraphError(client.get("/v1.0/users/" + ALICE + "/calendarView", token), 400, "ErrorInvalidParameter");
        String mailOnly = client.accessToken(TENANT, "mailonly", "secret");
        assertGraphError(client.get("/v1.0/users/" + ALICE + "/calendars", mailOnly), 403, "ErrorAccessDenied");
        String reader = client.accessToken(TENANT, "reader", "secret");
        assertGraphError(client.send("POST", "/v1.0/users/" + ALICE + "/events", reader,
                event("x", "2025-03-10T09:00:00", "2025-03-10T10:00:00", "UTC", null)), 403, "ErrorAccessDenied");
    }

    @Test
    void calendarsAreListedCreatedAndHoldTheirOwnEvents() {
        TestClient.Response created = post("/v1.0/users/" + ALICE + "/calendars", "{\"name\":\"Projects\"}");
        assertEquals(201, created.status(), created.body());
        String projects = created.json().path("id").asText();
        JsonNode list = client.get("/v1.0/users/" + ALICE + "/calendars", token).json().path("value");
        assertEquals(2, list.size());
        assertEquals("Calendar", list.get(0).path("name").asText());
        assertTrue(list.get(0).path("isDefaultCalendar").asBoolean());
        assertEquals(ALICE, list.get(1).at("/owner/address").asText());
        assertEquals(201, post("/v1.0/users/" + ALICE + "/calendars/" + projects + "/events",
                event("In projects", "2025-03-10T09:00:00", "2025-03-10T10:00:00", "UTC", null)).status());
        assertEquals(1, client.get("/v1.0/users/" + ALICE + "/calendars/" + projects + "/events", token).json()
                .path("value").size());
        assertEquals(0, client.get("/v1.0/users/" + ALICE + "/calendar/events", token).json().path("value").size());
        assertGraphError(post("/v1.0/users/" + ALICE + "/calendars", "{\"name\":\"projects\"}"), 409,
                "ErrorFolderExists");
    }

    @Test
    void weeklySeriesExpandsWithAnExceptionAndACancelledOccurrenceAcrossDaylightSaving() {
        // weekly on Monday 09:00 New York time, 4 occurrences, crossing the US change to summer time on 2025-03-09
        String master = post("/v1.0/users/" + ALICE + "/events", event("Standup", "2025-03-03T09:00:00",
                "2025-03-03T09:30:00", "Eastern Standard Time", "\"recurrence\":{\"pattern\":{\"type\":\"weekly\","
                        + "\"interval\":1,\"daysOfWeek\":[\"monday\"]},\"range\":{\"type\":\"numbered\","
                        + "\"startDate\":\"2025-03-03\",\"numberOfOccurrences\":4}}")).json().path("id").asText();
        String view = "/v1.0/users/" + ALICE + "/calendarView?startDateTime=2025-03-01T00:00:00Z"
                + "&endDateTime=2025-04-01T00:00:00Z";
        JsonNode value = client.get(view, token).json().path("value");
        assertEquals(4, value.size());
        assertEquals("2025-03-03T14:00:00.0000000", value.get(0).at("/start/dateTime").asText());
        assertEquals("2025-03-10T13:00:00.0000000", value.get(1).at("/start/dateTime").asText(),
                "09:00 New York is 13:00 UTC after the change to summer time");
        for (JsonNode occurrence : value) {
            assertEquals("occurrence", occurrence.path("type").asText());
            assertEquals(master, occurrence.path("seriesMasterId").asText());
        }
        // one occurrence moved (an exception), one cancelled
        String second = value.get(1).path("id").asText();
        TestClient.Response patched = client.send("PATCH", "/v1.0/users/" + ALICE + "/events/" + second, token,
                "{\"start\":{\"dateTime\":\"2025-03-10T11:00:00\",\"timeZone\":\"Eastern Standard Time\"},"
                        + "\"end\":{\"dateTime\":\"2025-03-10T11:30:00\",\"timeZone\":\"Eastern Standard Time\"}}");
        assertEquals(200, patched.status(), patched.body());
        assertEquals("exception", patched.json().path("type").asText());
        assertEquals(204, client.send("DELETE", "/v1.0/users/" + ALICE + "/events/" + value.get(2).path("id")
                .asText(), token, null).status());
        value = client.get(view, token, "Prefer", "outlook.timezone=\"Eastern Standard Time\"").json().path("value");
        assertEquals(3, value.size());
        assertEquals("exception", value.get(1).path("type").asText());
        assertEquals(second, value.get(1).path("id").asText());
        assertEquals("2025-03-10T11:00:00.0000000", value.get(1).at("/start/dateTime").asText());
        assertEquals("2025-03-24T09:00:00.0000000", value.get(2).at("/start/dateTime").asText());
        JsonNode seriesMaster = client.get("/v1.0/users/" + ALICE + "/events/" + master, token).json();
        assertEquals("seriesMaster", seriesMaster.path("type").asText());
        assertEquals("weekly", seriesMaster.at("/recurrence/pattern/type").asText());
    }

    private List<JsonNode> round(String url, List<String> deltaLink) {
        List<JsonNode> entries = new ArrayList<>();
        String next = url;
        while (true) {
            TestClient.Response page = client.get(next, token, "Prefer", "odata.maxpagesize=2");
            assertEquals(200, page.status(), page.body());
            page.json().path("value").forEach(entries::add);
            if (page.json().has("@odata.nextLink")) {
                next = page.json().path("@odata.nextLink").asText();
                assertTrue(next.contains("$skiptoken="), next);
            } else {
                deltaLink.add(0, page.json().path("@odata.deltaLink").asText());
                return entries;
            }
        }
    }

    @Test
    void calendarViewDeltaReportsNewChangedAndRemovedEventsAndResets() {
        SimCalendars calendars = sim.calendars();
        String a = calendars.createEvent(ALICE, event("A", "2025-06-02T09:00:00", "2025-06-02T10:00:00", "UTC", null));
        String b = calendars.createEvent(ALICE, event("B", "2025-06-03T09:00:00", "2025-06-03T10:00:00", "UTC", null));
        calendars.createEvent(ALICE, event("C", "2025-06-04T09:00:00", "2025-06-04T10:00:00", "UTC", null));
        String outside = calendars.createEvent(ALICE,
                event("Far", "2025-09-01T09:00:00", "2025-09-01T10:00:00", "UTC", null));
        List<String> link = new ArrayList<>();
        List<JsonNode> initial = round("/v1.0/users/" + ALICE + "/calendarView/delta?startDateTime=2025-06-01T00:00:00Z"
                + "&endDateTime=2025-07-01T00:00:00Z", link);
        assertEquals(3, initial.size());
        assertEquals("#microsoft.graph.event", initial.get(0).path("@odata.type").asText());
        assertTrue(link.get(0).contains("$deltatoken="), link.get(0));

        assertEquals(0, round(link.get(0), link).size(), "nothing changed");

        calendars.updateEvent(ALICE, a, "{\"subject\":\"A2\"}");
        calendars.deleteEvent(ALICE, b);
        calendars.deleteEvent(ALICE, outside);
        String d = calendars.createEvent(ALICE, event("D", "2025-06-05T09:00:00", "2025-06-05T10:00:00", "UTC", null));
        String deltaBefore = link.get(0);
        List<JsonNode> changes = round(deltaBefore, link);
        List<String> ids = new ArrayList<>();
        changes.forEach(c -> ids.add(c.path("id").asText() + (c.has("@removed") ? ":removed" : "")));
        assertEquals(List.of(b + ":removed", outside + ":removed", a, d), ids);
        assertEquals("A2", changes.get(2).path("subject").asText());

        // the delta link can be replayed
        assertEquals(4, round(deltaBefore, new ArrayList<>()).size());

        sim.forceDeltaReset(ALICE);
        TestClient.Response gone = client.get(link.get(0), token);
        assertGraphError(gone, 410, "syncStateNotFound");
        assertTrue(gone.header("Location").contains("/calendarView/delta?startDateTime="), gone.header("Location"));
    }

    @Test
    void meetingRequestAcceptAndCancelFlowThroughInboxes() {
        String created = post("/v1.0/users/" + ALICE + "/events", event("Review", "2025-06-02T09:00:00",
                "2025-06-02T10:00:00", "UTC", "\"attendees\":[{\"type\":\"required\",\"emailAddress\":{\"address\":\""
                        + BOB + "\",\"name\":\"Bob\"}}]")).json().path("id").asText();
        List<com.fasterxml.jackson.databind.node.ObjectNode> inbox = sim.messages(BOB, "inbox");
        assertEquals(1, inbox.size());
        JsonNode request = client.get("/v1.0/users/" + BOB + "/messages/" + inbox.get(0).path("id").asText()
                + "?$expand=microsoft.graph.eventMessage/event", token).json();
        assertEquals("#microsoft.graph.eventMessageRequest", request.path("@odata.type").asText());
        assertEquals("meetingRequest", request.path("meetingMessageType").asText());
        assertEquals("newMeetingRequest", request.path("meetingRequestType").asText());
        assertEquals("2025-06-02T09:00:00.0000000", request.at("/startDateTime/dateTime").asText());
        String bobsEvent = request.at("/event/id").asText();
        assertFalse(request.at("/event/isOrganizer").asBoolean());
        assertEquals("notResponded", request.at("/event/responseStatus/response").asText());

        assertEquals(202, post("/v1.0/users/" + BOB + "/events/" + bobsEvent + "/accept",
                "{\"comment\":\"See you\",\"sendResponse\":true}").status());
        JsonNode organizers = client.get("/v1.0/users/" + ALICE + "/events/" + created, token).json();
        assertEquals("accepted", organizers.at("/attendees/0/status/response").asText());
        List<com.fasterxml.jackson.databind.node.ObjectNode> aliceInbox = sim.messages(ALICE, "inbox");
        assertEquals(1, aliceInbox.size());
        JsonNode response = client.get("/v1.0/users/" + ALICE + "/messages/" + aliceInbox.get(0).path("id").asText()
                + "?$expand=microsoft.graph.eventMessage/event", token).json();
        assertEquals("#microsoft.graph.eventMessageResponse", response.path("@odata.type").asText());
        assertEquals("meetingAccepted", response.path("meetingMessageType").asText());
        assertEquals("Accepted: Review", response.path("subject").asText());
        assertEquals(created, response.at("/event/id").asText());

        assertGraphError(post("/v1.0/users/" + BOB + "/events/" + bobsEvent + "/cancel", "{\"comment\":\"x\"}"), 400,
                "ErrorCalendarIsNotOrganizer");
        assertGraphError(post("/v1.0/users/" + ALICE + "/events/" + created + "/accept", "{}"), 400,
                "ErrorCalendarIsOrganizerForAccept");
        assertEquals(202, post("/v1.0/users/" + ALICE + "/events/" + created + "/cancel",
                "{\"Comment\":\"Moved to next week\"}").status());
        assertGraphError(client.get("/v1.0/users/" + ALICE + "/events/" + created, token), 404, "ErrorItemNotFound");
        JsonNode bobs = client.get("/v1.0/users/" + BOB + "/events/" + bobsEvent, token).json();
        assertTrue(bobs.path("isCancelled").asBoolean());
        JsonNode cancellation = sim.messages(BOB, "inbox").get(1);
        assertEquals("Canceled: Review", cancellation.path("subject").asText());
        assertEquals("meetingCancelled", cancellation.path("meetingMessageType").asText());
        assertEquals("Moved to next week", cancellation.at("/body/content").asText());
    }

    @Test
    void findMeetingTimesKeepsToWorkingHoursByDefault() {
        // Saturday 2025-06-07 and Monday 2025-06-09 early morning: only Monday from 08:00 fits a work meeting
        TestClient.Response found = post("/v1.0/users/" + ALICE + "/findMeetingTimes",
                "{\"timeConstraint\":{\"timeSlots\":[{\"start\":{\"dateTime\":\"2025-06-07T06:00:00\",\"timeZone\":"
                        + "\"Pacific Standard Time\"},\"end\":{\"dateTime\":\"2025-06-09T10:00:00\",\"timeZone\":"
                        + "\"Pacific Standard Time\"}}]},\"meetingDuration\":\"PT1H\",\"maxCandidates\":1}",
                "Prefer", "outlook.timezone=\"Pacific Standard Time\"");
        assertEquals(200, found.status(), found.body());
        assertEquals("2025-06-09T08:00:00.0000000", found.json().at("/meetingTimeSuggestions/0/meetingTimeSlot/start"
                + "/dateTime").asText());
    }

    @Test
    void findMeetingTimesSkipsBusyAttendees() {
        sim.calendars().createEvent(BOB, event("Busy", "2025-06-02T09:00:00", "2025-06-02T10:00:00", "UTC", null));
        TestClient.Response found = post("/v1.0/users/" + ALICE + "/findMeetingTimes",
                "{\"attendees\":[{\"type\":\"required\",\"emailAddress\":{\"address\":\"" + BOB + "\"}}],"
                        + "\"timeConstraint\":{\"activityDomain\":\"unrestricted\",\"timeSlots\":[{\"start\":"
                        + "{\"dateTime\":\"2025-06-02T09:00:00\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":"
                        + "\"2025-06-02T12:00:00\",\"timeZone\":\"UTC\"}}]},\"meetingDuration\":\"PT1H\","
                        + "\"maxCandidates\":2}");
        assertEquals(200, found.status(), found.body());
        JsonNode suggestions = found.json().path("meetingTimeSuggestions");
        assertEquals(2, suggestions.size());
        assertEquals("2025-06-02T10:00:00.0000000", suggestions.get(0).at("/meetingTimeSlot/start/dateTime")
                .asText());
        assertEquals("free", suggestions.get(0).at("/attendeeAvailability/0/availability").asText());
        assertNotNull(found.json().get("emptySuggestionsReason"));
    }
}

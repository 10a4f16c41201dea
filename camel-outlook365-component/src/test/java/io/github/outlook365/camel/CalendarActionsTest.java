package io.github.outlook365.camel;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.model.Attendee;
import io.github.outlook365.camel.model.Calendar;
import io.github.outlook365.camel.model.Event;
import io.github.outlook365.camel.model.ItemBody;
import io.github.outlook365.camel.model.MeetingTimeSuggestionsResult;
import io.github.outlook365.camel.model.PatternedRecurrence;
import io.github.outlook365.simulator.RecordedRequest;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import static io.github.outlook365.camel.SimulatedTenant.ADA;
import static io.github.outlook365.camel.SimulatedTenant.BOB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalendarActionsTest extends SimulatedContextTest {

    @BeforeEach
    void registerAMailOnlyApp() {
        sim.registerApp(SimulatedTenant.TENANT, "mail-only-app", "other-secret", Set.of("Mail.Read", "User.Read.All"));
    }
    private RecordedRequest last(String method, String pathSuffix) {
        return sim.requests().stream().filter(r -> r.method().equals(method) && r.path().endsWith(pathSuffix))
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no " + method + " *" + pathSuffix));
    }

    private static JsonNode json(RecordedRequest request) throws Exception {
        return GraphJson.MAPPER.readTree(request.body());
    }

    private static String simEvent(String subject, String start, String end, String zone, String extra) {
        return "{\"subject\":\"" + subject + "\",\"start\":{\"dateTime\":\"" + start + "\",\"timeZone\":\"" + zone + "\"},"
               + "\"end\":{\"dateTime\":\"" + end + "\",\"timeZone\":\"" + zone + "\"}" + (extra == null ? "" : "," + extra)
               + "}";
    }

    @Test
    void createEventFromAMapSendsGraphsDocumentedShapeAndKeepsTheTimeZone() throws Exception {
        // given an event as a route would build it, local times in the timeZone option's zone
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("subject", "Quarterly planning");
        event.put("body", "<p>Agenda attached</p>");
        event.put("contentType", "html");
        event.put("start", "2025-03-10T09:00:00");
        event.put("end", "2025-03-10T10:30:00");
        event.put("location", "Room 4");
        event.put("attendees", BOB + "; Carol <carol@fabrikam.example>");
        event.put("optionalAttendees", List.of("dave@fabrikam.example"));
        event.put("resources", "room4@contoso.onmicrosoft.com");
        event.put("reminderMinutesBeforeStart", 30);
        event.put("isOnlineMeeting", true);
        event.put("showAs", "tentative");
        event.put("sensitivity", "private");
        event.put("categories", "Planning, Q2");

        // when
        Exchange out = template.request("outlook365:calendar/createEvent?timeZone=Pacific Standard Time",
                e -> e.getMessage().setBody(event));

        // then Graph received the documented request
        RecordedRequest request = last("POST", "/events");
        assertEquals("/v1.0/users/" + ADA + "/calendar/events", request.path());
        assertEquals("outlook.timezone=\"Pacific Standard Time\"", request.header("Prefer"));
        JsonNode body = json(request);
        assertEquals("Quarterly planning", body.path("subject").asText());
        assertEquals("html", body.at("/body/contentType").asText());
        assertEquals("2025-03-10T09:00:00", body.at("/start/dateTime").asText());
        assertEquals("Pacific Standard Time", body.at("/start/timeZone").asText());
        assertEquals("Room 4", body.at("/location/displayName").asText());
        assertEquals("required", body.at("/attendees/0/type").asText());
        assertEquals(BOB, body.at("/attendees/0/emailAddress/address").asText());
        assertEquals("Carol", body.at("/attendees/1/emailAddress/name").asText());
        assertEquals("optional", body.at("/attendees/2/type").asText());
        assertEquals("resource", body.at("/attendees/3/type").asText());
        assertEquals(30, body.path("reminderMinutesBeforeStart").asInt());
        assertTrue(body.path("isReminderOn").asBoolean());
        assertTrue(body.path("isOnlineMeeting").asBoolean());
        assertEquals("tentative", body.path("showAs").asText());
        assertEquals("private", body.path("sensitivity").asText());
        assertEquals("[\"Planning\",\"Q2\"]", body.path("categories").toString());

        // and the route gets the created event, zone-aware, with its id in the header
        Event created = out.getMessage().getBody(Event.class);
        assertEquals(created.id(), out.getMessage().getHeader(Outlook365Constants.EVENT_ID));
        assertEquals(ZonedDateTime.of(2025, 3, 10, 9, 0, 0, 0, ZoneId.of("America/Los_Angeles")).toInstant(),
                created.startTime().toInstant());
        assertEquals("Pacific Standard Time", created.start().timeZone());
        assertNotNull(created.joinUrl());
        assertEquals(4, created.attendees().size());
        // and it is in Ada's calendar, and Bob got the invitation
        assertEquals("Quarterly planning", sim.calendars().event(ADA, created.id()).path("subject").asText());
        assertEquals("meetingRequest", sim.messages(BOB, "inbox").get(0).path("meetingMessageType").asText());
    }

    @Test
    void createEventFromAnEventRecordInANamedCalendarWithAWeeklySeries() throws Exception {
        String projects = sim.calendars().createCalendar(ADA, "Projects");
        ZoneId paris = ZoneId.of("Europe/Paris");
        Event event = Event.builder().subject("Standup")
                .start(ZonedDateTime.of(2025, 3, 3, 9, 30, 0, 0, paris))
                .end(ZonedDateTime.of(2025, 3, 3, 9, 45, 0, 0, paris))
                .recurrence(PatternedRecurrence.weekly(1, List.of(DayOfWeek.MONDAY, DayOfWeek.THURSDAY),
                        LocalDate.of(2025, 3, 3), null).times(6))
                .attendee(Attendee.optional("dave@fabrikam.example"))
                .reminderMinutesBeforeStart(-1)
                .build();

        Event created = template.requestBody("outlook365:calendar/createEvent?calendar=projects", event, Event.class);

        RecordedRequest request = last("POST", "/events");
        assertEquals("/v1.0/users/" + ADA + "/calendars/" + projects + "/events", request.path());
        assertNull(request.header("Prefer"), "no timeZone option: answers in UTC");
        JsonNode body = json(request);
        assertEquals("Europe/Paris", body.at("/start/timeZone").asText());
        assertEquals("weekly", body.at("/recurrence/pattern/type").asText());
        assertEquals("[\"monday\",\"thursday\"]", body.at("/recurrence/pattern/daysOfWeek").toString());
        assertEquals("numbered", body.at("/recurrence/range/type").asText());
        assertEquals(6, body.at("/recurrence/range/numberOfOccurrences").asInt());
        assertFalse(body.path("isReminderOn").asBoolean());
        assertEquals("seriesMaster", created.type());
        assertEquals("UTC", created.start().timeZone());
        assertEquals(ZonedDateTime.of(2025, 3, 3, 9, 30, 0, 0, paris).toInstant(), created.startTime().toInstant());
    }

    @Test
    void getUpdateAndDeleteWorkOnTheEventOfTheHeader() throws Exception {
        String id = sim.calendars().createEvent(ADA, simEvent("Draft", "2025-06-02T09:00:00", "2025-06-02T10:00:00",
                "UTC", null));

        Event got = template.requestBodyAndHeader("outlook365:calendar/getEvent?timeZone=Europe/Berlin", null,
                Outlook365Constants.EVENT_ID, id, Event.class);
        assertEquals("GET", last("GET", id).method());
        assertEquals("/v1.0/users/" + ADA + "/events/" + id, last("GET", id).path());
        assertEquals("2025-06-02T11:00:00.0000000", got.start().dateTime());
        assertEquals("Europe/Berlin", got.start().timeZone());

        Event updated = template.requestBodyAndHeader("outlook365:calendar/updateEvent",
                Map.of("subject", "Final", "end", "2025-06-02T10:30:00Z"), Outlook365Constants.EVENT_ID, id, Event.class);
        RecordedRequest patch = last("PATCH", id);
        assertEquals("/v1.0/users/" + ADA + "/events/" + id, patch.path());
        JsonNode body = json(patch);
        assertEquals("Final", body.path("subject").asText());
        assertEquals("2025-06-02T10:30:00", body.at("/end/dateTime").asText());
        assertEquals("UTC", body.at("/end/timeZone").asText());
        assertFalse(body.has("start"), "only what changes is sent");
        assertEquals("Final", updated.subject());
        assertEquals("Final", sim.calendars().event(ADA, id).path("subject").asText());

        template.sendBodyAndHeader("outlook365:calendar/deleteEvent", null, Outlook365Constants.EVENT_ID, id);
        assertEquals("/v1.0/users/" + ADA + "/events/" + id, last("DELETE", id).path());
        assertNull(sim.calendars().event(ADA, id));
    }

    @Test
    void listEventsExpandsARecurringSeriesWithAnExceptionAndStopsAtTheLimit() throws Exception {
        String master = sim.calendars().createEvent(ADA, simEvent("Daily", "2025-06-02T08:00:00", "2025-06-02T08:15:00",
                "UTC", "\"recurrence\":{\"pattern\":{\"type\":\"daily\",\"interval\":1},\"range\":{\"type\":\"numbered\","
                       + "\"startDate\":\"2025-06-02\",\"numberOfOccurrences\":5}}"));
        sim.calendars().createEvent(ADA, simEvent("Lunch", "2025-06-03T12:00:00", "2025-06-03T13:00:00", "UTC", null));
        List<ObjectNode> view = sim.calendars().view(ADA, null, java.time.Instant.parse("2025-06-01T00:00:00Z"),
                java.time.Instant.parse("2025-06-10T00:00:00Z"));
        String third = view.stream().filter(e -> e.at("/start/dateTime").asText().startsWith("2025-06-04"))
                .findFirst().orElseThrow().path("id").asText();
        sim.calendars().updateEvent(ADA, third, "{\"subject\":\"Daily (moved)\",\"start\":{\"dateTime\":"
                                               + "\"2025-06-04T09:00:00\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":"
                                               + "\"2025-06-04T09:15:00\",\"timeZone\":\"UTC\"}}");

        Map<String, Object> window = Map.of(Outlook365Constants.START_DATE_TIME, "2025-06-01T00:00:00Z",
                Outlook365Constants.END_DATE_TIME, "2025-06-10T00:00:00Z");
        @SuppressWarnings("unchecked")
        List<Event> events = template.requestBodyAndHeaders("outlook365:calendar/listEvents", null, window, List.class);

        RecordedRequest request = last("GET", "/calendarView");
        assertEquals("/v1.0/users/" + ADA + "/calendar/calendarView", request.path());
        assertTrue(request.query().contains("startDateTime=2025-06-01T00:00:00Z"), request.query());
        assertTrue(request.query().contains("endDateTime=2025-06-10T00:00:00Z"), request.query());
        assertEquals(6, events.size());
        assertEquals(List.of("occurrence", "occurrence", "singleInstance", "exception", "occurrence", "occurrence"),
                events.stream().map(Event::type).toList());
        assertEquals("Daily (moved)", events.get(3).subject());
        assertEquals(master, events.get(3).seriesMasterId());
        assertEquals(third, events.get(3).id());

        // paging: the limit caps what is returned, following nextLinks
        @SuppressWarnings("unchecked")
        List<Event> limited = template.requestBodyAndHeaders("outlook365:calendar/listEvents?limit=4", null, window,
                List.class);
        assertEquals(4, limited.size());
    }

    @Test
    void daylightSavingBoundariesInTwoTimeZonesKeepTheLocalTime() throws Exception {
        // weekly 09:00 meetings in New York and Berlin around March 2025: the US switches on 9 March, the EU on 30 March
        for (String[] zone : new String[][] { { "NY", "Eastern Standard Time" }, { "Berlin", "W. Europe Standard Time" } }) {
            sim.calendars().createEvent(ADA, simEvent(zone[0], "2025-03-03T09:00:00", "2025-03-03T09:30:00", zone[1],
                    "\"recurrence\":{\"pattern\":{\"type\":\"weekly\",\"interval\":1,\"daysOfWeek\":[\"monday\"]},"
                                                                                                     + "\"range\":{\"type\":\"endDate\",\"startDate\":\"2025-03-03\",\"endDate\":\"2025-04-07\"}}"));
        }
        @SuppressWarnings("unchecked")
        List<Event> events = template.requestBodyAndHeaders("outlook365:calendar/listEvents?limit=50", null,
                Map.of(Outlook365Constants.START_DATE_TIME, "2025-03-01T00:00:00Z",
                        Outlook365Constants.END_DATE_TIME, "2025-04-10T00:00:00Z"),
                List.class);
        Map<String, List<String>> utcHours = new LinkedHashMap<>();
        for (Event e : events) {
            utcHours.computeIfAbsent(e.subject(), k -> new java.util.ArrayList<>())
                    .add(e.start().dateTime().substring(5, 13));
        }
        assertEquals(List.of("03-03T14", "03-10T13", "03-17T13", "03-24T13", "03-31T13", "04-07T13"), utcHours.get("NY"));
        assertEquals(List.of("03-03T08", "03-10T08", "03-17T08", "03-24T08", "03-31T07", "04-07T07"),
                utcHours.get("Berlin"));
        // and in each zone it stays 09:00 local
        for (Event e : events) {
            ZoneId zone = e.subject().equals("NY") ? ZoneId.of("America/New_York") : ZoneId.of("Europe/Berlin");
            assertEquals(9, e.startTime().withZoneSameInstant(zone).getHour(), e.toString());
        }
    }

    @Test
    void invitationRoundTripWithRespondCancelAndForward() throws Exception {
        // Bob invites Ada
        String bobs = sim.calendars().createEvent(BOB, simEvent("Design review", "2025-06-02T09:00:00",
                "2025-06-02T10:00:00", "UTC", "\"attendees\":[{\"type\":\"required\",\"emailAddress\":{\"address\":\""
                                              + ADA + "\"}}]"));
        String adas = sim.calendars().events(ADA).get(0).path("id").asText();

        // Ada proposes a new time while tentatively accepting
        Map<String, Object> answer = Map.of("comment", "Could we do later?", "proposedStart", "2025-06-02T14:00:00Z",
                "proposedEnd", "2025-06-02T15:00:00Z");
        template.sendBodyAndHeaders("outlook365:calendar/respond", answer,
                Map.of(Outlook365Constants.EVENT_ID, adas, Outlook365Constants.RESPONSE, "tentative"));
        RecordedRequest request = last("POST", "/tentativelyAccept");
        assertEquals("/v1.0/users/" + ADA + "/events/" + adas + "/tentativelyAccept", request.path());
        JsonNode body = json(request);
        assertEquals("Could we do later?", body.path("comment").asText());
        assertTrue(body.path("sendResponse").asBoolean());
        assertEquals("2025-06-02T14:00:00", body.at("/proposedNewTime/start/dateTime").asText());
        assertEquals("tentativelyAccepted", sim.calendars().event(BOB, bobs).at("/attendees/0/status/response").asText());
        ObjectNode response = sim.messages(BOB, "inbox").get(0);
        assertEquals("meetingTenativelyAccepted", response.path("meetingMessageType").asText());
        assertEquals("2025-06-02T14:00:00", response.at("/proposedNewTime/start/dateTime").asText());

        // then accepts (option response, no message to the organizer)
        template.sendBodyAndHeader("outlook365:calendar/respond?response=accept&sendResponse=false", null,
                Outlook365Constants.EVENT_ID, adas);
        assertFalse(json(last("POST", "/accept")).path("sendResponse").asBoolean());
        assertEquals("accepted", sim.calendars().event(ADA, adas).at("/responseStatus/response").asText());
        assertEquals(1, sim.messages(BOB, "inbox").size());

        // Ada forwards it to Carol (not simulated) and Bob's colleague
        template.sendBodyAndHeaders("outlook365:calendar/forwardEvent", "FYI",
                Map.of(Outlook365Constants.EVENT_ID, adas, Outlook365Constants.TO, "carol@fabrikam.example"));
        JsonNode forward = json(last("POST", "/forward"));
        assertEquals("carol@fabrikam.example", forward.at("/toRecipients/0/emailAddress/address").asText());
        assertEquals("FYI", forward.path("comment").asText());

        // Bob's side cancels with a message through the component
        context.getComponent("outlook365", Outlook365Component.class).getConfiguration().setAccount(BOB);
        template.sendBodyAndHeaders("outlook365:calendar/cancelEvent?account=" + BOB, null,
                Map.of(Outlook365Constants.EVENT_ID, bobs, Outlook365Constants.COMMENT, "Postponed"));
        RecordedRequest cancel = last("POST", "/cancel");
        assertEquals("/v1.0/users/" + BOB + "/events/" + bobs + "/cancel", cancel.path());
        assertEquals("{\"comment\":\"Postponed\"}", cancel.body());
        assertTrue(sim.calendars().event(ADA, adas).path("isCancelled").asBoolean());
        List<ObjectNode> adasInbox = sim.messages(ADA, "inbox");
        assertEquals("Postponed", adasInbox.get(adasInbox.size() - 1).at("/body/content").asText());
    }

    @Test
    void aBlankHeaderCountsAsNotSetAndTheBodyComesBeforeTheOption() throws Exception {
        // given a meeting Ada organizes
        String id = sim.calendars().createEvent(ADA, simEvent("Offsite", "2025-06-02T09:00:00", "2025-06-02T10:00:00",
                "UTC", "\"attendees\":[{\"emailAddress\":{\"address\":\"" + BOB + "\"}}]"));

        // when she forwards it with a blank To header and the recipient and comment in the body
        template.sendBodyAndHeaders("outlook365:calendar/forwardEvent?comment=From the option",
                Map.of("to", "carol@fabrikam.example", "comment", "From the body"),
                Map.of(Outlook365Constants.EVENT_ID, id, Outlook365Constants.TO, " "));

        // then the body wins over the option, and the blank header counts as not set
        JsonNode forward = json(last("POST", "/forward"));
        assertEquals("carol@fabrikam.example", forward.at("/toRecipients/0/emailAddress/address").asText());
        assertEquals("From the body", forward.path("comment").asText());

        // when she cancels it with a blank comment header, then the option is the comment
        template.sendBodyAndHeaders("outlook365:calendar/cancelEvent?comment=Postponed", null,
                Map.of(Outlook365Constants.EVENT_ID, id, Outlook365Constants.COMMENT, ""));
        assertEquals("{\"comment\":\"Postponed\"}", last("POST", "/cancel").body());
    }

    @Test
    void listCalendarsAndFindMeetingTimes() throws Exception {
        sim.calendars().createCalendar(ADA, "Projects");
        @SuppressWarnings("unchecked")
        List<Calendar> calendars = template.requestBody("outlook365:calendar/listCalendars", null, List.class);
        assertEquals(List.of("Calendar", "Projects"), calendars.stream().map(Calendar::name).toList());
        assertTrue(calendars.get(0).isDefaultCalendar());
        assertEquals("/v1.0/users/" + ADA + "/calendars", last("GET", "/calendars").path());

        sim.calendars().createEvent(BOB, simEvent("Busy", "2025-06-02T09:00:00", "2025-06-02T10:00:00", "UTC", null));
        Map<String, Object> search = Map.of("attendees", BOB, "start", "2025-06-02T09:00:00Z", "end",
                "2025-06-02T12:00:00Z", "meetingDuration", 60, "maxCandidates", 3);
        MeetingTimeSuggestionsResult result = template.requestBody(
                "outlook365:calendar/findMeetingTimes?timeZone=UTC", search, MeetingTimeSuggestionsResult.class);
        JsonNode body = json(last("POST", "/findMeetingTimes"));
        assertEquals("/v1.0/users/" + ADA + "/findMeetingTimes", last("POST", "/findMeetingTimes").path());
        assertEquals("PT1H", body.path("meetingDuration").asText());
        assertEquals(BOB, body.at("/attendees/0/emailAddress/address").asText());
        assertEquals("2025-06-02T09:00:00", body.at("/timeConstraint/timeSlots/0/start/dateTime").asText());
        assertEquals(3, result.meetingTimeSuggestions().size());
        assertEquals("2025-06-02T10:00:00.0000000",
                result.meetingTimeSuggestions().get(0).meetingTimeSlot().start().dateTime());
        assertEquals("free", result.meetingTimeSuggestions().get(0).attendeeAvailability().get(0).availability());
    }

    static Stream<Arguments> badInputs() {
        String ok = "2025-06-02T09:00:00Z";
        return Stream.of(
                Arguments.of("outlook365:calendar/getEvent", null, Map.of(),
                        "needs the event's id in header CamelOutlook365EventId"),
                Arguments.of("outlook365:calendar/getEvent", null, Map.of(Outlook365Constants.EVENT_ID, "AAMkAGnope"),
                        "event 'AAMkAGnope' (header CamelOutlook365EventId) was not found"),
                Arguments.of("outlook365:calendar/createEvent", Map.of("subject", "x", "start", ok, "end",
                        "2025-06-02T08:00:00Z"), Map.of(), "ends (2025-06-02T08:00:00 (UTC)) before it starts"),
                Arguments.of("outlook365:calendar/createEvent", Map.of("subject", "x", "start", "2025-06-02T09:00:00",
                        "end", "2025-06-02T10:00:00"), Map.of(), "has no time zone"),
                Arguments.of("outlook365:calendar/createEvent", Map.of("subject", "x", "start",
                        Map.of("dateTime", "2025-06-02T09:00:00", "timeZone", "Mars Standard Time"), "end", ok),
                        Map.of(), "unknown time zone 'Mars Standard Time'"),
                Arguments.of("outlook365:calendar/createEvent", Map.of("subject", "x"), Map.of(),
                        "needs the event's start and end"),
                Arguments.of("outlook365:calendar/createEvent", Map.of("subject", "x", "start", ok, "end",
                        "2025-06-02T10:00:00Z", "showAs", "sleeping"), Map.of(), "showAs 'sleeping' is not known"),
                Arguments.of("outlook365:calendar/createEvent", Map.of("subject", "x", "start", "2025-06-02T09:00:00Z",
                        "end", "2025-06-03T00:00:00Z", "isAllDay", true), Map.of(), "an all-day event starts and ends at midnight"),
                Arguments.of("outlook365:calendar/createEvent?calendar=Holidays", Map.of("subject", "x", "start", ok,
                        "end", "2025-06-02T10:00:00Z"), Map.of(), "option calendar='Holidays': mailbox '" + ADA
                                                                  + "' has no calendar of that name or id; its calendars are [Calendar]"),
                Arguments.of("outlook365:calendar/respond", null, Map.of(Outlook365Constants.EVENT_ID, "x",
                        Outlook365Constants.RESPONSE, "maybe"), "header CamelOutlook365Response 'maybe' is not known"),
                Arguments.of("outlook365:calendar/respond", null, Map.of(Outlook365Constants.EVENT_ID, "x"),
                        "needs a response"),
                Arguments.of("outlook365:calendar/forwardEvent", null, Map.of(Outlook365Constants.EVENT_ID, "x"),
                        "has no recipient"),
                Arguments.of("outlook365:calendar/listEvents", null, Map.of(Outlook365Constants.START_DATE_TIME, ok,
                        Outlook365Constants.END_DATE_TIME, "2025-06-01T00:00:00Z"), "is not after"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "outlook365:calendar/listCalendars?clientId=mail-only-app&clientSecret=other-secret | outlook365:calendar/listCalendars needs the Microsoft Graph application permission Calendars.Read",
        "outlook365:calendar/createEvent?clientId=mail-only-app&clientSecret=other-secret  | outlook365:calendar/createEvent needs the Microsoft Graph application permission Calendars.ReadWrite" })
    void aMissingPermissionStopsTheActionBeforeAnythingReachesGraph(String uri, String expected) {
        Exception e = assertThrows(Exception.class, () -> template.sendBody(uri.trim(), Map.of("subject", "x")));
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        assertTrue(message.contains(expected.trim()), message);
        assertTrue(message.contains("/adminconsent?client_id=mail-only-app"), message);
        assertFalse(message.contains("other-secret"), message);
        assertTrue(sim.calendars().events(ADA).isEmpty(), "nothing created");
    }

    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("badInputs")
    void badInputsAreRefusedWithAnErrorThatSaysWhatToDo(String uri, Object body, Map<String, Object> headers,
                                                       String expected) {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBodyAndHeaders(uri, body, headers));
        String message = e.getCause().getMessage();
        assertTrue(message.contains(expected), message);
        assertFalse(message.contains(SimulatedTenant.CLIENT_SECRET) || message.contains("other-secret"), message);
        assertTrue(sim.calendars().events(ADA).isEmpty(), "nothing created");
    }

    @Test
    void anOrganizerCannotRespondAndAnAttendeeCannotCancel() {
        String adas = sim.calendars().createEvent(ADA, simEvent("Mine", "2025-06-02T09:00:00", "2025-06-02T10:00:00",
                "UTC", "\"attendees\":[{\"emailAddress\":{\"address\":\"" + BOB + "\"}}]"));
        String bobs = sim.calendars().createEvent(BOB, simEvent("Bob's", "2025-06-03T09:00:00", "2025-06-03T10:00:00",
                "UTC", "\"attendees\":[{\"emailAddress\":{\"address\":\"" + ADA + "\"}}]"));
        String adasCopy = sim.calendars().events(ADA).stream().filter(e -> e.path("subject").asText().equals("Bob's"))
                .findFirst().orElseThrow().path("id").asText();

        CamelExecutionException respond = assertThrows(CamelExecutionException.class,
                () -> template.sendBodyAndHeaders("outlook365:calendar/respond?response=accept", null,
                        Map.of(Outlook365Constants.EVENT_ID, adas)));
        assertTrue(respond.getCause().getMessage().contains("is a meeting '" + ADA + "' organizes"
                                                          + " (ErrorCalendarIsOrganizerForAccept)"),
                respond.getCause().getMessage());
        CamelExecutionException cancel = assertThrows(CamelExecutionException.class,
                () -> template.sendBodyAndHeaders("outlook365:calendar/cancelEvent", null,
                        Map.of(Outlook365Constants.EVENT_ID, adasCopy)));
        assertTrue(cancel.getCause().getMessage().contains("only the organizer cancels a meeting"),
                cancel.getCause().getMessage());
        assertFalse(sim.calendars().event(BOB, bobs).path("isCancelled").asBoolean());
    }

    @Test
    void anUnknownTimeZoneOptionIsRefusedWhenTheRouteIsCreated() {
        Exception e = assertThrows(Exception.class,
                () -> template.sendBody("outlook365:calendar/listEvents?timeZone=Atlantis/Central", null));
        Throwable root = e;
        while (root.getCause() != null && !(root instanceof IllegalArgumentException)) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains("option timeZone: unknown time zone 'Atlantis/Central'"), root.getMessage());
        assertEquals(0, sim.countRequests("GET", "/calendarView"));
    }

    @Test
    void eventRecordsReadGraphJsonAndKeepIt() {
        String id = sim.calendars().createEvent(ADA, simEvent("Offsite", "2025-06-02T00:00:00", "2025-06-04T00:00:00", "UTC",
                "\"isAllDay\":true,\"body\":{\"contentType\":\"text\",\"content\":\"Bring boots\"}"));
        Event event = Event.fromGraph(sim.calendars().event(ADA, id));
        assertTrue(event.isAllDay());
        assertEquals(ItemBody.text("Bring boots"), event.body());
        assertEquals("Offsite", event.raw().path("subject").asText());
        assertEquals(LocalDate.of(2025, 6, 2), event.startTime().toLocalDate());
    }
}

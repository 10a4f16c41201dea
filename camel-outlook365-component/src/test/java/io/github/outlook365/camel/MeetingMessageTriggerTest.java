package io.github.outlook365.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.outlook365.camel.model.Event;
import io.github.outlook365.camel.model.EventMessage;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.RecordedRequest;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.github.outlook365.camel.SimulatedTenant.ADA;
import static io.github.outlook365.camel.SimulatedTenant.BOB;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** invitationReceived and responseReceived: the invitation round trip between two mailboxes. */
class MeetingMessageTriggerTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    private SimulatedTenant tenant;
    private Outlook365Simulator sim;
    private final List<Exchange> invitations = new CopyOnWriteArrayList<>();
    private final List<Exchange> responses = new CopyOnWriteArrayList<>();
    private CamelContext context;

    @BeforeEach
    void setUp() throws Exception {
        sim = SIMULATOR.simulator();
        tenant = new SimulatedTenant(sim, work);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (context != null) {
            context.stop();
        }
    }

    private void start() throws Exception {
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                // Bob accepts every invitation from contoso
                from("outlook365:calendar/invitationReceived?account=" + BOB + "&delay=100&initialDelay=0")
                        .routeId("bob-invitations")
                        .process(e -> invitations.add(e.copy()))
                        .filter(header(Outlook365Constants.FROM).endsWith("@contoso.onmicrosoft.com"))
                        .setHeader(Outlook365Constants.COMMENT, constant("Happy to join"))
                        .to("outlook365:calendar/respond?account=" + BOB + "&response=accept");
                // Ada hears the answers to her meetings
                from("outlook365:calendar/responseReceived?delay=100&initialDelay=0&timeZone=Europe/Paris")
                        .routeId("ada-responses")
                        .process(e -> responses.add(e.copy()));
            }
        });
        context.start();
    }

    @Test
    void invitationRoundTripFromCreateToAcceptedAttendeeStatus() throws Exception {
        // given an old meeting request and a plain mail already in Bob's inbox
        sim.calendars().createEvent(ADA, "{\"subject\":\"Old\",\"start\":{\"dateTime\":\"2025-01-06T09:00:00\","
                                         + "\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\"2025-01-06T10:00:00\",\"timeZone\":"
                                         + "\"UTC\"},\"attendees\":[{\"emailAddress\":{\"address\":\"" + BOB + "\"}}]}");
        start();
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.countRequests("GET", "/messages/delta") >= 4);
        sim.deliver(BOB, SimMail.from(ADA, "Ada").subject("Lunch?").textBody("Not a meeting request"));

        // when Ada creates a meeting with Bob through the component
        String day = LocalDate.now(ZoneOffset.UTC).plusDays(3).toString();
        Event created = context.createProducerTemplate().requestBody("outlook365:calendar/createEvent", Map.of(
                "subject", "Design review", "start", day + "T09:00:00Z", "end", day + "T10:00:00Z",
                "attendees", BOB), Event.class);

        // then Bob's invitationReceived fires once, with his copy of the meeting attached
        await().atMost(Duration.ofSeconds(20)).until(() -> invitations.size() == 1 && responses.size() == 1);
        Exchange invitation = invitations.get(0);
        EventMessage request = invitation.getMessage().getBody(EventMessage.class);
        assertEquals("meetingRequest", request.meetingMessageType());
        assertEquals("meetingRequest", invitation.getMessage().getHeader(Outlook365Constants.MEETING_MESSAGE_TYPE));
        assertEquals("newMeetingRequest", request.meetingRequestType());
        assertEquals("Design review", request.message().subject());
        assertEquals(ADA, invitation.getMessage().getHeader(Outlook365Constants.FROM));
        assertFalse(request.event().isOrganizer());
        String bobsEvent = request.event().id();
        assertEquals(bobsEvent, invitation.getMessage().getHeader(Outlook365Constants.EVENT_ID));
        RecordedRequest expand = sim.requests().stream()
                .filter(r -> r.path().startsWith("/v1.0/users/" + BOB + "/messages/") && r.query() != null
                             && r.query().equals("$expand=microsoft.graph.eventMessage/event"))
                .findFirst().orElseThrow();
        assertEquals("GET", expand.method());

        // and Bob's route accepted it
        RecordedRequest accept = sim.requests().stream().filter(r -> r.path().endsWith("/accept")).findFirst()
                .orElseThrow();
        assertEquals("/v1.0/users/" + BOB + "/events/" + bobsEvent + "/accept", accept.path());
        assertEquals("{\"comment\":\"Happy to join\",\"sendResponse\":true}", accept.body());

        // and Ada's responseReceived fired with her event, the attendee status accepted
        Exchange response = responses.get(0);
        EventMessage answer = response.getMessage().getBody(EventMessage.class);
        assertEquals("meetingAccepted", answer.meetingMessageType());
        assertEquals("accepted", answer.responseType());
        assertEquals(BOB, answer.message().fromAddress());
        assertEquals(created.id(), answer.event().id());
        assertEquals("accepted", answer.event().attendees().get(0).response());
        assertEquals("Europe/Paris", answer.event().start().timeZone());
        assertEquals("accepted", sim.calendars().event(ADA, created.id()).at("/attendees/0/status/response").asText());

        // nothing fires twice, and neither the old request nor the plain mail fired
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.countRequests("GET", "/messages/delta") >= 20);
        assertEquals(1, invitations.size());
        assertEquals(1, responses.size());
        assertTrue(sim.messages(BOB, "inbox").size() >= 3);
    }
}

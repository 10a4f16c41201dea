package io.github.outlook365.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.outlook365.camel.model.Event;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.RecordedRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.github.outlook365.camel.SimulatedTenant.ADA;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StartingSoonTriggerTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    private SimulatedTenant tenant;
    private Outlook365Simulator sim;
    private final List<Exchange> fired = new CopyOnWriteArrayList<>();
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

    private void start(String options) throws Exception {
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:calendar/startingSoon?delay=100&initialDelay=0" + options).routeId("soon")
                        .process(e -> fired.add(e.copy()));
            }
        });
        context.start();
    }

    private void awaitPolls(int polls) {
        long before = sim.countRequests("GET", "/calendarView$");
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.countRequests("GET", "/calendarView$") >= before + polls);
    }

    private static String at(Instant instant) {
        return LocalDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC).toString();
    }

    private static String event(String subject, Duration fromNow, String extra) {
        Instant start = Instant.now().plus(fromNow);
        return "{\"subject\":\"" + subject + "\",\"start\":{\"dateTime\":\"" + at(start) + "\",\"timeZone\":\"UTC\"},"
               + "\"end\":{\"dateTime\":\"" + at(start.plus(Duration.ofMinutes(30))) + "\",\"timeZone\":\"UTC\"}"
               + (extra == null ? "" : "," + extra) + "}";
    }

    private List<String> subjects() {
        return fired.stream().map(e -> e.getMessage().getBody(Event.class).subject()).toList();
    }

    @Test
    void firesOnceForAnEventStartingWithinMinutesBeforeAndNotForLaterOnes() throws Exception {
        sim.calendars().createEvent(ADA, event("In ten minutes", Duration.ofMinutes(10), null));
        sim.calendars().createEvent(ADA, event("In an hour", Duration.ofMinutes(60), null));
        start("&timeZone=America/New_York");
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.size() == 1);
        awaitPolls(3);
        assertEquals(List.of("In ten minutes"), subjects());
        assertEquals("America/New_York", fired.get(0).getMessage()
                .getHeader(Outlook365Constants.START_DATE_TIME, java.time.ZonedDateTime.class).getZone().getId());

        RecordedRequest request = sim.requests().stream().filter(r -> r.path().endsWith("/calendarView")).findFirst()
                .orElseThrow();
        assertEquals("/v1.0/users/" + ADA + "/calendar/calendarView", request.path());
        assertTrue(request.query().matches("startDateTime=\\S+Z&endDateTime=\\S+Z&\\$top=50"), request.query());
        assertEquals("outlook.timezone=\"America/New_York\"", request.header("Prefer"));
    }

    @Test
    void aRestartInsideTheWindowDoesNotFireAgainAndAMovedEventFiresAtItsNewTime() throws Exception {
        String id = sim.calendars().createEvent(ADA, event("Standup", Duration.ofMinutes(5), null));
        start("&minutesBefore=15");
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.size() == 1);
        context.stop();
        start("&minutesBefore=15");
        awaitPolls(3);
        assertEquals(1, fired.size(), "a restart inside the window fires nothing twice");

        // moved later, still within the window: fires again for its new start
        sim.calendars().updateEvent(ADA, id, "{\"start\":{\"dateTime\":\"" + at(Instant.now().plus(Duration.ofMinutes(12)))
                                             + "\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\""
                                             + at(Instant.now().plus(Duration.ofMinutes(40))) + "\",\"timeZone\":\"UTC\"}}");
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.size() == 2);
        // moved far later: nothing until it is close
        sim.calendars().updateEvent(ADA, id, "{\"start\":{\"dateTime\":\"" + at(Instant.now().plus(Duration.ofHours(3)))
                                             + "\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\""
                                             + at(Instant.now().plus(Duration.ofHours(4))) + "\",\"timeZone\":\"UTC\"}}");
        awaitPolls(3);
        assertEquals(List.of("Standup", "Standup"), subjects());
    }

    @Test
    void eachOccurrenceOfASeriesFiresAndCancelledOnesDoNot() throws Exception {
        // a daily series whose today's occurrence starts in 5 minutes, and a cancelled meeting
        Instant start = Instant.now().plus(Duration.ofMinutes(5));
        String today = start.atOffset(ZoneOffset.UTC).toLocalDate().toString();
        String master = sim.calendars().createEvent(ADA, event("Daily", Duration.ofMinutes(5),
                "\"recurrence\":{\"pattern\":{\"type\":\"daily\",\"interval\":1},\"range\":{\"type\":\"numbered\","
                                                                       + "\"startDate\":\"" + today
                                                                       + "\",\"numberOfOccurrences\":3}}"));
        sim.calendars().createEvent(SimulatedTenant.BOB, event("Cancelled later", Duration.ofMinutes(8),
                "\"attendees\":[{\"type\":\"required\",\"emailAddress\":{\"address\":\"" + ADA + "\"}}]"));
        String bobs = sim.calendars().events(SimulatedTenant.BOB).get(0).path("id").asText();
        sim.calendars().deleteEvent(SimulatedTenant.BOB, bobs);
        start("");
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.size() == 1);
        awaitPolls(3);
        assertEquals(List.of("Daily"), subjects());
        assertEquals("occurrence", fired.get(0).getMessage().getHeader(Outlook365Constants.EVENT_TYPE));
        assertEquals(master, fired.get(0).getMessage().getHeader(Outlook365Constants.SERIES_MASTER_ID));
    }

    @Test
    void aNegativeMinutesBeforeIsRefusedAtStart() {
        Exception e = assertThrows(Exception.class, () -> start("&minutesBefore=-5"));
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof IllegalArgumentException)) {
            cause = cause.getCause();
        }
        assertTrue(cause.getMessage().contains("option minutesBefore must be from 0 to 10080 (a week), not -5"),
                cause.getMessage());
    }
}

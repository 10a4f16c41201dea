package io.github.outlook365.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.github.outlook365.camel.SimulatedTenant.ADA;
import static io.github.outlook365.camel.SimulatedTenant.BOB;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CalendarChangeTriggerTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    private SimulatedTenant tenant;
    private Outlook365Simulator sim;
    private final Map<String, List<Exchange>> fired = new ConcurrentHashMap<>();
    private CamelContext context;

    @BeforeEach
    void setUp() throws Exception {
        sim = SIMULATOR.simulator();
        tenant = new SimulatedTenant(sim, work);
        for (String change : List.of("created", "updated", "deleted")) {
            fired.put(change, new CopyOnWriteArrayList<>());
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        if (context != null) {
            context.stop();
        }
    }

    private RouteBuilder triggers(String options, AtomicBoolean failOnce) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                for (String change : List.of("created", "updated", "deleted")) {
                    from("outlook365:calendar/" + change + "?delay=100&initialDelay=0" + options).routeId(change)
                            .process(e -> {
                                if (failOnce != null && change.equals("created") && failOnce.compareAndSet(true, false)) {
                                    throw new IllegalStateException("the route failed once");
                                }
                                fired.get(change).add(e.copy());
                            });
                }
            }
        };
    }

    private void start(String options) throws Exception {
        start(options, null);
    }

    private void start(String options, AtomicBoolean failOnce) throws Exception {
        context = tenant.context(triggers(options, failOnce));
        context.start();
    }

    private List<String> subjects(String change) {
        return fired.get(change).stream().map(e -> e.getMessage().getBody(Event.class).subject()).toList();
    }

    /** Waits until each trigger has run {@code rounds} more delta requests: what could fire has fired. */
    private void awaitPolls(int rounds) {
        long before = sim.countRequests("GET", "/calendarView/delta");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> sim.countRequests("GET", "/calendarView/delta") >= before + 3L * rounds);
    }

    private static String day(int plusDays) {
        return LocalDate.now(ZoneOffset.UTC).plusDays(plusDays).toString();
    }

    private static String event(String subject, int plusDays, String extra) {
        return "{\"subject\":\"" + subject + "\",\"start\":{\"dateTime\":\"" + day(plusDays) + "T09:00:00\",\"timeZone\":"
               + "\"UTC\"},\"end\":{\"dateTime\":\"" + day(plusDays) + "T10:00:00\",\"timeZone\":\"UTC\"}"
               + (extra == null ? "" : "," + extra) + "}";
    }

    @Test
    void createdUpdatedAndDeletedFireOnceEachAndDeletionsOutsideTheWindowDoNot() throws Exception {
        // given an event from before the trigger started and one far outside its window
        String before = sim.calendars().createEvent(ADA, event("Already there", 1, null));
        String far = sim.calendars().createEvent(ADA, event("Next year", 300, null));
        start("&pastDays=1&futureDays=30&timeZone=Europe/Paris");
        awaitPolls(1);
        assertTrue(fired.values().stream().allMatch(List::isEmpty), "a new trigger fires for nothing already there");

        // the Graph request is the documented calendarView delta over the window
        RecordedRequest first = sim.requests().stream().filter(r -> r.path().endsWith("/calendarView/delta"))
                .findFirst().orElseThrow();
        assertEquals("/v1.0/users/" + ADA + "/calendarView/delta", first.path());
        assertTrue(first.query().startsWith("startDateTime=" + day(-1) + "T00:00:00Z&endDateTime=" + day(31)
                                            + "T00:00:00Z"), first.query());
        RecordedRequest later = sim.requests().stream().filter(r -> r.path().endsWith("/calendarView/delta"))
                .reduce((a, b) -> b).orElseThrow();
        assertTrue(later.query().startsWith("$deltatoken="), later.query());

        // when a new event appears, an old one changes twice and the far one is deleted
        String added = sim.calendars().createEvent(ADA, event("Added", 2, null));
        sim.calendars().updateEvent(ADA, before, "{\"subject\":\"Changed once\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.get("created").size() == 1
                                                           && fired.get("updated").size() == 1);
        sim.calendars().updateEvent(ADA, before, "{\"subject\":\"Changed twice\"}");
        sim.calendars().deleteEvent(ADA, far);
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.get("updated").size() == 2);
        awaitPolls(3);

        // then each fired once per change, and the deletion outside the window did not fire
        assertEquals(List.of("Added"), subjects("created"));
        assertEquals(List.of("Changed once", "Changed twice"), subjects("updated"));
        assertEquals(List.of(), subjects("deleted"));
        Exchange created = fired.get("created").get(0);
        assertEquals(added, created.getMessage().getHeader(Outlook365Constants.EVENT_ID));
        assertEquals("created", created.getMessage().getHeader(Outlook365Constants.CHANGE_TYPE));
        assertEquals("singleInstance", created.getMessage().getHeader(Outlook365Constants.EVENT_TYPE));
        java.time.ZonedDateTime start = created.getMessage().getHeader(Outlook365Constants.START_DATE_TIME,
                java.time.ZonedDateTime.class);
        assertEquals("Europe/Paris", start.getZone().getId());
        assertEquals(LocalDate.parse(day(2)).atTime(9, 0).atOffset(ZoneOffset.UTC).toInstant(), start.toInstant());

        // and a deletion in the window fires deleted with what the trigger knew of the event
        sim.calendars().deleteEvent(ADA, added);
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.get("deleted").size() == 1);
        Exchange deleted = fired.get("deleted").get(0);
        assertEquals(added, deleted.getMessage().getHeader(Outlook365Constants.EVENT_ID));
        assertEquals("Added", deleted.getMessage().getBody(Event.class).subject());
        awaitPolls(2);
        assertEquals(1, fired.get("deleted").size());
    }

    @Test
    void anEventMovedOutOfTheWindowFiresUpdatedNotDeleted() throws Exception {
        // given two events in the window of a running trigger
        String moved = sim.calendars().createEvent(ADA, event("Moved to next year", 2, null));
        String cancelled = sim.calendars().createEvent(ADA, event("Called off", 3, null));
        start("&pastDays=1&futureDays=30");
        awaitPolls(1);

        // when one is moved far beyond the window and the other is deleted
        sim.calendars().updateEvent(ADA, moved, "{\"start\":{\"dateTime\":\"" + day(300) + "T09:00:00\",\"timeZone\":"
                                                + "\"UTC\"},\"end\":{\"dateTime\":\"" + day(300) + "T10:00:00\","
                                                + "\"timeZone\":\"UTC\"}}");
        sim.calendars().deleteEvent(ADA, cancelled);
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.get("updated").size() == 1
                                                           && fired.get("deleted").size() == 1);
        awaitPolls(2);

        // then Graph's @removed for both was checked against the events themselves (by the updated and the deleted
        // trigger, once each): the moved one is still there and fired updated, as it is now
        assertEquals(List.of("Moved to next year"), subjects("updated"));
        assertEquals(LocalDate.parse(day(300)), fired.get("updated").get(0).getMessage().getBody(Event.class)
                .startTime().toLocalDate());
        assertEquals(List.of("Called off"), subjects("deleted"));
        assertEquals(2, sim.countRequests("GET", "/events/" + java.util.regex.Pattern.quote(moved) + "$"));
        assertEquals(2, sim.countRequests("GET", "/events/" + java.util.regex.Pattern.quote(cancelled) + "$"));
    }

    @Test
    void aRecurringSeriesFiresOncePerChangeNotOncePerOccurrence() throws Exception {
        start("");
        awaitPolls(1);
        String master = sim.calendars().createEvent(ADA, event("Daily", 1,
                "\"recurrence\":{\"pattern\":{\"type\":\"daily\",\"interval\":1},\"range\":{\"type\":\"numbered\","
                                                                + "\"startDate\":\"" + day(1) + "\",\"numberOfOccurrences\":5}}"));
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.get("created").size() == 1);
        Exchange created = fired.get("created").get(0);
        assertEquals("occurrence", created.getMessage().getHeader(Outlook365Constants.EVENT_TYPE));
        assertEquals(master, created.getMessage().getHeader(Outlook365Constants.SERIES_MASTER_ID));
        assertEquals(day(1) + "T09:00:00.0000000", created.getMessage().getBody(Event.class).start().dateTime());

        awaitPolls(1);
        // one occurrence changed: an exception, fires updated for itself
        String third = sim.calendars().view(ADA, null, LocalDate.parse(day(3)).atStartOfDay().toInstant(ZoneOffset.UTC),
                LocalDate.parse(day(4)).atStartOfDay().toInstant(ZoneOffset.UTC)).get(0).path("id").asText();
        sim.calendars().updateEvent(ADA, third, "{\"subject\":\"Daily (later)\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.get("updated").size() == 1);
        assertEquals("exception", fired.get("updated").get(0).getMessage().getHeader(Outlook365Constants.EVENT_TYPE));
        assertEquals(third, fired.get("updated").get(0).getMessage().getHeader(Outlook365Constants.EVENT_ID));

        // the whole series changes: one updated; the series is deleted: one deleted
        sim.calendars().updateEvent(ADA, master, "{\"subject\":\"Daily sync\"}");
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.get("updated").size() == 2);
        awaitPolls(1);
        sim.calendars().deleteEvent(ADA, master);
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.get("deleted").size() == 1);
        awaitPolls(3);
        assertEquals(1, fired.get("created").size());
        assertEquals(2, fired.get("updated").size());
        assertEquals(1, fired.get("deleted").size());
        assertEquals(master, fired.get("deleted").get(0).getMessage().getHeader(Outlook365Constants.SERIES_MASTER_ID));
    }

    @Test
    void aRestartResumesFromTheStoredStateAndAResetLosesNothing() throws Exception {
        start("");
        awaitPolls(1);
        sim.calendars().createEvent(ADA, event("Before stop", 1, null));
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.get("created").size() == 1);
        context.stop();

        // while stopped
        String changed = sim.calendars().createEvent(ADA, event("While stopped", 2, null));
        start("");
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.get("created").size() == 2);
        awaitPolls(2);
        assertEquals(List.of("Before stop", "While stopped"), subjects("created"));

        // Graph forgets the delta tokens; what changed meanwhile fires, nothing twice
        sim.forceDeltaReset(ADA);
        sim.calendars().updateEvent(ADA, changed, "{\"subject\":\"Changed during the reset\"}");
        sim.calendars().createEvent(ADA, event("New during the reset", 3, null));
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.get("updated").size() == 1
                                                           && fired.get("created").size() == 3);
        awaitPolls(2);
        assertEquals(List.of("Before stop", "While stopped", "New during the reset"), subjects("created"));
        assertEquals(List.of("Changed during the reset"), subjects("updated"));
        assertTrue(sim.requests().stream().anyMatch(r -> r.status() == 410), "the reset happened");
    }

    @Test
    void aFailedExchangeFiresAgainAndOnlyOnce() throws Exception {
        AtomicBoolean failOnce = new AtomicBoolean(true);
        start("", failOnce);
        awaitPolls(1);
        sim.calendars().createEvent(ADA, event("One", 1, null));
        sim.calendars().createEvent(ADA, event("Two", 2, null));
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.get("created").size() == 2);
        awaitPolls(2);
        assertEquals(List.of("One", "Two"), subjects("created"));
    }

    @Test
    void throttlingAndServerErrorsAreRiddenOutWithoutLossOrDuplicates() throws Exception {
        start("");
        awaitPolls(1);
        sim.injectFault(io.github.outlook365.simulator.SimFault.throttle("/calendarView/delta", 2, Duration.ofSeconds(1)));
        sim.injectFault(io.github.outlook365.simulator.SimFault.status("/calendarView/delta", 503, "ServiceUnavailable", 2));
        sim.calendars().createEvent(ADA, event("Through the storm", 1, null));
        await().atMost(Duration.ofSeconds(30)).until(() -> fired.get("created").size() == 1);
        awaitPolls(2);
        assertEquals(List.of("Through the storm"), subjects("created"));
        assertTrue(sim.requests().stream().anyMatch(r -> r.status() == 429));
        assertTrue(sim.requests().stream().anyMatch(r -> r.status() == 503));
    }

    @Test
    void aSharedMailboxsNamedCalendarIsWatched() throws Exception {
        String projects = sim.calendars().createCalendar(BOB, "Projects");
        start("&account=" + BOB + "&calendar=Projects");
        awaitPolls(1);
        sim.calendars().createEvent(BOB, event("In the default calendar", 1, null));
        sim.calendars().createEvent(BOB, "Projects", event("In projects", 1, null));
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.get("created").size() == 1);
        awaitPolls(2);
        assertEquals(List.of("In projects"), subjects("created"));
        assertEquals(projects, fired.get("created").get(0).getMessage().getHeader(Outlook365Constants.CALENDAR_ID));
        assertTrue(sim.requests().stream().anyMatch(
                r -> r.path().equals("/v1.0/users/" + BOB + "/calendars/" + projects + "/calendarView/delta")));
    }

    @Test
    void whenTheWindowMovesOnWhatOnlySlidInOrOutDoesNotFire() throws Exception {
        // given the state of a trigger whose window was set 10 days ago and whose last round is just done
        String slidIn = sim.calendars().createEvent(ADA, event("Slid into the window", 2, null));
        String stillThere = sim.calendars().createEvent(ADA, event("Still there", 1, null));
        String now = java.time.Instant.now().plusSeconds(120).toString();
        String ended = java.time.Instant.now().minus(Duration.ofDays(8)).toString();
        String tomorrow = java.time.Instant.now().plus(Duration.ofDays(1)).toString();
        String state = "{\"deltaLink\":null,\"windowStart\":\"" + java.time.Instant.now().minus(Duration.ofDays(17))
                       + "\",\"windowEnd\":\"" + java.time.Instant.now().plus(Duration.ofDays(1)) + "\",\"lastRound\":\""
                       + now + "\",\"known\":{"
                       + "\"old-event\":{\"changeKey\":\"ck1\",\"subject\":\"Long past\",\"start\":\"" + ended
                       + "\",\"end\":\"" + ended + "\"},"
                       + "\"gone-event\":{\"changeKey\":\"ck2\",\"subject\":\"Deleted meanwhile\",\"start\":\""
                       + tomorrow + "\",\"end\":\"" + tomorrow + "\"},"
                       + "\"" + stillThere + "\":{\"changeKey\":\""
                       + sim.calendars().event(ADA, stillThere).path("changeKey").asText() + "\",\"subject\":\"Still there\"}}}";
        org.apache.camel.support.processor.state.MemoryStateRepository repository
                = new org.apache.camel.support.processor.state.MemoryStateRepository();
        for (String change : List.of("created", "updated", "deleted")) {
            repository.setState(("calendar." + change + "/" + SimulatedTenant.TENANT + "/" + ADA + "/default-calendar")
                    .toLowerCase(java.util.Locale.ROOT) + "/calendar", state);
        }
        context = tenant.context(triggers("", null), c -> c.setStateRepository(repository));
        context.start();
        awaitPolls(2);

        // then only the real deletion fires: nothing for what slid in, fell out, or did not change
        assertEquals(List.of(), subjects("created"));
        assertEquals(List.of(), subjects("updated"));
        assertEquals(List.of("Deleted meanwhile"), subjects("deleted"));
        RecordedRequest fresh = sim.requests().stream().filter(r -> r.path().endsWith("/calendarView/delta"))
                .findFirst().orElseThrow();
        assertTrue(fresh.query().startsWith("startDateTime=" + day(-7) + "T00:00:00Z"), fresh.query());
        assertTrue(repository.getState(("calendar.created/" + SimulatedTenant.TENANT + "/" + ADA + "/default-calendar")
                .toLowerCase(java.util.Locale.ROOT) + "/calendar").contains(slidIn));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "&pastDays=-1               | option pastDays must be from 0 to 3650, not -1",
        "&futureDays=0              | option futureDays must be from 1 to 3650, not 0",
        "&timeZone=Middle Earth     | option timeZone: unknown time zone 'Middle Earth'",
        "&calendar=Holidays         | option calendar='Holidays': mailbox 'ada@contoso.onmicrosoft.com' has no calendar of that name or id",
        "&clientId=mail-only&clientSecret=s2 | outlook365:calendar/created needs the Microsoft Graph application permission Calendars.Read" })
    void badOptionsStopTheRouteFromStartingWithAClearError(String options, String expected) throws Exception {
        sim.registerApp(SimulatedTenant.TENANT, "mail-only", "s2", java.util.Set.of("Mail.Read", "User.Read.All"));
        Exception e = assertThrows(Exception.class, () -> start(options.trim()));
        Throwable cause = e;
        StringBuilder messages = new StringBuilder();
        while (cause != null) {
            messages.append(cause.getMessage()).append(" | ");
            cause = cause.getCause();
        }
        assertTrue(messages.toString().contains(expected.trim()), messages.toString());
        assertTrue(!messages.toString().contains("s2&") && !messages.toString().contains(SimulatedTenant.CLIENT_SECRET),
                messages.toString());
        assertTrue(fired.values().stream().allMatch(List::isEmpty));
    }
}

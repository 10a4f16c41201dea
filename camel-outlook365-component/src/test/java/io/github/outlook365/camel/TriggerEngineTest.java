package io.github.outlook365.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.outlook365.camel.connection.ConnectionEvent;
import io.github.outlook365.camel.connection.ConnectionState;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.camel.trigger.MessageTrigger;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.RecordedRequest;
import io.github.outlook365.simulator.SimFault;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.github.outlook365.camel.SimulatedTenant.ADA;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trigger engine every trigger runs on, seen through mail/received: pages committed one by one, a backlog drained
 * at once, Camel's batch properties, an item whose exchanges keep failing parked and retried, a JVM error never taken
 * for a failure, and the JMX view of each trigger.
 */
class TriggerEngineTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    private Outlook365Simulator sim;
    private SimulatedTenant tenant;
    private CamelContext context;
    /** Every exchange the route saw, succeeded or not, in order. */
    private final List<Exchange> seen = new CopyOnWriteArrayList<>();
    /** The exchanges the route completed. */
    private final List<Exchange> fired = new CopyOnWriteArrayList<>();
    private final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();

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

    /** Starts mail/received (route id inbox) with {@code options}; {@code step} runs on each exchange and may throw. */
    private void start(String options, Processor step) throws Exception {
        String polling = options.contains("delay=") ? "initialDelay=0" : "delay=100&initialDelay=0";
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?" + polling + options).routeId("inbox")
                        .process(e -> seen.add(e.copy()))
                        .process(step)
                        .process(e -> fired.add(e.copy()));
                from("outlook365:connection/events").routeId("events")
                        .process(e -> events.add(e.getMessage().getBody(ConnectionEvent.class)));
            }
        });
        context.start();
    }

    private static SimMail mail(String subject) {
        return SimMail.from("carol@fabrikam.example", "Carol").to(ADA).subject(subject).textBody("hi " + subject);
    }

    private static String subject(Exchange e) {
        return e.getMessage().getBody(Message.class).subject();
    }

    private List<String> subjects(List<Exchange> exchanges) {
        return exchanges.stream().map(TriggerEngineTest::subject).toList();
    }

    /** Waits until the trigger has run {@code rounds} more delta requests than now: what could fire has fired. */
    private void awaitPolls(int rounds) {
        long before = sim.countRequests("GET", "/messages/delta");
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.countRequests("GET", "/messages/delta") >= before + rounds);
    }

    /** Delivers mail while the route is suspended, so that one delta round holds all of it. */
    private void deliverInOneRound(String... subjects) throws Exception {
        context.getRouteController().suspendRoute("inbox");
        for (String s : subjects) {
            sim.deliver(ADA, mail(s));
        }
        context.getRouteController().resumeRoute("inbox");
    }

    private Object jmx(String attribute) throws Exception {
        MBeanServer server = context.getManagementStrategy().getManagementAgent().getMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName("org.apache.camel:type=consumers,*"), null);
        for (ObjectName name : names) {
            if ("inbox".equals(server.getAttribute(name, "RouteId"))) {
                return server.getAttribute(name, attribute);
            }
        }
        throw new AssertionError("no consumer MBean of route inbox among " + names);
    }

    @Test
    void aStopInsideARoundResumesFromItsPageWithNothingTwiceAndNothingMissed() throws Exception {
        // given a trigger with pages of 2, whose route holds m3 (the first of the second page) until the stop began
        CountDownLatch inM3 = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean held = new AtomicBoolean();
        start("&pageSize=2", e -> {
            if (subject(e).equals("m3") && held.compareAndSet(false, true)) {
                inM3.countDown();
                release.await(60, TimeUnit.SECONDS);
            }
        });
        deliverInOneRound("m1", "m2", "m3", "m4", "m5", "m6");

        // when the application stops while the route is on m3
        assertTrue(inM3.await(60, TimeUnit.SECONDS));
        CamelContext stopping = context;
        Thread stopper = new Thread(stopping::stop);
        stopper.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> stopping.getStatus().isStopping());
        release.countDown();
        stopper.join(60_000);
        assertEquals(List.of("m1", "m2", "m3"), subjects(fired), "the stop let m3 finish and fired nothing more");

        // and starts again on the same state directory
        sim.clearRequests();
        start("&pageSize=2", e -> {
        });

        // then it goes on from the second page (the stored @odata.nextLink), each message fired once
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() >= 6);
        awaitPolls(2);
        assertEquals(List.of("m1", "m2", "m3", "m4", "m5", "m6"), subjects(fired));
        RecordedRequest resumed = sim.requests().stream().filter(r -> r.path().endsWith("/messages/delta")).findFirst()
                .orElseThrow();
        assertTrue(resumed.query().startsWith("$skiptoken="), "resumed at the stored page: " + resumed.query());
    }

    @Test
    void aBacklogDrainsPageAfterPageWithoutWaitingForTheNextPoll() throws Exception {
        // given 9 messages from the last hour, and a trigger that polls once a minute with pages of 2
        Instant start = Instant.now().minusSeconds(3600);
        for (int i = 1; i <= 9; i++) {
            sim.deliver(ADA, mail("b" + i).receivedAt(start.plusSeconds(i)));
        }

        // when it starts with since (its backlog)
        start("&delay=60000&pageSize=2&since=" + start, e -> {
        });

        // then the whole backlog fires at once, in order, not one page a minute
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() >= 9);
        assertEquals(List.of("b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9"), subjects(fired));
        // read page by page through the folder's list, oldest first, then on with delta
        List<RecordedRequest> lists = sim.requests().stream()
                .filter(r -> r.path().endsWith("/messages") && r.method().equals("GET")).toList();
        assertTrue(lists.size() >= 5, "pages of 2 for 9 messages: " + lists.size());
        assertTrue(lists.get(0).query().contains("$orderby=receivedDateTime%20asc")
                   || lists.get(0).query().contains("$orderby=receivedDateTime asc"), lists.get(0).query());
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.countRequests("GET", "/messages/delta") >= 1);
    }

    @Test
    void aBacklogOrADeltaResetBeyondWhatAFilteredDeltaReturnsFiresCompletely() throws Exception {
        // given Graph's limit on a filtered delta round (5,000 messages; 5 here) and a backlog of 12
        sim.setFilteredDeltaLimit(5);
        Instant start = Instant.now().minusSeconds(3600);
        for (int i = 1; i <= 12; i++) {
            sim.deliver(ADA, mail("b" + i).receivedAt(start.plusSeconds(i)));
        }

        // when a trigger starts with the backlog
        start("&pageSize=4&since=" + start, e -> {
        });

        // then all of it fires, read through the folder's list
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() >= 12);
        assertTrue(sim.countRequests("GET", "/mailFolders/[^/]+/messages$") >= 3, "list pages of 4");
        // (and the delta rounds that follow the backlog are under way: the stored cursor has a delta token)
        awaitPolls(2);

        // and when 12 more arrive while the application is down and Graph forgets the delta token meanwhile
        context.stop();
        for (int i = 1; i <= 12; i++) {
            sim.deliver(ADA, mail("c" + i));
        }
        sim.forceDeltaReset(ADA);
        start("&pageSize=4", e -> {
        });

        // then those fire too, each once
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() >= 24);
        awaitPolls(2);
        assertEquals(24, fired.size());
        assertEquals(24, subjects(fired).stream().distinct().count());
        assertTrue(sim.requests().stream().anyMatch(r -> r.status() == 410), "Graph reset the delta");
    }

    @Test
    void aStopAfterABacklogBeforeItsFirstDeltaRoundLosesNothingOfWhatArrivedWhileDown() throws Exception {
        // given Graph's limit on a filtered delta round (5,000 messages; 5 here) and a backlog of 4
        sim.setFilteredDeltaLimit(5);
        Instant start = Instant.now().minusSeconds(3600);
        for (int i = 1; i <= 4; i++) {
            sim.deliver(ADA, mail("b" + i).receivedAt(start.plusSeconds(i)));
        }
        // and the first delta round after the backlog failing, the next poll a minute later
        sim.injectFault(SimFault.status("/messages/delta", 503, "ServiceNotAvailable", 1));
        start("&pageSize=4&maxRetries=0&backoffErrorThreshold=1&backoffMultiplier=600&since=" + start, e -> {
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() >= 4);
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.countRequests("GET", "/messages/delta") >= 1);

        // when the application stops there (the backlog read, no delta round yet) and 12 arrive while it is down
        context.stop();
        for (int i = 1; i <= 12; i++) {
            sim.deliver(ADA, mail("c" + i));
        }
        start("&pageSize=4", e -> {
        });

        // then all 12 fire, each once: not only the 5 a filtered delta round returns
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() >= 16);
        awaitPolls(2);
        assertEquals(16, fired.size());
        assertEquals(16, subjects(fired).stream().distinct().count());
    }

    @Test
    void aFirstDeltaRoundAfterABacklogHeldUpByAnOutageLosesNothingOfWhatArrivedMeanwhile() throws Exception {
        // given Graph's limit on a filtered delta round (5,000 messages; 5 here) and a backlog of 4
        sim.setFilteredDeltaLimit(5);
        Instant start = Instant.now().minusSeconds(3600);
        for (int i = 1; i <= 4; i++) {
            sim.deliver(ADA, mail("b" + i).receivedAt(start.plusSeconds(i)));
        }
        // and Graph's delta failing from the first delta round after the backlog on, for longer than a moment
        sim.injectFault(SimFault.status("/messages/delta", 503, "ServiceNotAvailable", 100_000));
        start("&delay=500&pageSize=4&maxRetries=0&since=" + start, e -> {
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() >= 4);
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.countRequests("GET", "/messages/delta") >= 2);

        // when 12 arrive during the outage, which outlasts the moment a first delta round follows its backlog in
        for (int i = 1; i <= 12; i++) {
            sim.deliver(ADA, mail("c" + i));
        }
        Thread.sleep(MessageTrigger.CAUGHT_UP_GRACE.toMillis() + 1_000);
        sim.clearFaults();

        // then all 12 fire, each once, read through the list: not only the 5 a filtered delta round returns
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() >= 16);
        awaitPolls(2);
        assertEquals(16, fired.size());
        assertEquals(16, subjects(fired).stream().distinct().count());
    }

    @Test
    void eachExchangeCarriesCamelsBatchPropertiesPerPage() throws Exception {
        start("&pageSize=3", e -> {
        });
        deliverInOneRound("p1", "p2", "p3", "p4", "p5");
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() >= 5);

        List<String> batches = new ArrayList<>();
        for (Exchange e : fired) {
            batches.add(e.getProperty(Exchange.BATCH_INDEX) + "/" + e.getProperty(Exchange.BATCH_SIZE) + "/"
                        + e.getProperty(Exchange.BATCH_COMPLETE));
        }
        assertEquals(List.of("0/3/false", "1/3/false", "2/3/true", "0/2/false", "1/2/true"), batches);
        assertEquals(List.of(1, 1, 1, 1, 1), fired.stream()
                .map(e -> e.getMessage().getHeader(Outlook365Constants.ATTEMPT, Integer.class)).toList());
        assertTrue(fired.stream().noneMatch(e -> e.getMessage().getHeader(Outlook365Constants.PARKED, Boolean.class)));
    }

    @Test
    void aMailThatKeepsFailingIsParkedRetriedAndFiresOnceTheRouteWorksAgain() throws Exception {
        // given a route that fails on the poison mail for as long as the downstream is broken
        AtomicBoolean broken = new AtomicBoolean(true);
        start("&parkedRetryDelay=1000", e -> {
            if (subject(e).equals("poison") && broken.get()) {
                throw new IllegalStateException("the invoice system rejects it");
            }
        });

        // when the poison mail arrives among good ones
        try (CapturedLogs logs = CapturedLogs.capture()) {
            deliverInOneRound("good 1", "poison", "good 2", "good 3");

            // then the good ones fire once each, and the poison one maxAttempts (3) times before it is parked
            await().atMost(Duration.ofSeconds(60)).until(() -> events.stream()
                    .anyMatch(ev -> ConnectionEvent.TRIGGER_ITEM_PARKED.equals(ev.type())));
            await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() >= 3);
            assertEquals(List.of("good 1", "good 2", "good 3"), subjects(fired));
            List<Exchange> poison = seen.stream().filter(e -> subject(e).equals("poison")).toList();
            assertEquals(List.of(1, 2, 3), poison.stream()
                    .map(e -> e.getMessage().getHeader(Outlook365Constants.ATTEMPT, Integer.class)).toList());
            String poisonId = poison.get(0).getMessage().getHeader(Outlook365Constants.MESSAGE_ID, String.class);
            ConnectionEvent parked = events.stream()
                    .filter(ev -> ConnectionEvent.TRIGGER_ITEM_PARKED.equals(ev.type())).findFirst().orElseThrow();
            assertEquals("mail/received", parked.trigger());
            assertEquals(poisonId, parked.itemId());
            assertEquals(ConnectionState.CONNECTED, parked.state());
            assertTrue(parked.reason().contains("the invoice system rejects it"), parked.reason());
            assertTrue(logs.lines().stream().anyMatch(l -> l.contains("parked " + poisonId) && l.contains("after 3 failed"
                                                                                                          + " attempts")),
                    "a WARN names the message and the last error");
            assertEquals(1, jmx("ParkedCount"));

            // and once the downstream works again, a retry of the parked mail fires it once more, successfully
            broken.set(false);
            await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() >= 4);
            Exchange retried = fired.get(3);
            assertEquals("poison", subject(retried));
            assertTrue(retried.getMessage().getHeader(Outlook365Constants.PARKED, Boolean.class));
            assertTrue(retried.getMessage().getHeader(Outlook365Constants.ATTEMPT, Integer.class) >= 4);
            await().atMost(Duration.ofSeconds(60)).until(() -> Integer.valueOf(0).equals(jmx("ParkedCount")));
            awaitPolls(3);
            assertEquals(List.of("good 1", "good 2", "good 3", "poison"), subjects(fired));
            // the retry read the message again by id
            assertTrue(sim.requests().stream().anyMatch(r -> r.method().equals("GET")
                                                             && r.path().equals("/v1.0/users/" + ADA + "/messages/"
                                                                                + poisonId)));
        }
    }

    @Test
    void aDeadLetterChannelOfTheRouteDecidesBeforeTheTriggerParks() throws Exception {
        // given a route whose error handler redelivers once and then hands the mail to a dead letter channel
        List<String> deadLetters = new CopyOnWriteArrayList<>();
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("direct:dead").maximumRedeliveries(1).redeliveryDelay(0));
                from("outlook365:mail/received?delay=100&initialDelay=0").routeId("inbox")
                        .process(e -> seen.add(e.copy()))
                        .process(e -> {
                            if (subject(e).equals("poison")) {
                                throw new IllegalStateException("rejected");
                            }
                        })
                        .process(e -> fired.add(e.copy()));
                from("direct:dead").process(e -> deadLetters.add(subject(e)));
            }
        });
        context.start();

        // when the poison mail arrives among good ones
        deliverInOneRound("good", "poison");

        // then the dead letter channel took it once (the exchange ended handled), and the trigger counts it delivered
        await().atMost(Duration.ofSeconds(60)).until(() -> deadLetters.size() == 1 && fired.size() == 1);
        awaitPolls(3);
        assertEquals(List.of("poison"), deadLetters);
        assertEquals(List.of("good", "poison"), subjects(seen), "one exchange each: Camel redelivered inside it");
        assertEquals(0, jmx("ParkedCount"));
    }

    static Stream<Arguments> badEngineOptions() {
        return Stream.of(
                Arguments.of("maxAttempts=-1",
                        "option maxAttempts must be 0 (never park an item) or more, not -1"),
                Arguments.of("parkedRetryDelay=10",
                        "option parkedRetryDelay must be at least 1000 ms, not 10"),
                Arguments.of("pageSize=0",
                        "option pageSize must be from 1 to 1000 (Graph's largest page), not 0"),
                Arguments.of("pageSize=5000",
                        "option pageSize must be from 1 to 1000 (Graph's largest page), not 5000"),
                Arguments.of("since=yesterday",
                        "option since='yesterday' is not an ISO-8601 date-time with an offset: give e.g."
                        + " 2026-01-31T00:00:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badEngineOptions")
    void badTriggerOptionsStopTheRouteFromStartingWithAClearError(String option, String expected) throws Exception {
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?" + option).routeId("inbox").to("log:x");
            }
        });
        Exception e = assertThrows(Exception.class, () -> context.start());
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append(" | ");
        }
        assertTrue(messages.toString().contains(expected), messages.toString());
        assertTrue(sim.requests().stream().noneMatch(r -> r.path().contains("/messages")), "nothing read");
    }

    @Test
    void aParkedMailThatWasDeletedMeanwhileIsDropped() throws Exception {
        start("&parkedRetryDelay=1000&maxAttempts=1", e -> {
            if (subject(e).equals("poison")) {
                throw new IllegalStateException("always");
            }
        });
        try (CapturedLogs logs = CapturedLogs.capture()) {
            String poison = sim.deliver(ADA, mail("poison"));
            await().atMost(Duration.ofSeconds(60)).until(() -> Integer.valueOf(1).equals(jmx("ParkedCount")));

            // when the message is deleted before its retry
            sim.deleteMessage(ADA, poison);

            // then the retry drops it, with an INFO, and it never fires
            await().atMost(Duration.ofSeconds(60)).until(() -> Integer.valueOf(0).equals(jmx("ParkedCount")));
            assertTrue(logs.lines().stream().anyMatch(l -> l.contains("parked item " + poison) && l.contains("dropped")));
            assertTrue(fired.isEmpty());
            assertEquals(1, seen.size(), "maxAttempts=1: one attempt, then parked");
        }
    }

    @Test
    void aJvmErrorInTheRouteIsNeitherAFailureOfTheMailNorOfTheConnection() throws Exception {
        // given a route that overflows its stack on the first exchange, its trigger polling on one thread (the error
        // left Camel's routing state of that thread unfinished: the exchange after it, on the same thread, completed
        // without running the route, and its mail was committed as delivered)
        AtomicInteger calls = new AtomicInteger();
        try (CapturedLogs logs = CapturedLogs.capture()) {
            start("&maxAttempts=1&triggerThreads=1", e -> {
                if (calls.incrementAndGet() == 1) {
                    throw new StackOverflowError("recursion in a route step");
                }
            });
            sim.deliver(ADA, mail("deep"));

            // then the error goes to Camel, logged as what it is, which stops polling the trigger as fatal
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !logs.linesContaining("Fatal error occurred during running scheduled task").isEmpty());
            assertTrue(logs.lines().stream().anyMatch(l -> l.contains("the route threw java.lang.StackOverflowError")));
            // and nothing was counted against the mail, nor against the connection
            assertTrue(fired.isEmpty());
            assertEquals(0, jmx("ParkedCount"));
            assertEquals("CONNECTED", jmx("ConnectionState"));
            assertTrue(events.stream().noneMatch(ev -> ConnectionEvent.STATE_CHANGED.equals(ev.type())));

            // when the route is started again (the cause fixed)
            context.getRouteController().stopRoute("inbox");
            context.getRouteController().startRoute("inbox");

            // then the mail fires from the stored cursor, as a first attempt
            await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() == 1);
            assertEquals(1, fired.get(0).getMessage().getHeader(Outlook365Constants.ATTEMPT, Integer.class));
            assertEquals("deep", subject(fired.get(0)));
        }
    }

    @Test
    void eachTriggerShowsWhatItWatchesAndWhereItStandsOverJmx() throws Exception {
        start("", e -> {
        });
        sim.deliver(ADA, mail("counted"));
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() == 1);
        awaitPolls(1);

        assertEquals("mail/received", jmx("TriggerName"));
        assertEquals("inbox", jmx("Scope"));
        assertEquals(ADA, jmx("Account"));
        assertTrue(jmx("ConnectionName").toString().contains(SimulatedTenant.CLIENT_ID), jmx("ConnectionName").toString());
        assertEquals("CONNECTED", jmx("ConnectionState"));
        assertEquals(1L, jmx("FiredCount"));
        assertNotNull(Instant.parse((String) jmx("LastFiredAt")));
        assertNotNull(Instant.parse((String) jmx("CursorCommittedAt")));
        assertTrue((Long) jmx("CursorAgeSeconds") >= 0);
        assertEquals(0, jmx("WaitingAfterFailure"));
        assertEquals(0, jmx("ParkedCount"));
        // Camel's own attributes of a scheduled poll consumer are still there beside them
        assertEquals(100L, jmx("Delay"));
        // and nothing secret
        MBeanServer server = context.getManagementStrategy().getManagementAgent().getMBeanServer();
        for (ObjectName name : server.queryNames(new ObjectName("org.apache.camel:type=consumers,*"), null)) {
            for (var info : server.getMBeanInfo(name).getAttributes()) {
                Object value = server.getAttribute(name, info.getName());
                assertFalse(String.valueOf(value).contains(SimulatedTenant.CLIENT_SECRET), info.getName());
            }
        }
    }

    /** The readiness of the trigger's consumer, as camel-health's consumers repository (camel-main turns it on) has it. */
    private HealthCheck.Result consumerHealth() {
        HealthCheckRepository consumers = HealthCheckHelper.getHealthCheckRepository(context, "consumers");
        HealthCheck check = consumers.stream().filter(c -> c.getId().equals("consumer:inbox")).findFirst()
                .orElseThrow(() -> new AssertionError("no health check of the trigger's consumer"));
        return check.call(Map.of(HealthCheck.CHECK_KIND, HealthCheck.Kind.READINESS));
    }

    @Test
    void aPollThatGraphFailsShowsInTheTriggersHealthAsCamelsConsumersDo() throws Exception {
        // given Graph failing the next 30 delta requests of the trigger, which does not retry
        start("&maxRetries=0", e -> {
        });
        awaitPolls(1);
        sim.injectFault(SimFault.status("/messages/delta", 503, "ServiceNotAvailable", 30));

        // then the consumer's readiness check goes DOWN with Camel's own message and Graph's error
        await().atMost(Duration.ofSeconds(60)).until(() -> consumerHealth().getState() == HealthCheck.State.DOWN);
        HealthCheck.Result down = consumerHealth();
        assertTrue(down.getMessage().orElse("").contains("Consumer failed polling"), down.getMessage().toString());
        assertTrue(down.getError().orElseThrow().getMessage().contains("503"), down.getError().toString());

        // and UP again once Graph answers
        await().atMost(Duration.ofSeconds(60)).until(() -> consumerHealth().getState() == HealthCheck.State.UP);
    }

    @Test
    void healthCheckConsumerEnabledFalseTurnsTheTriggersCheckOff() throws Exception {
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=100&initialDelay=0&maxRetries=0").routeId("inbox").to("log:x");
            }
        }, c -> {
        });
        ((Outlook365Component) context.getComponent("outlook365")).setHealthCheckConsumerEnabled(false);
        context.start();
        awaitPolls(1);
        sim.injectFault(SimFault.status("/messages/delta", 503, "ServiceNotAvailable", 1000));
        awaitPolls(2);

        HealthCheck.Result result = consumerHealth();
        assertEquals(HealthCheck.State.UNKNOWN, result.getState());
        assertEquals("Disabled", result.getMessage().orElse(""));
    }

    @Test
    void waitingAfterFailureCountsWhatAFailedExchangeHoldsBack() throws Exception {
        AtomicBoolean failing = new AtomicBoolean(true);
        start("&maxAttempts=0", e -> {
            if (subject(e).equals("w1") && failing.get()) {
                throw new IllegalStateException("down");
            }
        });
        deliverInOneRound("w1", "w2", "w3");
        await().atMost(Duration.ofSeconds(60)).until(() -> Integer.valueOf(3).equals(jmx("WaitingAfterFailure")));
        assertTrue(fired.isEmpty(), "maxAttempts=0: the failing mail holds its page back");

        failing.set(false);
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() == 3);
        await().atMost(Duration.ofSeconds(60)).until(() -> Integer.valueOf(0).equals(jmx("WaitingAfterFailure")));
        assertEquals(List.of("w1", "w2", "w3"), subjects(fired));
    }

    @Test
    void aStreamThrough429sADeltaResetAFailingStepAndARestartFiresEachMailOnce() throws Exception {
        // given a route whose step fails the first time it sees every fourth mail
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        Processor flaky = e -> {
            String s = subject(e);
            int n = attempts.merge(s, 1, Integer::sum);
            if (Integer.parseInt(s.substring(1)) % 4 == 0 && n == 1) {
                throw new IllegalStateException("transient failure of " + s);
            }
        };
        start("&pageSize=3", flaky);
        List<String> expected = new ArrayList<>();

        // when mail streams in while Graph throttles, forgets its delta tokens, and the application restarts
        for (int i = 1; i <= 40; i++) {
            String s = "s" + i;
            expected.add(s);
            sim.deliver(ADA, mail(s));
            if (i == 8 || i == 30) {
                sim.injectFault(SimFault.throttle("/messages/delta", 2, Duration.ofSeconds(1)));
            }
            if (i == 15) {
                sim.forceDeltaReset(ADA);
            }
            if (i == 22) {
                context.stop();
                start("&pageSize=3", flaky);
            }
        }

        // then every mail reached the route's end exactly once
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() >= 40);
        awaitPolls(3);
        assertEquals(expected, subjects(fired).stream().sorted((a, b) -> Integer.compare(
                Integer.parseInt(a.substring(1)), Integer.parseInt(b.substring(1)))).toList());
        assertEquals(40, subjects(fired).stream().distinct().count());
        assertTrue(sim.requests().stream().anyMatch(r -> r.status() == 429), "Graph throttled");
        assertTrue(sim.requests().stream().anyMatch(r -> r.status() == 410), "Graph reset the delta");
    }
}

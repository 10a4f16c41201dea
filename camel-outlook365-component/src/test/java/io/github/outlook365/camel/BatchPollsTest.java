package io.github.outlook365.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.outlook365.camel.connection.AppConnection;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.RecordedRequest;
import io.github.outlook365.simulator.SimFault;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One route on many mailboxes (accounts=) reads the next page of its idle mailboxes up to 20 in one JSON $batch
 * (batchPolls, on by default): one HTTP request instead of twenty, while each read is still throttled, reset and
 * fired on its own, and every mail fires once.
 */
class BatchPollsTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    private CamelContext context;
    private final Map<String, AtomicInteger> fired = new ConcurrentHashMap<>();
    private final Map<String, Instant> firedAt = new ConcurrentHashMap<>();
    private final Map<String, String> mailboxOf = new ConcurrentHashMap<>();

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.stop();
        }
    }

    private static String mailbox(int i) {
        return String.format("b%03d@contoso.onmicrosoft.com", i);
    }

    private static SimMail mail(String to, String subject) {
        return SimMail.from("carol@fabrikam.example", "Carol").to(to).subject(subject).textBody("hi");
    }

    /** One route on {@code mailboxes} mailboxes of one app, started once every mailbox took its baseline. */
    private Outlook365Simulator start(int mailboxes, String options, java.util.function.Consumer<Outlook365Configuration> c)
            throws Exception {
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        for (int i = 0; i < mailboxes; i++) {
            sim.createMailbox(SimulatedTenant.TENANT, mailbox(i), "Mailbox " + i);
        }
        String accounts = IntStream.range(0, mailboxes).mapToObj(BatchPollsTest::mailbox).collect(Collectors.joining(","));
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=300&initialDelay=0&accounts=" + accounts + options).routeId("many")
                        .process(e -> {
                            String subject = e.getMessage().getHeader(Outlook365Constants.SUBJECT, String.class);
                            firedAt.putIfAbsent(subject, Instant.now());
                            mailboxOf.put(subject, e.getMessage().getHeader(Outlook365Constants.ACCOUNT, String.class));
                            fired.computeIfAbsent(subject, k -> new AtomicInteger()).incrementAndGet();
                        });
            }
        }, c);
        context.start();
        return sim;
    }

    private static List<RecordedRequest> batches(Outlook365Simulator sim) {
        return sim.requests().stream().filter(r -> r.method().equals("POST") && r.path().equals("/v1.0/$batch")).toList();
    }

    /** Delta reads sent over HTTP of their own, not inside a batch. */
    private static long deltaReadsAlone(Outlook365Simulator sim) {
        return sim.requests().stream().filter(r -> !r.batchItem() && r.path().endsWith("/messages/delta")).count();
    }

    private static long deltaReadsInBatches(Outlook365Simulator sim) {
        return sim.requests().stream().filter(r -> r.batchItem() && r.path().endsWith("/messages/delta")).count();
    }

    @Test
    void idleMailboxesAreReadTwentyToABatchAndWhatABatchFindsFiresOnceWithoutAnotherRequest() throws Exception {
        int mailboxes = 45;
        Outlook365Simulator sim = start(mailboxes, "", c -> {
        });
        // the start: two requests per mailbox (its folder, its baseline), none in a batch; one token for all
        assertEquals(mailboxes, deltaReadsAlone(sim));
        assertEquals(1, sim.tokenRequests());

        // when the idle mailboxes poll a few times
        sim.clearRequests();
        await().atMost(Duration.ofSeconds(60)).until(() -> deltaReadsInBatches(sim) >= 3L * mailboxes);

        // then each poll read them in $batch requests of at most 20 GETs of delta links, none alone
        List<RecordedRequest> batches = batches(sim);
        assertTrue(batches.size() >= 9, "batches: " + batches.size());
        for (RecordedRequest batch : batches) {
            assertEquals(200, batch.status());
            JsonNode requests = JSON.readTree(batch.body()).get("requests");
            assertTrue(requests.size() >= 2 && requests.size() <= 20, batch.body());
            for (JsonNode read : requests) {
                assertEquals("GET", read.get("method").asText());
                assertTrue(read.get("url").asText().startsWith("/users/b0"), read.toString());
                assertTrue(read.get("url").asText().contains("/messages/delta?"), read.toString());
                assertTrue(read.path("headers").path("Prefer").asText().contains("odata.maxpagesize=100"), read.toString());
            }
        }
        assertEquals(0, deltaReadsAlone(sim), "no idle mailbox polled alone");

        // when a mail arrives in every mailbox, two in the first
        sim.clearRequests();
        for (int i = 0; i < mailboxes; i++) {
            sim.deliver(mailbox(i), mail(mailbox(i), "for " + i));
        }
        sim.deliver(mailbox(0), mail(mailbox(0), "another for 0"));

        // then every mail fires once, its exchange naming its mailbox
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() == mailboxes + 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> deltaReadsInBatches(sim) >= 3L * mailboxes);
        assertTrue(fired.values().stream().allMatch(n -> n.get() == 1), fired.toString());
        for (int i = 0; i < mailboxes; i++) {
            assertEquals(mailbox(i), mailboxOf.get("for " + i));
        }
        assertEquals(mailbox(0), mailboxOf.get("another for 0"));
        // and the pages the batches found were fired from as they were: no mailbox read its page again alone
        assertEquals(0, deltaReadsAlone(sim), sim.requests().stream().filter(r -> !r.batchItem())
                .map(r -> r.method() + " " + r.path()).toList().toString());

        // and the route's MBean counts the batches
        MailboxesConsumer consumer = (MailboxesConsumer) context.getRoute("many").getConsumer();
        var server = context.getManagementStrategy().getManagementAgent().getMBeanServer();
        var name = server.queryNames(new javax.management.ObjectName("org.apache.camel:type=consumers,*"), null).stream()
                .filter(n -> n.getKeyProperty("name").contains("MailboxesConsumer")).findFirst().orElseThrow();
        long batchRequests = (Long) server.getAttribute(name, "BatchRequests");
        assertTrue(batchRequests >= 9, "batch requests " + batchRequests);
        assertTrue(consumer.getBatchedReads() >= batchRequests * 2);
    }

    @Test
    void aReadThrottledInABatchPausesItsMailboxAloneAndAForgottenDeltaTokenRestartsItsRound() throws Exception {
        int mailboxes = 5;
        Duration retryAfter = Duration.ofSeconds(15);
        Outlook365Simulator sim = start(mailboxes, "", c -> c.setMaxRetryDelay(60_000));
        await().atMost(Duration.ofSeconds(60)).until(() -> batches(sim).size() >= 2);

        // when Graph throttles the reads of mailbox 0 once (Retry-After 15 s, within maxRetryDelay), forgets the
        // delta tokens of mailbox 1, and mail arrives everywhere
        String throttled = mailbox(0);
        sim.injectFault(SimFault.throttle("/users/" + throttled.replace(".", "\\.") + "/mailFolders/.*/delta", 1,
                retryAfter));
        await().atMost(Duration.ofSeconds(60)).until(() -> throttledRead(sim, throttled) != null);
        sim.forceDeltaReset(mailbox(1));
        for (int i = 0; i < mailboxes; i++) {
            sim.deliver(mailbox(i), mail(mailbox(i), "for " + i));
        }

        // then the others fire while mailbox 0 waits out its Retry-After (the 429 came inside a batch)
        await().atMost(Duration.ofSeconds(60)).until(() -> IntStream.range(1, mailboxes)
                .allMatch(i -> firedAt.containsKey("for " + i)));
        RecordedRequest throttledAt = throttledRead(sim, throttled);
        assertTrue(throttledAt.batchItem(), "the 429 answered a read inside a $batch");
        Instant ends = throttledAt.at().plus(retryAfter);
        for (int i = 1; i < mailboxes; i++) {
            assertTrue(firedAt.get("for " + i).isBefore(ends), "for " + i + " fired at " + firedAt.get("for " + i)
                                                                + ", Retry-After ends at " + ends);
        }
        // and mailbox 1, whose delta token Graph forgot (410 inside a batch), read what arrived through its folder's list
        assertTrue(sim.requests().stream().anyMatch(r -> r.batchItem() && r.status() == 410
                                                         && r.path().contains("/users/" + mailbox(1) + "/")));

        // and mailbox 0 fires after its Retry-After, with no read of it before the wait ended
        await().atMost(Duration.ofSeconds(60)).until(() -> firedAt.containsKey("for 0"));
        assertTrue(firedAt.get("for 0").isAfter(ends), "for 0 fired at " + firedAt.get("for 0"));
        List<RecordedRequest> after = sim.requests().stream()
                .filter(r -> r.path().contains("/users/" + throttled + "/") && r.at().isAfter(throttledAt.at()))
                .toList();
        assertFalse(after.isEmpty());
        assertTrue(after.stream().noneMatch(r -> r.at().isBefore(ends)), "asked again at "
                                                                         + after.stream().map(RecordedRequest::at).toList());
        Thread.sleep(1_000); // a few more polls: nothing fires again
        assertEquals(mailboxes, fired.size());
        assertTrue(fired.values().stream().allMatch(n -> n.get() == 1), fired.toString());
        // and a throttled read is neither the mailbox's trouble nor the app's failure
        AppConnection app = context.getComponent("outlook365", Outlook365Component.class).connections().iterator().next()
                .app();
        assertEquals(0, app.troubleCount());
    }

    private static RecordedRequest throttledRead(Outlook365Simulator sim, String mailbox) {
        return sim.requests().stream().filter(r -> r.status() == 429 && r.path().contains("/users/" + mailbox + "/"))
                .findFirst().orElse(null);
    }

    @Test
    void calendarTriggersReadTheirIdleCalendarViewsInBatchesToo() throws Exception {
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        int mailboxes = 3;
        for (int i = 0; i < mailboxes; i++) {
            sim.createMailbox(SimulatedTenant.TENANT, mailbox(i), "Mailbox " + i);
        }
        String accounts = IntStream.range(0, mailboxes).mapToObj(BatchPollsTest::mailbox).collect(Collectors.joining(","));
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:calendar/created?delay=300&initialDelay=0&accounts=" + accounts).routeId("calendars")
                        .process(e -> {
                            String subject = e.getMessage().getBody(io.github.outlook365.camel.model.Event.class)
                                    .subject();
                            mailboxOf.put(subject, e.getMessage().getHeader(Outlook365Constants.ACCOUNT, String.class));
                            fired.computeIfAbsent(subject, k -> new AtomicInteger()).incrementAndGet();
                        });
            }
        });
        context.start();
        sim.clearRequests();
        await().atMost(Duration.ofSeconds(60)).until(() -> calendarReadsInBatches(sim) >= 2L * mailboxes);

        // when an event is created in each calendar
        String day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
        for (int i = 0; i < mailboxes; i++) {
            sim.calendars().createEvent(mailbox(i), "{\"subject\":\"meeting " + i + "\",\"start\":{\"dateTime\":\"" + day
                                                    + "T09:00:00\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\"" + day
                                                    + "T10:00:00\",\"timeZone\":\"UTC\"}}");
        }

        // then each fires once, naming its mailbox, and no calendar view was read alone while idle
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() == mailboxes);
        long batchedBefore = calendarReadsInBatches(sim);
        await().atMost(Duration.ofSeconds(60)).until(() -> calendarReadsInBatches(sim) >= batchedBefore + 2L * mailboxes);
        assertTrue(fired.values().stream().allMatch(n -> n.get() == 1), fired.toString());
        for (int i = 0; i < mailboxes; i++) {
            assertEquals(mailbox(i), mailboxOf.get("meeting " + i));
        }
        assertEquals(0, sim.requests().stream().filter(r -> !r.batchItem() && r.path().endsWith("/calendarView/delta"))
                .count());
    }

    private static long calendarReadsInBatches(Outlook365Simulator sim) {
        return sim.requests().stream().filter(r -> r.batchItem() && r.path().endsWith("/calendarView/delta")).count();
    }

    @Test
    void withBatchPollsOffEachMailboxReadsAlone() throws Exception {
        int mailboxes = 3;
        Outlook365Simulator sim = start(mailboxes, "&batchPolls=false", c -> {
        });
        sim.clearRequests();
        await().atMost(Duration.ofSeconds(60)).until(() -> deltaReadsAlone(sim) >= 3L * mailboxes);
        for (int i = 0; i < mailboxes; i++) {
            sim.deliver(mailbox(i), mail(mailbox(i), "for " + i));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() == mailboxes);
        assertTrue(batches(sim).isEmpty(), "no $batch with batchPolls=false");
        assertEquals(0, deltaReadsInBatches(sim));
        assertTrue(fired.values().stream().allMatch(n -> n.get() == 1), fired.toString());
    }
}

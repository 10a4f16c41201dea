package io.github.outlook365.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.outlook365.camel.model.Message;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.RecordedRequest;
import io.github.outlook365.simulator.SimFault;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MailReceivedTriggerTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    private SimulatedTenant tenant;
    private Outlook365Simulator sim;
    private final List<Exchange> received = new CopyOnWriteArrayList<>();
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

    private RouteBuilder trigger(String options) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=100&initialDelay=0" + options).routeId("inbox")
                        .process(e -> received.add(e.copy()));
            }
        };
    }

    private CamelContext start(RouteBuilder routes) throws Exception {
        context = tenant.context(routes);
        context.start();
        return context;
    }

    private List<String> subjects() {
        return received.stream().map(e -> e.getMessage().getBody(Message.class).subject()).toList();
    }

    /** Waits until the trigger has run {@code rounds} more delta requests than now: what could fire has fired. */
    private void awaitPolls(int rounds) {
        long before = sim.countRequests("GET", "/messages/delta");
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.countRequests("GET", "/messages/delta") >= before + rounds);
    }

    private static SimMail mail(String subject) {
        return SimMail.from("carol@fabrikam.example", "Carol").to(SimulatedTenant.ADA).subject(subject).textBody("hi");
    }

    @Test
    void firesOnceForEachNewMessageAndNeverForWhatWasAlreadyThere() throws Exception {
        // given two messages already in the inbox
        sim.deliver(SimulatedTenant.ADA, mail("old 1"));
        sim.deliver(SimulatedTenant.ADA, mail("old 2"));
        start(trigger(""));

        // when three arrive after the start
        String first = sim.deliver(SimulatedTenant.ADA, mail("new 1"));
        sim.deliver(SimulatedTenant.ADA, mail("new 2"));
        sim.deliver(SimulatedTenant.ADA, mail("new 3"));

        // then each new one fires once, with its headers
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 3);
        assertEquals(List.of("new 1", "new 2", "new 3"), subjects());
        Exchange exchange = received.get(0);
        assertEquals(first, exchange.getMessage().getHeader(Outlook365Constants.MESSAGE_ID));
        assertEquals("new 1", exchange.getMessage().getHeader(Outlook365Constants.SUBJECT));
        assertEquals("carol@fabrikam.example", exchange.getMessage().getHeader(Outlook365Constants.FROM));
        assertTrue(exchange.getMessage().getHeader(Outlook365Constants.CONVERSATION_ID, String.class) != null);
        assertTrue(exchange.getMessage().getHeader(Outlook365Constants.RECEIVED_DATE_TIME) != null);

        // and marking one read (delta reports it again) fires nothing, nor does marking an old one read
        sim.markRead(SimulatedTenant.ADA, first, true);
        sim.markRead(SimulatedTenant.ADA, sim.messages(SimulatedTenant.ADA, "inbox").get(0).get("id").asText(), true);
        awaitPolls(3);
        assertEquals(List.of("new 1", "new 2", "new 3"), subjects());
    }

    @Test
    void resumesAfterARestartWithNothingLostAndNothingTwice() throws Exception {
        // given a trigger that delivered one message
        start(trigger(""));
        sim.deliver(SimulatedTenant.ADA, mail("before restart"));
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        context.stop();

        // when mail arrives while the application is down, and it starts again (a new context, same state directory)
        sim.deliver(SimulatedTenant.ADA, mail("while down"));
        start(trigger(""));

        // then only the mail that arrived while down fires
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 2);
        awaitPolls(3);
        assertEquals(List.of("before restart", "while down"), subjects());
    }

    @Test
    void aFailedExchangeIsReplayedAndTheOthersDoNotFireTwice() throws Exception {
        // given a route that fails once on the second message
        AtomicBoolean failedOnce = new AtomicBoolean();
        List<String> attempts = new CopyOnWriteArrayList<>();
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=100&initialDelay=0").routeId("inbox")
                        .process(e -> {
                            String subject = e.getMessage().getBody(Message.class).subject();
                            attempts.add(subject);
                            if (subject.equals("two") && failedOnce.compareAndSet(false, true)) {
                                throw new IllegalStateException("downstream is down");
                            }
                            received.add(e.copy());
                        });
            }
        });

        // when three messages arrive in one round
        sim.deliver(SimulatedTenant.ADA, mail("one"));
        sim.deliver(SimulatedTenant.ADA, mail("two"));
        sim.deliver(SimulatedTenant.ADA, mail("three"));

        // then every message reaches the route's end exactly once; "two" was tried twice
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 3);
        awaitPolls(3);
        assertEquals(List.of("one", "two", "three"), subjects());
        assertEquals(2, attempts.stream().filter("two"::equals).count());
        assertEquals(1, attempts.stream().filter("one"::equals).count());
    }

    @Test
    void aThrottledDeltaPageIsRetriedAfterRetryAfter() throws Exception {
        // given a running trigger and Graph that throttles the next delta request for 2 seconds
        start(trigger(""));
        awaitPolls(1);
        sim.injectFault(SimFault.throttle("/messages/delta", 1, Duration.ofSeconds(2)));

        // when a message arrives
        sim.deliver(SimulatedTenant.ADA, mail("throttled"));

        // then it fires once, and the retry came no earlier than Retry-After asked
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 1);
        List<RecordedRequest> delta = sim.requests().stream().filter(r -> r.path().endsWith("/messages/delta")).toList();
        int throttledAt = -1;
        for (int i = 0; i < delta.size(); i++) {
            if (delta.get(i).status() == 429) {
                throttledAt = i;
            }
        }
        assertTrue(throttledAt >= 0 && throttledAt + 1 < delta.size(), "a 429 then a retry");
        Instant throttled = delta.get(throttledAt).at();
        Instant retried = delta.get(throttledAt + 1).at();
        assertTrue(!retried.isBefore(throttled.plusMillis(1900)),
                "retried " + Duration.between(throttled, retried).toMillis() + " ms after the 429");
        awaitPolls(2);
        assertEquals(List.of("throttled"), subjects());
    }

    @Test
    void aDeltaResetLosesNothingAndRepeatsNothing() throws Exception {
        // given a trigger that delivered two messages
        start(trigger(""));
        sim.deliver(SimulatedTenant.ADA, mail("a"));
        sim.deliver(SimulatedTenant.ADA, mail("b"));
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 2);

        // when Graph forgets every delta token of the mailbox and a message arrives
        sim.forceDeltaReset(SimulatedTenant.ADA);
        sim.deliver(SimulatedTenant.ADA, mail("c"));

        // then only the new one fires
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 3);
        awaitPolls(3);
        assertEquals(List.of("a", "b", "c"), subjects());
        assertTrue(sim.requests().stream().anyMatch(r -> r.status() == 410), "the simulator answered 410 Gone");
    }

    @Test
    void followsPagesAndSpreadsALargeRoundOverPolls() throws Exception {
        // given small pages and at most 2 exchanges per poll
        start(trigger("&pageSize=2&maxMessagesPerPoll=2"));
        for (int i = 1; i <= 7; i++) {
            sim.deliver(SimulatedTenant.ADA, mail("m" + i));
        }

        // then all seven fire once, in order
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 7);
        awaitPolls(2);
        assertEquals(List.of("m1", "m2", "m3", "m4", "m5", "m6", "m7"), subjects());
        assertTrue(sim.requests().stream().anyMatch(r -> r.query() != null && r.query().contains("$skiptoken")),
                "a round spanning pages follows @odata.nextLink");
    }

    @Test
    void sinceDeliversABacklog() throws Exception {
        // given mail from before the trigger ever ran
        sim.deliver(SimulatedTenant.ADA, mail("backlog").receivedAt(Instant.now().minusSeconds(3600)));
        sim.deliver(SimulatedTenant.ADA, mail("too old").receivedAt(Instant.now().minusSeconds(3 * 86400)));

        // when it starts with since one day ago
        start(trigger("&since=" + Instant.now().minusSeconds(86400)));

        // then the backlog within the day fires
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 1);
        awaitPolls(2);
        assertEquals(List.of("backlog"), subjects());
    }

    @Test
    void asksGraphForWhatTheDocumentationDescribes() throws Exception {
        start(trigger(""));
        awaitPolls(2);
        RecordedRequest first = sim.requests().stream().filter(r -> r.path().endsWith("/messages/delta")).findFirst()
                .orElseThrow();
        assertTrue(first.path().startsWith("/v1.0/users/" + SimulatedTenant.ADA + "/mailFolders/"), first.path());
        assertTrue(first.query().contains("$select=id,subject"), first.query());
        assertTrue(first.query().contains("$filter=receivedDateTime ge "), first.query());
        assertTrue(first.headers().entrySet().stream()
                .anyMatch(h -> h.getKey().equalsIgnoreCase("Prefer") && h.getValue().contains("odata.maxpagesize=100")));
        RecordedRequest next = sim.requests().stream().filter(r -> r.path().endsWith("/messages/delta")).skip(1)
                .findFirst().orElseThrow();
        assertTrue(next.query().contains("$deltatoken="), "later rounds start from the delta link: " + next.query());
    }
}

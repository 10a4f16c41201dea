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

import io.github.outlook365.camel.connection.AppConnection;
import io.github.outlook365.camel.connection.ConnectionObservers;
import io.github.outlook365.camel.connection.ConnectionState;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.RecordedRequest;
import io.github.outlook365.simulator.SimFault;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One app reading many mailboxes (app-only): one token, one HTTP and Graph client, one state, one health check and one
 * JMX view for the app, the triggers of all its mailboxes on one small scheduler; each mailbox keeps its own cursor,
 * dedup and throttle budget, so every mail fires once and a throttled mailbox does not hold back the others.
 */
class ManyMailboxesTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    private static final int MAILBOXES = 30;

    @TempDir
    Path work;

    private CamelContext context;
    private final Map<String, AtomicInteger> fired = new ConcurrentHashMap<>();

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.stop();
        }
    }

    private static String mailbox(int i) {
        return String.format("m%03d@contoso.onmicrosoft.com", i);
    }

    /** Given MAILBOXES mailboxes of one app, a mail/received route on each, started. */
    private Outlook365Simulator start() throws Exception {
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        for (int i = 0; i < MAILBOXES; i++) {
            sim.createMailbox(SimulatedTenant.TENANT, mailbox(i), "Mailbox " + i);
        }
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < MAILBOXES; i++) {
                    from("outlook365:mail/received?delay=200&account=" + mailbox(i)).routeId("mailbox" + i)
                            .process(e -> fired.computeIfAbsent(e.getMessage().getHeader(Outlook365Constants.SUBJECT,
                                    String.class), k -> new AtomicInteger()).incrementAndGet());
                }
            }
        });
        context.start();
        return sim;
    }

    private static SimMail mail(String to, String subject) {
        return SimMail.from("carol@fabrikam.example", "Carol").to(to).subject(subject).textBody("hi");
    }

    private Outlook365Component component() {
        return context.getComponent("outlook365", Outlook365Component.class);
    }

    @Test
    void theMailboxesOfOneAppShareOneTokenAndEveryMailFiresOnce() throws Exception {
        Outlook365Simulator sim = start();

        // when a mail arrives in every mailbox
        for (int i = 0; i < MAILBOXES; i++) {
            sim.deliver(mailbox(i), mail(mailbox(i), "for " + i));
        }

        // then each fires, once
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() == MAILBOXES);
        Thread.sleep(1_000); // a few more polls of every mailbox: nothing fires again
        assertEquals(IntStream.range(0, MAILBOXES).mapToObj(i -> "for " + i).collect(Collectors.toSet()), fired.keySet());
        assertTrue(fired.values().stream().allMatch(n -> n.get() == 1), fired.toString());

        // and Entra ID saw one token request for all the mailboxes
        assertEquals(1, sim.tokenRequests());

        // and the mailbox connections share one app: one token provider, one Graph client, one state
        List<Outlook365Connection> connections = List.copyOf(component().connections());
        assertEquals(MAILBOXES, connections.size());
        AppConnection app = connections.get(0).app();
        for (Outlook365Connection c : connections) {
            assertSame(app, c.app());
            assertSame(app.graph(), c.graph());
            assertSame(app.lifecycle(), c.lifecycle());
        }
        assertEquals(MAILBOXES, app.mailboxCount());
        assertEquals(SimulatedTenant.CLIENT_ID + "@" + SimulatedTenant.TENANT, app.name());

        // and the triggers poll on the app's four threads, not on a thread each
        long triggerThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().contains("outlook365-triggers")).count();
        assertTrue(triggerThreads <= 4, "trigger threads: " + triggerThreads);
        long perEndpointThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().contains("outlook365://mail/received")).count();
        assertEquals(0, perEndpointThreads);

        // and one health check and one MBean for the app, counting its mailboxes
        List<String> checks = HealthCheckRegistry.get(context).getCheckIDs().stream()
                .filter(id -> id.startsWith("outlook365-connection-")).toList();
        assertEquals(List.of("outlook365-connection-" + app.name()), checks);
        HealthCheck.Result health = HealthCheckRegistry.get(context).getCheck(checks.get(0)).orElseThrow().call();
        assertEquals(HealthCheck.State.UP, health.getState());
        assertEquals(MAILBOXES, health.getDetails().get("mailboxes"));
        assertEquals(0, health.getDetails().get("mailboxesInTrouble"));
        var server = context.getManagementStrategy().getManagementAgent().getMBeanServer();
        assertEquals(MAILBOXES, server.getAttribute(ConnectionObservers.objectName(context, connections.get(0)), "Mailboxes"));
        assertEquals(1, server.queryNames(new javax.management.ObjectName("org.apache.camel:type=outlook365,*"), null)
                .size());
    }

    @Test
    void aThrottledMailboxDoesNotHoldBackTheOthersAndIsNamedInTheHealthCheck() throws Exception {
        Outlook365Simulator sim = start();
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.countRequests("GET", "/messages/delta") >= 2L * MAILBOXES);

        // when Graph throttles the first mailbox, asking for a longer wait than maxRetryDelay (2 s)
        String throttled = mailbox(0);
        Duration retryAfter = Duration.ofSeconds(20);
        sim.injectFault(SimFault.throttle("/users/" + throttled.replace(".", "\\.") + "/", 1, retryAfter));
        for (int i = 0; i < MAILBOXES; i++) {
            sim.deliver(mailbox(i), mail(mailbox(i), "for " + i));
        }

        // then every other mailbox fires meanwhile
        await().atMost(Duration.ofSeconds(60)).until(() -> IntStream.range(1, MAILBOXES)
                .allMatch(i -> fired.containsKey("for " + i)));
        // and the app's health check names the throttled mailbox, staying UP (one mailbox is no outage of the app)
        AppConnection app = component().connections().iterator().next().app();
        HealthCheck check = HealthCheckRegistry.get(context).getCheck("outlook365-connection-" + app.name()).orElseThrow();
        await().atMost(Duration.ofSeconds(60)).until(() -> app.troubleCount() == 1);
        HealthCheck.Result health = check.call();
        assertEquals(1, health.getDetails().get("mailboxesInTrouble"));
        assertTrue(health.getDetails().get("trouble").toString().startsWith(throttled + " since "),
                health.getDetails().toString());
        assertTrue(health.getDetails().get("trouble").toString().contains("429"), health.getDetails().toString());

        // when the throttling ends, the throttled mailbox's mail fires too, once, and its trouble is over; its polls
        // honoured Graph's wait although it was longer than maxRetryDelay (a pause holds no thread)
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.containsKey("for 0"));
        RecordedRequest throttledAt = throttledAnswer(sim, throttled);
        assertTrue(sim.requests().stream().filter(r -> r.path().contains("/users/" + throttled + "/")
                                                       && r.at().isAfter(throttledAt.at()))
                .noneMatch(r -> r.at().isBefore(throttledAt.at().plus(retryAfter))), "asked again before Retry-After");
        await().atMost(Duration.ofSeconds(60)).until(() -> app.troubleCount() == 0);
        assertTrue(fired.values().stream().allMatch(n -> n.get() == 1), fired.toString());
        assertEquals(MAILBOXES, fired.size());
    }

    @Test
    void aMailboxThrottledWithinMaxRetryDelayPausesItsOwnPollsWithoutHoldingThePollThread() throws Exception {
        // given 4 mailboxes of one app polling on ONE shared thread, Retry-After honoured up to 60 s
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        int mailboxes = 4;
        for (int i = 0; i < mailboxes; i++) {
            sim.createMailbox(SimulatedTenant.TENANT, mailbox(i), "Mailbox " + i);
        }
        Map<String, Instant> firedAt = new ConcurrentHashMap<>();
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < mailboxes; i++) {
                    from("outlook365:mail/received?delay=200&account=" + mailbox(i)).routeId("mailbox" + i)
                            .process(e -> {
                                String subject = e.getMessage().getHeader(Outlook365Constants.SUBJECT, String.class);
                                firedAt.putIfAbsent(subject, Instant.now());
                                fired.computeIfAbsent(subject, k -> new AtomicInteger()).incrementAndGet();
                            });
                }
            }
        }, c -> {
            c.setTriggerThreads(1);
            c.setMaxRetryDelay(60_000);
        });
        context.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> IntStream.range(0, mailboxes)
                .allMatch(i -> deltaRequests(sim, mailbox(i)).size() >= 2));

        // when Graph throttles two mailboxes once with Retry-After 20 s (within maxRetryDelay) and mail arrives everywhere
        Duration retryAfter = Duration.ofSeconds(20);
        for (int i = 0; i < 2; i++) {
            sim.injectFault(SimFault.throttle("/users/" + mailbox(i).replace(".", "\\.") + "/", 1, retryAfter));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> throttledAnswer(sim, mailbox(0)) != null
                                                            && throttledAnswer(sim, mailbox(1)) != null);
        for (int i = 0; i < mailboxes; i++) {
            sim.deliver(mailbox(i), mail(mailbox(i), "for " + i));
        }

        // then the unthrottled mailboxes fire while the throttled ones still wait (the one poll thread is not held)
        await().atMost(Duration.ofSeconds(60)).until(() -> firedAt.containsKey("for 2") && firedAt.containsKey("for 3"));
        Instant firstRetryAfterEnds = throttledAnswer(sim, mailbox(0)).at().plus(retryAfter);
        Instant secondRetryAfterEnds = throttledAnswer(sim, mailbox(1)).at().plus(retryAfter);
        Instant earliestEnd = firstRetryAfterEnds.isBefore(secondRetryAfterEnds) ? firstRetryAfterEnds : secondRetryAfterEnds;
        assertTrue(firedAt.get("for 2").isBefore(earliestEnd) && firedAt.get("for 3").isBefore(earliestEnd),
                "fired at " + firedAt + ", Retry-After ends at " + earliestEnd);

        // and the throttled mailboxes fire after their Retry-After, once, with no request to them before it ended
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() == mailboxes);
        Thread.sleep(1_000); // a few more polls: nothing fires again
        assertTrue(fired.values().stream().allMatch(n -> n.get() == 1), fired.toString());
        for (int i = 0; i < 2; i++) {
            String throttled = mailbox(i);
            RecordedRequest throttledAt = throttledAnswer(sim, throttled);
            Instant ends = throttledAt.at().plus(retryAfter);
            List<RecordedRequest> after = sim.requests().stream()
                    .filter(r -> r.path().contains("/users/" + throttled + "/") && r.at().isAfter(throttledAt.at()))
                    .toList();
            assertTrue(!after.isEmpty() && after.stream().allMatch(r -> !r.at().isBefore(ends)),
                    mailbox(i) + " throttled at " + throttledAt.at() + " asked again at "
                    + after.stream().map(RecordedRequest::at).toList());
            assertTrue(firedAt.get("for " + i).isAfter(ends), "for " + i + " fired at " + firedAt.get("for " + i));
        }

        // and neither the mailboxes nor the connection count it as a failure
        AppConnection app = component().connections().iterator().next().app();
        assertEquals(0, app.troubleCount());
        assertEquals(ConnectionState.CONNECTED, app.lifecycle().state());
    }

    @Test
    void aThrottledRetryOfAParkedMailPausesItsMailboxWithoutHoldingThePollThread() throws Exception {
        // given 2 mailboxes of one app polling on ONE shared thread, Retry-After honoured up to 60 s, and a route on the
        // first that fails on "poison" while its downstream is broken (parked after one attempt, retried every second)
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        for (int i = 0; i < 2; i++) {
            sim.createMailbox(SimulatedTenant.TENANT, mailbox(i), "Mailbox " + i);
        }
        java.util.concurrent.atomic.AtomicBoolean broken = new java.util.concurrent.atomic.AtomicBoolean(true);
        Map<String, Instant> firedAt = new ConcurrentHashMap<>();
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < 2; i++) {
                    from("outlook365:mail/received?delay=200&maxAttempts=1&parkedRetryDelay=1000&account=" + mailbox(i))
                            .routeId("mailbox" + i)
                            .process(e -> {
                                String subject = e.getMessage().getHeader(Outlook365Constants.SUBJECT, String.class);
                                if (subject.equals("poison") && broken.get()) {
                                    throw new IllegalStateException("the downstream is broken");
                                }
                                firedAt.putIfAbsent(subject, Instant.now());
                                fired.computeIfAbsent(subject, k -> new AtomicInteger()).incrementAndGet();
                            });
                }
            }
        }, c -> {
            c.setTriggerThreads(1);
            c.setMaxRetryDelay(60_000);
        });
        context.start();
        io.github.outlook365.camel.trigger.TriggerConsumer first
                = (io.github.outlook365.camel.trigger.TriggerConsumer) context.getRoute("mailbox0").getConsumer();
        sim.deliver(mailbox(0), mail(mailbox(0), "poison"));
        await().atMost(Duration.ofSeconds(60)).until(() -> first.getParkedCount() == 1);

        // when the downstream works again but Graph throttles the re-read of the parked mail (Retry-After 20 s)
        Duration retryAfter = Duration.ofSeconds(20);
        sim.injectFault(SimFault.throttle("/users/" + mailbox(0).replace(".", "\\.") + "/messages/[^/]+$", 1,
                retryAfter));
        broken.set(false);
        await().atMost(Duration.ofSeconds(60)).until(() -> throttledAnswer(sim, mailbox(0)) != null);
        sim.deliver(mailbox(1), mail(mailbox(1), "for 1"));

        // then the other mailbox fires while the throttled one waits (the one poll thread is not held)
        await().atMost(Duration.ofSeconds(60)).until(() -> firedAt.containsKey("for 1"));
        Instant ends = throttledAnswer(sim, mailbox(0)).at().plus(retryAfter);
        assertTrue(firedAt.get("for 1").isBefore(ends), "fired at " + firedAt.get("for 1") + ", Retry-After ends " + ends);

        // and the parked mail fires after the Retry-After, once
        await().atMost(Duration.ofSeconds(60)).until(() -> firedAt.containsKey("poison"));
        assertTrue(firedAt.get("poison").isAfter(ends), "poison fired at " + firedAt.get("poison"));
        Thread.sleep(1_000);
        assertEquals(Map.of("poison", 1, "for 1", 1), fired.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get())));
        assertEquals(0, first.getParkedCount());
    }

    private static List<RecordedRequest> deltaRequests(Outlook365Simulator sim, String mailbox) {
        return sim.requests().stream()
                .filter(r -> r.path().contains("/users/" + mailbox + "/") && r.path().endsWith("/messages/delta"))
                .toList();
    }

    /** The first answer 429 to a request of the mailbox, or null. */
    private static RecordedRequest throttledAnswer(Outlook365Simulator sim, String mailbox) {
        return sim.requests().stream()
                .filter(r -> r.status() == 429 && r.path().contains("/users/" + mailbox + "/"))
                .findFirst().orElse(null);
    }

    @Test
    void oneRouteWatchesManyMailboxesEachExchangeNamingItsMailboxAndAnUnknownOneIsLeftOut() throws Exception {
        // given one route on three mailboxes, one of which does not exist
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        for (int i = 0; i < 2; i++) {
            sim.createMailbox(SimulatedTenant.TENANT, mailbox(i), "Mailbox " + i);
        }
        Map<String, String> mailboxOf = new ConcurrentHashMap<>();
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=200&accounts=" + mailbox(0) + ", nobody@contoso.onmicrosoft.com ;"
                     + mailbox(1) + "," + mailbox(0).toUpperCase()).routeId("helpdesk")
                        .process(e -> {
                            String subject = e.getMessage().getHeader(Outlook365Constants.SUBJECT, String.class);
                            fired.computeIfAbsent(subject, k -> new AtomicInteger()).incrementAndGet();
                            mailboxOf.put(subject, e.getMessage().getHeader(Outlook365Constants.ACCOUNT, String.class));
                        });
            }
        });
        context.start();

        // then the route runs on the two mailboxes that exist, the unknown one left out with why
        MailboxesConsumer consumer = (MailboxesConsumer) context.getRoute("helpdesk").getConsumer();
        assertEquals(List.of(mailbox(0), mailbox(1)), consumer.watched());
        assertEquals(java.util.Set.of("nobody@contoso.onmicrosoft.com"), consumer.leftOut().keySet());
        assertTrue(consumer.leftOut().values().iterator().next().contains("nobody@contoso.onmicrosoft.com"),
                consumer.leftOut().toString());

        // when a mail arrives in each mailbox, twice in the first
        sim.deliver(mailbox(0), mail(mailbox(0), "first to 0"));
        sim.deliver(mailbox(1), mail(mailbox(1), "to 1"));
        sim.deliver(mailbox(0), mail(mailbox(0), "second to 0"));

        // then each fires once, its exchange naming its mailbox
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() == 3);
        Thread.sleep(1_000);
        assertEquals(Map.of("first to 0", mailbox(0), "second to 0", mailbox(0), "to 1", mailbox(1)), mailboxOf);
        assertTrue(fired.values().stream().allMatch(n -> n.get() == 1), fired.toString());
        // and the mailboxes share the app's one token
        assertEquals(1, sim.tokenRequests());
    }

    @Test
    void aMailboxLeftOutAtTheStartIsTriedAgainAndWatchedOnceItExists() throws Exception {
        // given one route on two mailboxes, the second not provisioned yet, left out tried again every 500 ms
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        sim.createMailbox(SimulatedTenant.TENANT, mailbox(0), "Mailbox 0");
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=200&accountsGroupRefresh=500&accounts=" + mailbox(0) + ","
                     + mailbox(1)).routeId("pair")
                        .process(e -> fired.computeIfAbsent(e.getMessage().getHeader(Outlook365Constants.SUBJECT,
                                String.class), k -> new AtomicInteger()).incrementAndGet());
            }
        });
        context.start();
        MailboxesConsumer consumer = (MailboxesConsumer) context.getRoute("pair").getConsumer();
        assertEquals(List.of(mailbox(0)), consumer.watched());
        assertEquals(java.util.Set.of(mailbox(1)), consumer.leftOut().keySet());

        // when the mailbox is provisioned
        sim.createMailbox(SimulatedTenant.TENANT, mailbox(1), "Mailbox 1");

        // then the route watches it from then on, at its own baseline, and its mail fires once
        await().atMost(Duration.ofSeconds(60)).until(() -> consumer.watched().size() == 2);
        assertTrue(consumer.leftOut().isEmpty(), consumer.leftOut().toString());
        sim.deliver(mailbox(1), mail(mailbox(1), "to the late one"));
        sim.deliver(mailbox(0), mail(mailbox(0), "to the first one"));
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() == 2);
        Thread.sleep(1_000);
        assertTrue(fired.values().stream().allMatch(n -> n.get() == 1), fired.toString());
    }

    @Test
    void idleRoundsDoNotRewriteTheCursorAndItIsWrittenAtTheStop() throws Exception {
        // given a trigger whose cursor is in a repository that counts its writes
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        Map<String, AtomicInteger> writes = new ConcurrentHashMap<>();
        org.apache.camel.support.processor.state.MemoryStateRepository cursors
                = new org.apache.camel.support.processor.state.MemoryStateRepository() {
                    @Override
                    public void setState(String key, String value) {
                        writes.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                        super.setState(key, value);
                    }
                };
        RouteBuilder routes = new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=50&initialDelay=0").routeId("ada")
                        .process(e -> fired.computeIfAbsent(e.getMessage().getHeader(Outlook365Constants.SUBJECT,
                                String.class), k -> new AtomicInteger()).incrementAndGet());
            }
        };
        context = tenant.context(routes, c -> c.setStateRepository(cursors));
        context.start();

        // when it polls twenty idle rounds
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.countRequests("GET", "/messages/delta") >= 21);

        // then the cursor was written at the baseline and at the first idle round only, not at every round
        String key = writes.keySet().stream().filter(k -> !k.contains("/parked")).findFirst().orElseThrow();
        assertTrue(writes.get(key).get() <= 2, writes.toString());
        String storedBeforeStop = cursors.getState(key);

        // when the route stops, the newest delta link is written
        context.getRouteController().stopRoute("ada");
        assertTrue(writes.get(key).get() <= 3, writes.toString());
        assertTrue(!cursors.getState(key).equals(storedBeforeStop), "the stop writes the idle rounds' cursor");

        // and mail that arrives while it is stopped fires once when it starts again
        sim.deliver(SimulatedTenant.ADA, mail(SimulatedTenant.ADA, "while stopped"));
        context.getRouteController().startRoute("ada");
        sim.deliver(SimulatedTenant.ADA, mail(SimulatedTenant.ADA, "after the restart"));
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() == 2);
        Thread.sleep(500);
        assertEquals(Map.of("while stopped", 1, "after the restart", 1), fired.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get())));
    }

    @Test
    void aRouteOnManyMailboxesIsNamedInJmxByItsNumberOfMailboxesNotByTheirList() throws Exception {
        // given one route on all the mailboxes (a URI of about a kilobyte)
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        List<String> accounts = IntStream.range(0, MAILBOXES).mapToObj(ManyMailboxesTest::mailbox).toList();
        accounts.forEach(a -> sim.createMailbox(SimulatedTenant.TENANT, a, a));
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=200&accounts=" + String.join(",", accounts)).routeId("all")
                        .log("${header.CamelOutlook365Subject}");
            }
        });

        // when it starts
        context.start();

        // then it watches every mailbox
        MailboxesConsumer consumer = (MailboxesConsumer) context.getRoute("all").getConsumer();
        assertEquals(accounts, consumer.watched());
        // and its endpoint's key (its MBean's name, which Camel masks with a regular expression that costs the square of
        // its length) says how many mailboxes, and a digest of their list, instead of the list
        String key = context.getRoute("all").getEndpoint().getEndpointKey();
        assertTrue(key.startsWith("outlook365://mail/received?") && key.contains("accounts=" + MAILBOXES + "-mailboxes-")
                   && key.contains("delay=200") && !key.contains(mailbox(1)) && key.length() < 200, key);
        javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        java.util.Set<javax.management.ObjectName> named = jmx.queryNames(new javax.management.ObjectName(
                "org.apache.camel:context=" + context.getManagementName() + ",type=endpoints,*"), null);
        assertTrue(named.stream().anyMatch(n -> n.getKeyProperty("name").contains("accounts=" + MAILBOXES + "-mailboxes-")),
                named.toString());
        assertTrue(named.stream().noneMatch(n -> n.getKeyProperty("name").contains(mailbox(1))), named.toString());
    }

    @Test
    void theEndpointKeyKeepsAShortAccountsListAndTellsLongListsApart() {
        String few = "outlook365://mail/received?accounts=a%40x.com%2Cb%40x.com&delay=5000";
        assertEquals(few, Outlook365Endpoint.shortKey(few));
        String many = "outlook365://mail/received?accounts=" + IntStream.range(0, 40).mapToObj(ManyMailboxesTest::mailbox)
                .collect(Collectors.joining("%2C")) + "&delay=5000";
        String other = many.replace(mailbox(7), mailbox(77));
        String key = Outlook365Endpoint.shortKey(many);
        assertTrue(key.matches("outlook365://mail/received\\?accounts=40-mailboxes-[0-9a-f]{16}&delay=5000"), key);
        assertTrue(!key.equals(Outlook365Endpoint.shortKey(other)), "two lists, two keys");
        assertEquals(key, Outlook365Endpoint.shortKey(many));
    }

    @Test
    void aNewMailboxWritesItsBaselineOnceWithItsFirstRound() throws Exception {
        // given a new trigger whose cursor is in a repository that keeps every write
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        Map<String, List<String>> writes = new ConcurrentHashMap<>();
        org.apache.camel.support.processor.state.MemoryStateRepository cursors
                = new org.apache.camel.support.processor.state.MemoryStateRepository() {
                    @Override
                    public void setState(String key, String value) {
                        writes.computeIfAbsent(key, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(value);
                        super.setState(key, value);
                    }
                };
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=60000&initialDelay=60000&accounts=" + SimulatedTenant.ADA + ","
                     + SimulatedTenant.BOB).routeId("two").log("${header.CamelOutlook365Subject}");
            }
        }, c -> c.setStateRepository(cursors));

        // when it starts
        context.start();

        // then each mailbox wrote its cursor once: at the end of its baseline round (a delta link), not before it too
        assertEquals(2, writes.size(), writes.toString());
        for (List<String> written : writes.values()) {
            assertEquals(1, written.size(), written.toString());
            io.github.outlook365.camel.trigger.Cursor cursor
                    = io.github.outlook365.camel.trigger.Cursor.parse(written.get(0));
            assertTrue(cursor.deltaLink() != null && !cursor.baselineRound() && cursor.baseline() != null, written.get(0));
        }
        // with its two requests: the folder and the baseline round
        assertEquals(4, sim.requests().stream().filter(r -> r.path().startsWith("/v1.0/")).count());
    }
}

package io.github.outlook365.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.github.outlook365.camel.auth.AuthMode;
import io.github.outlook365.camel.connection.ConnectionState;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.model.Event;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.SimFault;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.ScheduledPollConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.github.outlook365.camel.SimulatedTenant.ADA;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first start of an application whose connection is authorizationCode and nobody signed in yet (no token store):
 * the application comes up, its triggers wait, and once someone signs in they take their baseline at that moment: what
 * arrives from the sign-in on fires, also what arrives before their first poll after it; what is older does not.
 */
class FirstStartBeforeSignInTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    private Outlook365Simulator sim;
    private SimulatedTenant tenant;
    private CamelContext context;
    private final List<Message> mail = new CopyOnWriteArrayList<>();
    private final List<Event> created = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        sim = SIMULATOR.simulator();
        tenant = new SimulatedTenant(sim, work);
        sim.registerWebApp(SimulatedTenant.TENANT, AuthorizationCodeFlowTest.WEB_CLIENT, AuthorizationCodeFlowTest.WEB_SECRET,
                AuthorizationCodeFlowTest.REDIRECT, null);
    }

    @AfterEach
    void tearDown() {
        if (context != null) {
            context.stop();
        }
    }

    private static final String CAROL = "carol@fabrikam.example";
    /** Polls only when the test says (poll): what happens between the sign-in and the first poll is the test's. */
    private static final String BY_HAND = "delay=3600000&initialDelay=3600000";

    private final Map<String, List<String>> fired = new ConcurrentHashMap<>();

    /** A route per trigger URI (its route id: the part after the slash), each recording the subjects it fired for. */
    private RouteBuilder recording(String... uris) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                for (String uri : uris) {
                    String id = uri.substring(uri.indexOf('/') + 1, uri.contains("?") ? uri.indexOf('?') : uri.length());
                    fired.put(id, new CopyOnWriteArrayList<>());
                    from(uri).routeId(id).process(e -> {
                        Object body = e.getMessage().getBody();
                        fired.get(id).add(body instanceof Message m ? m.subject() : ((Event) body).subject());
                    });
                }
            }
        };
    }

    /** The example's delegated connection, nobody signed in, no token store. */
    private void startDelegated(RouteBuilder routes, Consumer<Outlook365Configuration> more) throws Exception {
        context = tenant.context(routes, c -> {
            c.setAuthMode(AuthMode.authorizationCode);
            c.setTenantId(null);
            c.setAccount(null);
            c.setClientId(AuthorizationCodeFlowTest.WEB_CLIENT);
            c.setClientSecret(AuthorizationCodeFlowTest.WEB_SECRET);
            c.setRedirectUri(AuthorizationCodeFlowTest.REDIRECT);
            c.setReconnectDelay(200);
            c.setReconnectMaxDelay(400);
            more.accept(c);
        });
        context.start();
    }

    /** One poll of a trigger, now, on this thread. */
    private void poll(String routeId) {
        ((ScheduledPollConsumer) context.getRoute(routeId).getConsumer()).run();
    }

    private List<String> fired(String routeId) {
        return fired.get(routeId);
    }

    private static String event(String subject, LocalDateTime start) {
        return "{\"subject\":\"" + subject + "\",\"start\":{\"dateTime\":\"" + start + "\",\"timeZone\":\"UTC\"},"
               + "\"end\":{\"dateTime\":\"" + start.plusHours(1) + "\",\"timeZone\":\"UTC\"}}";
    }

    private static String event(String subject) {
        String day = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        return "{\"subject\":\"" + subject + "\",\"start\":{\"dateTime\":\"" + day + "T09:00:00\",\"timeZone\":\"UTC\"},"
               + "\"end\":{\"dateTime\":\"" + day + "T10:00:00\",\"timeZone\":\"UTC\"}}";
    }

    @Test
    void theTriggersWaitForTheFirstSignInAndStartWatchingAtThatMoment() throws Exception {
        // given mail and an event from (well) before anyone signed in
        Instant longBefore = Instant.now().minus(Duration.ofMinutes(10));
        sim.deliver(ADA, SimMail.from("carol@fabrikam.example", "Carol").subject("before the sign-in").textBody("x")
                .receivedAt(longBefore));
        String before = sim.calendars().createEvent(ADA, event("Before the sign-in"));
        sim.calendars().setTimes(ADA, before, longBefore, longBefore);

        try (CapturedLogs logs = CapturedLogs.capture()) {
            // when the application starts with a delegated connection nobody signed in to
            context = tenant.context(new RouteBuilder() {
                @Override
                public void configure() {
                    from("outlook365:mail/received?delay=100&initialDelay=0").routeId("mail")
                            .process(e -> mail.add(e.getMessage().getBody(Message.class)));
                    from("outlook365:calendar/created?delay=100&initialDelay=0").routeId("calendar")
                            .process(e -> created.add(e.getMessage().getBody(Event.class)));
                }
            }, c -> {
                c.setAuthMode(AuthMode.authorizationCode);
                c.setTenantId(null);
                c.setAccount(null);
                c.setClientId(AuthorizationCodeFlowTest.WEB_CLIENT);
                c.setClientSecret(AuthorizationCodeFlowTest.WEB_SECRET);
                c.setRedirectUri(AuthorizationCodeFlowTest.REDIRECT);
                c.setTokenStore(work.resolve("secrets/tokens.bin").toString());
                c.setTokenStoreKey(AuthorizationCodeFlowTest.STORE_KEY);
                c.setReconnectDelay(200);
                c.setReconnectMaxDelay(400);
            });
            context.start();

            // then it is up, both routes started, and each trigger says once that it waits for its connection
            assertEquals(ServiceStatus.Started, context.getRouteController().getRouteStatus("mail"));
            assertEquals(ServiceStatus.Started, context.getRouteController().getRouteStatus("calendar"));
            Outlook365Connection connection = ((Outlook365Component) context.getComponent("outlook365")).connections()
                    .iterator().next();
            assertEquals(ConnectionState.BROKEN, connection.lifecycle().state());
            String mailWaits = "outlook365:mail/received 'inbox' waits for its connection: nobody has signed in to this"
                               + " connection yet; it starts watching at the first sign-in";
            int toldOnce = logs.linesContaining(mailWaits).size();
            assertEquals(1, toldOnce);
            assertEquals(1, logs.linesContaining("outlook365:calendar/created 'default calendar' waits for its"
                                                 + " connection: nobody has signed in").size());
            assertEquals(1, logs.linesContaining("waits for its first sign-in at"
                    + " https://camel.example.com/provisioning_/signin (BROKEN until then)").size(), "the connection says it once");
            assertTrue(sim.requests().stream().noneMatch(r -> r.path().startsWith("/v1.0/")), "nothing asked of Graph yet");

            // when ada signs in (with the setup token the log shows, in one browser)
            ProducerTemplate template = context.createProducerTemplate();
            new SignInBrowser(sim).signIn(template, SignInBrowser.setupToken(logs), ADA);

            // then the triggers resolve what they watch and take their baseline now
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> sim.countRequests("GET", "/messages/delta$") >= 2
                                 && sim.countRequests("GET", "/calendarView/delta$") >= 2);
            assertTrue(sim.countRequests("GET", "^/v1.0/me/mailFolders/[^/]+/messages/delta$") >= 1);
            assertTrue(sim.countRequests("GET", "^/v1.0/me/calendarView/delta$") >= 1);
            assertTrue(sim.countRequests("GET", "^/v1.0/me/mailFolders/inbox$") >= 1, "the folder was resolved");
            assertTrue(sim.countRequests("GET", "^/v1.0/me/calendars$") >= 1, "the calendar was resolved");

            // and what arrives after the sign-in fires, once; what was there before does not
            sim.deliver(ADA, SimMail.from("carol@fabrikam.example", "Carol").subject("after the sign-in").textBody("x"));
            sim.calendars().createEvent(ADA, event("After the sign-in"));
            await().atMost(Duration.ofSeconds(20)).until(() -> mail.size() == 1 && created.size() == 1);
            long polls = sim.countRequests("GET", "/messages/delta");
            await().atMost(Duration.ofSeconds(20)).until(() -> sim.countRequests("GET", "/messages/delta") >= polls + 3);
            assertEquals(List.of("after the sign-in"), mail.stream().map(Message::subject).toList());
            assertEquals(List.of("After the sign-in"), created.stream().map(Event::subject).toList());
            assertEquals(toldOnce, logs.linesContaining(mailWaits).size(), "said once, not at every poll");
        }
    }

    @Test
    void mailThatArrivesBetweenTheSignInAndTheFirstPollFiresOnceAndOlderMailDoesNot() throws Exception {
        // given mail from long before the sign-in: in the Inbox, in Sent Items, one flagged then, one flagged later
        Instant longBefore = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("old inbox").textBody("x").receivedAt(longBefore));
        sim.deliver(ADA, "sentitems", SimMail.from(ADA, "Ada").to(CAROL).subject("old sent").textBody("x")
                .receivedAt(longBefore));
        String oldFlag = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("flagged long ago").textBody("x")
                .receivedAt(longBefore));
        sim.setFlag(ADA, oldFlag, "flagged");
        sim.setLastModified(ADA, oldFlag, longBefore);
        String newFlag = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("flagged after the sign-in").textBody("x")
                .receivedAt(longBefore));
        sim.setLastModified(ADA, newFlag, longBefore);

        try (CapturedLogs logs = CapturedLogs.capture()) {
            // and the application started before anyone signed in
            startDelegated(recording("outlook365:mail/received?" + BY_HAND, "outlook365:mail/sent?" + BY_HAND,
                    "outlook365:mail/flagged?" + BY_HAND), c -> {
                    });
            new SignInBrowser(sim).signIn(context.createProducerTemplate(), SignInBrowser.setupToken(logs), ADA);

            // when mail arrives, is sent and is flagged after the sign-in, before the triggers' first poll
            sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("new inbox").textBody("x"));
            sim.deliver(ADA, "sentitems", SimMail.from(ADA, "Ada").to(CAROL).subject("new sent").textBody("x"));
            sim.setFlag(ADA, newFlag, "flagged");
            assertEquals(0, sim.countRequests("GET", "/messages/delta"), "no trigger has polled yet");
            for (String trigger : List.of("received", "sent", "flagged")) {
                poll(trigger);
            }

            // then what happened since the sign-in fires, and nothing older
            assertEquals(List.of("new inbox"), fired("received"));
            assertEquals(List.of("new sent"), fired("sent"));
            assertEquals(List.of("flagged after the sign-in"), fired("flagged"));
            assertEquals(1, logs.linesContaining("outlook365:mail/received watches 'inbox' of the signed-in user from ")
                    .size());

            // and only once, however often the triggers poll; what comes later fires as ever
            sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("later inbox").textBody("x"));
            for (int i = 0; i < 2; i++) {
                for (String trigger : List.of("received", "sent", "flagged")) {
                    poll(trigger);
                }
            }
            assertEquals(List.of("new inbox", "later inbox"), fired("received"));
            assertEquals(List.of("new sent"), fired("sent"));
            assertEquals(List.of("flagged after the sign-in"), fired("flagged"));
        }
    }

    @Test
    void eventsChangedBetweenTheSignInAndTheFirstPollFireOnceAndOlderOnesDoNot() throws Exception {
        // given events created long before the sign-in; one of them starts in five minutes
        Instant longBefore = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
        LocalDateTime tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1).atTime(9, 0);
        String old = sim.calendars().createEvent(ADA, event("old", tomorrow));
        String changed = sim.calendars().createEvent(ADA, event("to be changed", tomorrow.plusHours(2)));
        String deleted = sim.calendars().createEvent(ADA, event("to be deleted", tomorrow.plusHours(4)));
        String soon = sim.calendars().createEvent(ADA, event("soon",
                LocalDateTime.now(ZoneOffset.UTC).plusMinutes(5).truncatedTo(ChronoUnit.SECONDS)));
        for (String id : List.of(old, changed, deleted, soon)) {
            sim.calendars().setTimes(ADA, id, longBefore, longBefore);
        }

        try (CapturedLogs logs = CapturedLogs.capture()) {
            // and the application started before anyone signed in
            startDelegated(recording("outlook365:calendar/created?" + BY_HAND, "outlook365:calendar/updated?" + BY_HAND,
                    "outlook365:calendar/deleted?" + BY_HAND, "outlook365:calendar/startingSoon?minutesBefore=15&" + BY_HAND),
                    c -> {
                    });
            new SignInBrowser(sim).signIn(context.createProducerTemplate(), SignInBrowser.setupToken(logs), ADA);

            // when, after the sign-in and before the triggers' first poll, an event is created, one changed, one deleted
            sim.calendars().createEvent(ADA, event("new", tomorrow.plusHours(6)));
            sim.calendars().updateEvent(ADA, changed, "{\"subject\":\"changed after the sign-in\"}");
            sim.calendars().deleteEvent(ADA, deleted);
            List<String> triggers = List.of("created", "updated", "deleted", "startingSoon");
            triggers.forEach(this::poll);

            // then what was created or changed since the sign-in fires; a deletion the trigger never saw cannot; an
            // occurrence that starts soon fires as it does for any new trigger
            assertEquals(List.of("new"), fired("created"));
            assertEquals(List.of("changed after the sign-in"), fired("updated"));
            assertEquals(List.of(), fired("deleted"));
            assertEquals(List.of("soon"), fired("startingSoon"));

            // and only once, however often they poll; what changes later fires as ever
            triggers.forEach(this::poll);
            sim.calendars().deleteEvent(ADA, old);
            triggers.forEach(this::poll);
            triggers.forEach(this::poll);
            assertEquals(List.of("new"), fired("created"));
            assertEquals(List.of("changed after the sign-in"), fired("updated"));
            assertEquals(List.of("old"), fired("deleted"));
            assertEquals(List.of("soon"), fired("startingSoon"));
        }
    }

    @Test
    void anEntraOutageAtTheStartFailsNoRouteAndEveryTriggerBeginsWhenItEnds() throws Exception {
        // given Entra ID's token endpoint answering 503 when the application starts
        sim.injectFault(new SimFault("POST", "/oauth2/v2.0/token$", 503, "temporarily_unavailable", 4, null));
        List<String> triggers = List.of("mail/received", "mail/sent", "mail/flagged", "calendar/created",
                "calendar/updated", "calendar/deleted", "calendar/startingSoon", "calendar/invitationReceived",
                "calendar/responseReceived");
        try (CapturedLogs logs = CapturedLogs.capture()) {
            // when it starts with every trigger, an action and a recovery route
            context = tenant.context(new RouteBuilder() {
                @Override
                public void configure() {
                    for (String trigger : triggers) {
                        fired.put(trigger, new CopyOnWriteArrayList<>());
                        from("outlook365:" + trigger + "?delay=100&initialDelay=0").routeId(trigger)
                                .process(e -> fired.get(trigger).add(String.valueOf(e.getMessage().getHeader(
                                        Outlook365Constants.SUBJECT))));
                    }
                    from("direct:send").routeId("send").to("outlook365:mail/send");
                    from("outlook365:connection/events").routeId("events").log("${header.CamelOutlook365ConnectionState}");
                }
            }, c -> {
                c.setReconnectDelay(200);
                c.setReconnectMaxDelay(400);
            });
            context.start();

            // then every route started, none failed
            for (String route : List.of("send", "events")) {
                assertEquals(ServiceStatus.Started, context.getRouteController().getRouteStatus(route));
            }
            for (String trigger : triggers) {
                assertEquals(ServiceStatus.Started, context.getRouteController().getRouteStatus(trigger), trigger);
            }

            // and once Entra ID answers again, the triggers begin: mail that arrives fires
            Outlook365Connection connection = ((Outlook365Component) context.getComponent("outlook365")).connections()
                    .iterator().next();
            await().atMost(Duration.ofSeconds(60)).until(() -> connection.lifecycle().state() == ConnectionState.CONNECTED
                                                              && logs.linesContaining("outlook365:mail/received watches")
                                                                      .size() == 1);
            sim.deliver(SimulatedTenant.ADA, SimMail.from(CAROL, "Carol").subject("after the outage").textBody("x"));
            await().atMost(Duration.ofSeconds(60)).until(() -> fired.get("mail/received").contains("after the outage"));
            assertTrue(logs.lines().stream().noneMatch(l -> l.contains("\tat ")), "no stack trace in the log");
        }
    }
}

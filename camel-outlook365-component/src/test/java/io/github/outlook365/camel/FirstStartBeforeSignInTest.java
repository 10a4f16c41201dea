package io.github.outlook365.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.outlook365.camel.auth.AuthMode;
import io.github.outlook365.camel.connection.ConnectionState;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.model.Event;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
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
 * the application comes up, its triggers wait, and once someone signs in they take their baseline at that moment and
 * fire for what arrives after it.
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

    private static String event(String subject) {
        String day = LocalDate.now(ZoneOffset.UTC).plusDays(1).toString();
        return "{\"subject\":\"" + subject + "\",\"start\":{\"dateTime\":\"" + day + "T09:00:00\",\"timeZone\":\"UTC\"},"
               + "\"end\":{\"dateTime\":\"" + day + "T10:00:00\",\"timeZone\":\"UTC\"}}";
    }

    @Test
    void theTriggersWaitForTheFirstSignInAndStartWatchingAtThatMoment() throws Exception {
        // given mail and an event from before anyone signed in
        sim.deliver(ADA, SimMail.from("carol@fabrikam.example", "Carol").subject("before the sign-in").textBody("x"));
        sim.calendars().createEvent(ADA, event("Before the sign-in"));

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
            String mailWaits = "outlook365:mail/received 'inbox' waits for its connection (";
            int toldOnce = logs.linesContaining(mailWaits).size();
            assertTrue(toldOnce > 0);
            assertTrue(!logs.linesContaining("outlook365:calendar/created 'default calendar' waits for its connection (")
                    .isEmpty());
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
}

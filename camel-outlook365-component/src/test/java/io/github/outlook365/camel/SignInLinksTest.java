package io.github.outlook365.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.outlook365.camel.auth.AuthMode;
import io.github.outlook365.camel.connection.ConnectionEvent;
import io.github.outlook365.camel.connection.ConnectionObservers;
import io.github.outlook365.camel.connection.ConnectionUnavailableException;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A delegated connection nobody signed in to yet, as its first start finds it, and the links it publishes: health,
 * JMX, connection events, the unavailable action's error and the log carry the sign-in page, never an authorize URL
 * with a live state.
 */
class SignInLinksTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final String SIGN_IN_PAGE = "https://camel.example.com/provisioning_/signin";

    @TempDir
    Path work;

    private Outlook365Simulator sim;
    private SimulatedTenant tenant;
    private CamelContext context;
    private CapturedLogs log;
    private final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        sim = SIMULATOR.simulator();
        tenant = new SimulatedTenant(sim, work);
        sim.registerWebApp(SimulatedTenant.TENANT, AuthorizationCodeFlowTest.WEB_CLIENT,
                AuthorizationCodeFlowTest.WEB_SECRET, AuthorizationCodeFlowTest.REDIRECT, null);
        log = CapturedLogs.capture();
    }

    @AfterEach
    void tearDown() {
        if (context != null) {
            context.stop();
        }
        log.close();
    }

    /** A delegated connection with no token store yet and no refreshToken: nobody has signed in. */
    private ProducerTemplate startWithNobodySignedIn() throws Exception {
        context = tenant.context(null, c -> {
            c.setAuthMode(AuthMode.authorizationCode);
            c.setTenantId(null);
            c.setClientId(AuthorizationCodeFlowTest.WEB_CLIENT);
            c.setClientSecret(AuthorizationCodeFlowTest.WEB_SECRET);
            c.setRedirectUri(AuthorizationCodeFlowTest.REDIRECT);
            c.setTokenStore(work.resolve("tokens.bin").toString());
            c.setTokenStoreKey(AuthorizationCodeFlowTest.STORE_KEY);
            c.setReconnectDelay(100);
        });
        context.start();
        ProducerTemplate template = context.createProducerTemplate();
        // the first route that needs the connection opens it: here, a check
        template.requestBody("outlook365:connection/check", null, Map.class);
        return template;
    }

    private Outlook365Connection connection() {
        return context.getComponent("outlook365", Outlook365Component.class).connections().iterator().next();
    }

    @Test
    void aFirstStartIsBrokenWithTheSignInPageAndAsksNobodyForATokenUntilSomeoneSignsIn() throws Exception {
        // given the first start
        ProducerTemplate template = startWithNobodySignedIn();

        // when a recovery route starts after the connection broke
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:connection/events").routeId("events")
                        .process(e -> events.add(e.getMessage().getBody(ConnectionEvent.class)));
            }
        });

        // then it hears the BROKEN state at once, with the reason and the sign-in page
        await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
        ConnectionEvent broken = events.get(0);
        assertEquals("BROKEN", broken.state().name());
        assertEquals("nobody has signed in to this connection yet: a person must open the sign-in page with the setup"
                     + " token from the application's log (logger outlook365.setup) and sign in", broken.reason());
        assertEquals("interaction_required", broken.error());
        assertNull(broken.aadstsCode(), "Entra ID was not asked");
        assertEquals(SIGN_IN_PAGE, broken.consentUrl());
        assertTrue(broken.firstSignIn(), "a first start, told apart from a failure by the event, not its text");

        // and health, JMX and an action say the same
        Outlook365Connection connection = connection();
        HealthCheck.Result health = HealthCheckRegistry.get(context)
                .getCheck("outlook365-connection-" + connection.lifecycle().name()).orElseThrow().call();
        assertEquals(HealthCheck.State.DOWN, health.getState());
        assertTrue(health.getMessage().orElseThrow().endsWith("nobody has signed in to this connection yet: a person"
                                                              + " must open the sign-in page with the setup token from"
                                                              + " the application's log (logger outlook365.setup) and"
                                                              + " sign in; fix it here: " + SIGN_IN_PAGE),
                health.getMessage().orElseThrow());
        assertEquals(SIGN_IN_PAGE, health.getDetails().get("consentUrl"));
        assertEquals(SIGN_IN_PAGE, jmx(connection, "ConsentUrl"));
        CamelExecutionException send = assertThrows(CamelExecutionException.class, () -> template.sendBodyAndHeader(
                "outlook365:mail/send", "x", Outlook365Constants.TO, SimulatedTenant.BOB));
        ConnectionUnavailableException unavailable = assertInstanceOf(ConnectionUnavailableException.class,
                send.getCause());
        assertEquals(SIGN_IN_PAGE, unavailable.getConsentUrl());
        assertTrue(unavailable.getMessage().endsWith("fix it here: " + SIGN_IN_PAGE), unavailable.getMessage());

        // and no token attempt is let through, however long it waits (a BROKEN gate otherwise opens after
        // reconnectDelay, 100 ms here): Entra ID was never asked
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(5))
                .until(() -> !connection.lifecycle().attemptAllowed());
        assertNull(connection.lifecycle().nextAttempt());
        assertEquals(0, sim.tokenRequests());

        // when ada signs in
        new SignInBrowser(sim).signIn(template, SignInBrowser.setupToken(log), SimulatedTenant.ADA);

        // then the connection works, and says so
        await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
        assertEquals("CONNECTED", events.get(1).state().name());
        assertEquals("first sign-in as " + SimulatedTenant.ADA, events.get(1).reason());
        assertTrue(events.get(1).firstSignIn());
        template.sendBodyAndHeader("outlook365:mail/send", "first mail", Outlook365Constants.TO, SimulatedTenant.BOB);
        assertEquals(1, sim.messages(SimulatedTenant.BOB, "inbox").size());
        assertEquals("CONNECTED", jmx(connection, "State"));
    }

    @Test
    void noLiveStateIsPublishedOrLogged() throws Exception {
        // given sign-ins started, and the connection broken after one completed (sessions revoked)
        ProducerTemplate template = startWithNobodySignedIn();
        SignInBrowser browser = new SignInBrowser(sim);
        List<String> states = new ArrayList<>();
        String waiting = browser.start(template, SignInBrowser.setupToken(log));
        states.add(SignInBrowser.query(java.net.URI.create(waiting)).get("state"));
        String used = browser.start(template, SignInBrowser.setupToken(log));
        states.add(SignInBrowser.query(java.net.URI.create(used)).get("state"));
        browser.complete(template, browser.signIn(used, SimulatedTenant.ADA, true));
        sim.revokeSignInSessions(SimulatedTenant.TENANT, SimulatedTenant.ADA);
        assertThrows(CamelExecutionException.class, () -> template.sendBodyAndHeader("outlook365:mail/send", "x",
                Outlook365Constants.TO, SimulatedTenant.BOB));
        Map<?, ?> check = template.requestBody("outlook365:connection/check", null, Map.class);
        assertEquals("BROKEN", check.get("state"), check.toString());

        // then whatever shows the connection holds the sign-in page and no state
        Outlook365Connection connection = connection();
        // (the application's log, not the simulator's own request log, which stands for Microsoft's)
        List<String> shown = new ArrayList<>(log.lines().stream()
                .filter(l -> !l.startsWith("io.github.outlook365.simulator.")).toList());
        shown.add(String.valueOf(check));
        shown.add(String.valueOf(jmx(connection, "ConsentUrl")));
        shown.add(String.valueOf(HealthCheckRegistry.get(context)
                .getCheck("outlook365-connection-" + connection.lifecycle().name()).orElseThrow().call().getDetails()));
        String all = String.join("\n", shown);
        for (String state : states) {
            assertFalse(all.contains(state), "a live state was shown: " + state);
        }
        assertFalse(all.contains("oauth2/v2.0/authorize"), all);
        assertTrue(all.contains(SIGN_IN_PAGE), all);
    }

    @Test
    void callbackParametersLoseTheirLineBreaksBeforeTheyReachAMessage() throws Exception {
        ProducerTemplate template = startWithNobodySignedIn();

        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBodyAndHeaders("outlook365:connection/completeAuthorization", null,
                        Map.of("error", "access_denied\r\nFORGED", "error_description", "one\u0000two\u2029three"),
                        Map.class));

        String message = e.getCause().getMessage();
        assertTrue(message.startsWith("the sign-in did not complete: Entra ID answered access_denied  FORGED (one two three)"),
                message);
        assertTrue(message.chars().noneMatch(c -> Character.isISOControl(c) || c == '\u2029'), message);
    }

    private Object jmx(Outlook365Connection connection, String attribute) throws Exception {
        MBeanServer server = context.getManagementStrategy().getManagementAgent().getMBeanServer();
        ObjectName name = ConnectionObservers.objectName(context, connection);
        return server.getAttribute(name, attribute);
    }
}

package io.github.outlook365.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.outlook365.camel.auth.AuthMode;
import io.github.outlook365.camel.connection.ConnectionEvent;
import io.github.outlook365.camel.connection.ConnectionObservers;
import io.github.outlook365.camel.connection.ConnectionState;
import io.github.outlook365.camel.connection.ConnectionUnavailableException;
import io.github.outlook365.camel.connection.LifecycleSettings;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.SimFault;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
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
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connection's state machine against the simulator: an outage of the token endpoint (DEGRADED, recovers by
 * itself within the backoff schedule) and an expired client secret (BROKEN until a new secret), with what the
 * triggers, actions, events, health check and JMX view do meanwhile.
 */
class ConnectionLifecycleTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    private static final String TOKEN_PATH = "/oauth2/v2.0/token";

    @TempDir
    Path work;

    private Outlook365Simulator sim;
    private SimulatedTenant tenant;
    private CamelContext context;
    private final List<String> received = new CopyOnWriteArrayList<>();
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

    private void start(String secretOption) throws Exception {
        start(secretOption, 300);
    }

    private void start(String secretOption, long reconnectDelay) throws Exception {
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=100" + secretOption).routeId("mail")
                        .process(e -> received.add(e.getMessage().getHeader(Outlook365Constants.SUBJECT, String.class)));
                from("outlook365:connection/events" + (secretOption.isEmpty() ? "" : "?" + secretOption.substring(1)))
                        .routeId("events")
                        .process(e -> events.add(e.getMessage().getBody(ConnectionEvent.class)));
            }
        }, c -> {
            c.setReconnectDelay(reconnectDelay);
            c.setReconnectMaxDelay(Math.max(1_200, reconnectDelay));
        });
        context.start();
    }

    private Outlook365Connection connection() {
        return ((Outlook365Component) context.getComponent("outlook365")).connections().stream()
                .filter(c -> c.lifecycle().state() != null).reduce((a, b) -> b).orElseThrow();
    }

    private static SimMail mail(String subject) {
        return SimMail.from("carol@fabrikam.example", "Carol").to(SimulatedTenant.ADA).subject(subject).textBody("hi");
    }

    private HealthCheck.Result health(Outlook365Connection connection) {
        HealthCheck check = HealthCheckRegistry.get(context)
                .getCheck("outlook365-connection-" + connection.lifecycle().name()).orElseThrow();
        return check.call();
    }

    private Object jmx(Outlook365Connection connection, String attribute) throws Exception {
        MBeanServer server = context.getManagementStrategy().getManagementAgent().getMBeanServer();
        ObjectName name = ConnectionObservers.objectName(context, connection);
        return server.getAttribute(name, attribute);
    }

    private ConnectionEvent awaitEvent(ConnectionState state) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> events.stream().anyMatch(e -> e.state() == state && ConnectionEvent.STATE_CHANGED.equals(e.type())));
        return events.stream().filter(e -> e.state() == state).findFirst().orElseThrow();
    }

    @Test
    void tokenEndpointOutageDegradesThenRecoversWithinTheBackoffSchedule() throws Exception {
        // given a running trigger that delivered a first mail
        start("");
        sim.deliver(SimulatedTenant.ADA, mail("before the outage"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("before the outage"));
        Outlook365Connection connection = connection();
        assertEquals("CONNECTED", jmx(connection, "State"));
        assertEquals(HealthCheck.State.UP, health(connection).getState());

        // when the login endpoint answers 503 for a while and the held token stops working
        sim.injectFault(new SimFault("POST", TOKEN_PATH, 503, "temporarily_unavailable", 6, null));
        long tokenRequestsBefore = sim.countRequests("POST", TOKEN_PATH);
        sim.revokeTokens(SimulatedTenant.TENANT, SimulatedTenant.CLIENT_ID);
        sim.deliver(SimulatedTenant.ADA, mail("during the outage 1"));
        sim.deliver(SimulatedTenant.ADA, mail("during the outage 2"));

        // then the connection is DEGRADED, which keeps the readiness UP and shows in JMX
        ConnectionEvent degraded = awaitEvent(ConnectionState.DEGRADED);
        assertEquals(ConnectionState.CONNECTED, degraded.previousState());
        assertEquals("temporarily_unavailable", degraded.error());
        assertTrue(degraded.reason().contains("outage"), degraded.reason());
        // (the outage lasts at least two backoff steps after this event: 300 + 600 ms, plus MSAL's own retries)
        HealthCheck.Result result = health(connection);
        assertEquals(HealthCheck.State.UP, result.getState());
        assertEquals("DEGRADED", result.getDetails().get("state"));
        assertEquals("DEGRADED", jmx(connection, "State"));

        // and it comes back by itself, and every mail of the outage arrives exactly once
        ConnectionEvent connected = awaitEvent(ConnectionState.CONNECTED);
        assertEquals(ConnectionState.DEGRADED, connected.previousState());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> received.contains("during the outage 1") && received.contains("during the outage 2"));
        assertEquals(List.of("before the outage", "during the outage 1", "during the outage 2"), received);
        assertEquals("CONNECTED", jmx(connection, "State"));
        assertEquals(HealthCheck.State.UP, health(connection).getState());
        assertTrue(jmx(connection, "LastError").toString().contains("temporarily_unavailable"));

        // and Entra ID saw no more token requests than the backoff allows: one attempt per step (MSAL itself retries
        // a 5xx once, so an attempt is at most two requests), plus the one that succeeded
        long outageRequests = sim.countRequests("POST", TOKEN_PATH) - tokenRequestsBefore;
        long outageMillis = Duration.between(degraded.time(), connected.time()).toMillis();
        int allowedAttempts = attemptsWithin(connection.lifecycle().settings(), outageMillis);
        assertTrue(outageRequests >= 7, "the 6 faults and a success: " + outageRequests);
        assertTrue(outageRequests <= 2L * allowedAttempts + 1,
                outageRequests + " token requests in " + outageMillis + " ms, the schedule allows " + allowedAttempts
                                                               + " attempts");
    }

    @Test
    void aCertificateNearItsEndIsWarnedAboutAsAnEventAndInTheHealthDetails() throws Exception {
        // given an app whose certificate ends in 10 days, with the default warning of 30 days
        Instant end = Instant.now().plus(Duration.ofDays(10)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        TestCertificates soon = TestCertificates.rsa("ending-soon", Instant.now().minus(Duration.ofDays(300)), end);
        sim.registerApp(SimulatedTenant.TENANT, ClientCertificateAuthTest.CERT_CLIENT_ID, soon.certificate());
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:connection/events").routeId("events")
                        .process(e -> events.add(e.getMessage().getBody(ConnectionEvent.class)));
                from("outlook365:mail/received?delay=100").routeId("mail")
                        .process(e -> received.add(e.getMessage().getHeader(Outlook365Constants.SUBJECT, String.class)));
            }
        }, c -> {
            c.setAuthMode(AuthMode.clientCertificate);
            c.setClientId(ClientCertificateAuthTest.CERT_CLIENT_ID);
            c.setClientSecret(null);
            c.setCertificate(soon.base64Pkcs12(ClientCertificateAuthTest.PASSWORD));
            c.setCertificatePassword(ClientCertificateAuthTest.PASSWORD);
        });

        // when the routes start
        context.start();

        // then a CERTIFICATE_EXPIRING event says when, the connection stays CONNECTED and works
        await().atMost(Duration.ofSeconds(10))
                .until(() -> events.stream().anyMatch(e -> ConnectionEvent.CERTIFICATE_EXPIRING.equals(e.type())));
        ConnectionEvent warning = events.stream()
                .filter(e -> ConnectionEvent.CERTIFICATE_EXPIRING.equals(e.type())).findFirst().orElseThrow();
        assertEquals(1, events.stream().filter(e -> ConnectionEvent.CERTIFICATE_EXPIRING.equals(e.type())).count(),
                "warned once: " + events);
        assertEquals(ConnectionState.CONNECTED, warning.state());
        assertTrue(warning.reason().contains("expires at " + end), warning.reason());
        assertTrue(warning.reason().contains(connection().settings().auth().certificate().thumbprint()),
                warning.reason());
        sim.deliver(SimulatedTenant.ADA, mail("with a certificate near its end"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("with a certificate near its end"));

        // and the health details and JMX show the certificate's end, the check stays UP
        Outlook365Connection connection = connection();
        HealthCheck.Result health = health(connection);
        assertEquals(HealthCheck.State.UP, health.getState());
        assertEquals(end.toString(), health.getDetails().get("certificateExpiresAt"));
        assertTrue(health.getDetails().get("certificateWarning").toString().contains("expires at " + end));
        assertEquals(end.toString(), jmx(connection, "CertificateExpiresAt"));
        assertTrue(!health.getDetails().toString().contains(ClientCertificateAuthTest.PASSWORD));
    }

    @Test
    void aNamedConnectionBeanIsSharedByItsEndpointsAndHasItsOwnState() throws Exception {
        // given a second app for bob's mailbox, defined as a connection bean beside the component's connection (ada)
        String salesClient = "33333333-4444-5555-6666-777777777777";
        String salesSecret = "sal3s~Secret.DoNotLog";
        sim.registerApp(SimulatedTenant.TENANT, salesClient, salesSecret);
        Outlook365ConnectionOptions sales = new Outlook365ConnectionOptions();
        Outlook365Configuration defaults = tenant.configuration();
        sales.setAuthorityHost(defaults.getAuthorityHost());
        sales.setGraphEndpoint(defaults.getGraphEndpoint());
        sales.setSslContextParameters(defaults.getSslContextParameters());
        sales.setTenantId(SimulatedTenant.TENANT);
        sales.setClientId(salesClient);
        sales.setClientSecret(salesSecret);
        sales.setAccount(SimulatedTenant.BOB);
        sales.setReconnectDelay(300);
        List<String> bobReceived = new CopyOnWriteArrayList<>();
        List<ConnectionEvent> salesEvents = new CopyOnWriteArrayList<>();
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=100").routeId("ada")
                        .process(e -> received.add(e.getMessage().getHeader(Outlook365Constants.SUBJECT, String.class)));
                from("outlook365:mail/received?delay=100&connection=#sales").routeId("bob")
                        .process(e -> bobReceived.add(e.getMessage().getHeader(Outlook365Constants.SUBJECT, String.class)));
                from("outlook365:connection/events?connection=#sales").routeId("salesEvents")
                        .process(e -> salesEvents.add(e.getMessage().getBody(ConnectionEvent.class)));
                from("outlook365:connection/events").routeId("events")
                        .process(e -> events.add(e.getMessage().getBody(ConnectionEvent.class)));
            }
        }, c -> {
        });
        context.getRegistry().bind("sales", sales);
        context.start();
        sim.deliver(SimulatedTenant.BOB, SimMail.from("carol@fabrikam.example", "Carol").to(SimulatedTenant.BOB)
                .subject("for bob").textBody("hi"));
        sim.deliver(SimulatedTenant.ADA, mail("for ada"));
        await().atMost(Duration.ofSeconds(10)).until(() -> bobReceived.contains("for bob") && received.contains("for ada"));

        // then two connections, the bean's one reading bob's mailbox with the bean's app
        Outlook365Component component = (Outlook365Component) context.getComponent("outlook365");
        assertEquals(2, component.connections().size());
        Outlook365Connection salesConnection = component.connections().stream()
                .filter(c -> c.settings().auth().clientId().equals(salesClient)).findFirst().orElseThrow();
        assertEquals(SimulatedTenant.BOB, salesConnection.account());

        // when only the bean's app loses its secret
        sim.registerApp(SimulatedTenant.TENANT, salesClient, salesSecret, Instant.now().minusSeconds(1));
        sim.revokeTokens(SimulatedTenant.TENANT, salesClient);
        sim.deliver(SimulatedTenant.BOB, SimMail.from("carol@fabrikam.example", "Carol").to(SimulatedTenant.BOB)
                .subject("for bob while broken").textBody("hi"));
        sim.deliver(SimulatedTenant.ADA, mail("for ada meanwhile"));

        // then the bean's connection is BROKEN and says so on its own events; ada's connection works on, unaffected
        await().atMost(Duration.ofSeconds(10)).until(() -> salesEvents.stream().anyMatch(e -> e.state() == ConnectionState.BROKEN));
        assertEquals("7000222", salesEvents.stream().filter(e -> e.state() == ConnectionState.BROKEN).findFirst()
                .orElseThrow().aadstsCode());
        assertTrue(salesEvents.stream().allMatch(e -> e.connection().startsWith(salesClient + "@")));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("for ada meanwhile"));
        assertTrue(events.stream().noneMatch(e -> ConnectionEvent.STATE_CHANGED.equals(e.type())), events.toString());
        assertEquals(List.of("for bob"), bobReceived);
        assertEquals(HealthCheck.State.DOWN, health(salesConnection).getState());
    }

    /** Attempts the backoff schedule allows in a span: the first at once, then one after each step. */
    private static int attemptsWithin(LifecycleSettings settings, long millis) {
        int attempts = 1;
        long elapsed = 0;
        while (true) {
            elapsed += settings.backoff(attempts).toMillis();
            if (elapsed > millis) {
                return attempts;
            }
            attempts++;
        }
    }

    @Test
    void expiredSecretBreaksTheConnectionAndAReplacedSecretConnectsAgain() throws Exception {
        // given a running trigger that delivered a first mail, and a backoff step long enough for the checks below to
        // run within it on a loaded machine
        start("", 5_000);
        sim.deliver(SimulatedTenant.ADA, mail("before"));
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("before"));
        Outlook365Connection broken = connection();

        // when the client secret expires and the held token stops working
        sim.registerApp(SimulatedTenant.TENANT, SimulatedTenant.CLIENT_ID, SimulatedTenant.CLIENT_SECRET,
                Instant.now().minusSeconds(1));
        sim.revokeTokens(SimulatedTenant.TENANT, SimulatedTenant.CLIENT_ID);
        sim.deliver(SimulatedTenant.ADA, mail("while broken"));

        // then the connection is BROKEN with that reason, the Entra code and the admin consent link
        ConnectionEvent event = awaitEvent(ConnectionState.BROKEN);
        assertEquals(ConnectionState.CONNECTED, event.previousState());
        assertEquals("invalid_client", event.error());
        assertEquals("7000222", event.aadstsCode());
        assertTrue(event.reason().contains("client secret has expired"), event.reason());
        assertTrue(event.consentUrl().startsWith(sim.baseUrl() + "/" + SimulatedTenant.TENANT + "/adminconsent?client_id="),
                event.consentUrl());
        // an app-only connection is named by its app: the mailboxes of one app share its token and its state
        assertEquals(broken.settings().appName(), event.connection());

        // and the readiness check is DOWN with the reason, JMX says BROKEN, neither shows the secret
        HealthCheck.Result health = health(broken);
        assertEquals(HealthCheck.State.DOWN, health.getState());
        assertTrue(health.getMessage().orElseThrow().contains("client secret has expired"));
        assertEquals("BROKEN", health.getDetails().get("state"));
        assertEquals("7000222", health.getDetails().get("aadstsCode"));
        assertEquals("BROKEN", jmx(broken, "State"));
        assertEquals(event.time().toString(), jmx(broken, "Since"));
        assertEquals("7000222", jmx(broken, "LastAadstsCode"));
        assertTrue(!health.getDetails().toString().contains(SimulatedTenant.CLIENT_SECRET));

        // and an action fails fast, carrying state, code and link, without asking Entra ID
        long tokenRequests = sim.countRequests("POST", TOKEN_PATH);
        CamelExecutionException failed = assertThrows(CamelExecutionException.class, () -> context
                .createProducerTemplate().sendBodyAndHeader("outlook365:mail/send", "hi", Outlook365Constants.TO,
                        SimulatedTenant.BOB));
        ConnectionUnavailableException unavailable = assertInstanceOf(ConnectionUnavailableException.class,
                failed.getCause());
        assertEquals(ConnectionState.BROKEN, unavailable.getState());
        assertEquals("7000222", unavailable.getAadstsCode());
        assertEquals(event.consentUrl(), unavailable.getConsentUrl());
        assertTrue(unavailable.getMessage().contains("fix it here: " + event.consentUrl()), unavailable.getMessage());
        assertTrue(sim.countRequests("POST", TOKEN_PATH) <= tokenRequests + 1);

        // and the trigger delivers nothing while BROKEN
        assertEquals(List.of("before"), received);

        // and connection/check still answers, with the state, the code and the link, whatever the backoff
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> check = context.createProducerTemplate()
                .requestBody("outlook365:connection/check", null, java.util.Map.class);
        assertEquals("BROKEN", check.get("state"));
        assertEquals("7000222", check.get("aadstsCode"));
        assertEquals(event.consentUrl(), check.get("consentUrl"));
        assertTrue(check.get("error").toString().contains("AADSTS7000222"), check.toString());
        assertTrue(!check.toString().contains(SimulatedTenant.CLIENT_SECRET));

        // and the JMX operation reconnect tries at once and reports the state
        MBeanServer server = context.getManagementStrategy().getManagementAgent().getMBeanServer();
        long beforeReconnect = sim.countRequests("POST", TOKEN_PATH);
        assertEquals("BROKEN", server.invoke(ConnectionObservers.objectName(context, broken), "reconnect", null, null));
        assertTrue(sim.countRequests("POST", TOKEN_PATH) > beforeReconnect);

        // when an admin puts a new secret in place and the routes come back with it
        sim.registerApp(SimulatedTenant.TENANT, SimulatedTenant.CLIENT_ID, "n3w~Secret.Value");
        context.getRouteController().stopRoute("mail");
        context.getRouteController().stopRoute("events");
        context.removeRoute("mail");
        context.removeRoute("events");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=100&clientSecret=RAW(n3w~Secret.Value)").routeId("mail2")
                        .process(e -> received.add(e.getMessage().getHeader(Outlook365Constants.SUBJECT, String.class)));
            }
        });

        // then the new connection is CONNECTED, the old one's health check is gone, and the mail that arrived while
        // BROKEN is delivered exactly once from the trigger's cursor
        await().atMost(Duration.ofSeconds(10)).until(() -> received.contains("while broken"));
        assertEquals(List.of("before", "while broken"), received);
        Outlook365Connection replaced = connection();
        assertEquals(ConnectionState.CONNECTED, replaced.lifecycle().state());
        assertEquals(HealthCheck.State.UP, health(replaced).getState());
        assertEquals(1, HealthCheckRegistry.get(context).getCheckIDs().stream()
                .filter(id -> id.startsWith("outlook365-connection-")).count());
        assertNotNull(jmx(replaced, "TokenExpiresAt"));
    }
}

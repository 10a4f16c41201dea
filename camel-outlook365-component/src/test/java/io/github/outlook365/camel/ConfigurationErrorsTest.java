package io.github.outlook365.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.github.outlook365.camel.auth.CloudEnvironment;
import io.github.outlook365.camel.connection.ConnectionSettings;
import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.RecordedRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigurationErrorsTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    private Outlook365Simulator sim;
    private SimulatedTenant tenant;

    @BeforeEach
    void setUp() throws Exception {
        sim = SIMULATOR.simulator();
        tenant = new SimulatedTenant(sim, work);
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                bad("missing clientId", c -> c.setClientId(null), "option clientId is required with authMode=clientCredentials"),
                bad("missing clientSecret", c -> c.setClientSecret(null), "option clientSecret is required"),
                bad("missing tenantId", c -> c.setTenantId(" "), "option tenantId is required"),
                bad("missing account", c -> c.setAccount(null), "option account is required"),
                bad("tenantId=common with app-only", c -> c.setTenantId("common"),
                        "option tenantId='common' cannot be used with authMode=clientCredentials"),
                bad("tenantId=organizations with app-only", c -> c.setTenantId("organizations"),
                        "option tenantId='organizations' cannot be used"),
                badInUri("unknown environment", "environment=mars",
                        "option environment='mars' is not known: use one of office365, usGovL4, usGovL5, china"),
                badInUri("unknown authMode", "authMode=password", "option authMode='password' is not known"),
                bad("graphEndpoint over http", c -> c.setGraphEndpoint("http://graph.example.com"),
                        "option graphEndpoint='http://graph.example.com' must be an https URL"),
                bad("authorityHost over http", c -> c.setAuthorityHost("http://login.example.com"),
                        "option authorityHost='http://login.example.com' must be an https URL"),
                bad("graphEndpoint with a path", c -> c.setGraphEndpoint("https://graph.microsoft.com/v1.0"),
                        "must be a scheme and host only"),
                bad("graphEndpoint not a URL", c -> c.setGraphEndpoint("graph"), "option graphEndpoint='graph' is not an absolute URL"),
                bad("unknown folder", c -> c.setFolder("NoSuchFolder"),
                        "option folder='NoSuchFolder': mailbox '" + SimulatedTenant.ADA + "' has no such folder"),
                bad("unknown mailbox", c -> c.setAccount("nobody@contoso.onmicrosoft.com"),
                        "option account='nobody@contoso.onmicrosoft.com' is not a mailbox"),
                bad("wrong client secret", c -> c.setClientSecret("wrong-secret-value"),
                        "(invalid_client, AADSTS7000215, HTTP 401): the client secret is not valid"),
                bad("secret with surrounding whitespace", c -> c.setClientSecret(" " + SimulatedTenant.CLIENT_SECRET + "\n"),
                        "option clientSecret starts or ends with whitespace"),
                bad("unknown client id", c -> c.setClientId("99999999-0000-0000-0000-000000000000"),
                        "AADSTS700016"),
                bad("unknown tenant", c -> c.setTenantId("nowhere.onmicrosoft.com"), "AADSTS90002"),
                bad("since not a date", c -> c.setSince("yesterday"), "option since='yesterday' is not an ISO-8601"),
                bad("stateDirectory under a file", c -> c.setStateDirectory("/dev/null/state"),
                        "option stateDirectory='/dev/null/state' cannot be created ("));
    }

    private static Arguments bad(String name, Consumer<Outlook365Configuration> change, String expected) {
        return Arguments.of(name, change, "", expected);
    }

    /** A value Java's types cannot even hold (an unknown enum constant): a route writes it in its URI. */
    private static Arguments badInUri(String name, String uriOption, String expected) {
        return Arguments.of(name, (Consumer<Outlook365Configuration>) c -> {
        }, "&" + uriOption, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void badInputStopsTheRouteAtStartWithAMessageNamingTheOption(String name, Consumer<Outlook365Configuration> change,
                                                                  String uriOptions, String expected) throws Exception {
        String secret = tenant.configuration().getClientSecret();
        try (CapturedLogs logs = CapturedLogs.capture()) {
            CamelContext context = tenant.context(new RouteBuilder() {
                @Override
                public void configure() {
                    from("outlook365:mail/received?delay=100" + uriOptions).to("log:never");
                }
            }, change);
            Exception e = assertThrows(Exception.class, context::start);
            String messages = causes(e);
            assertTrue(messages.contains(expected), "expected '" + expected + "' in: " + messages);
            assertFalse(messages.contains(secret), "the secret leaked into: " + messages);
            assertFalse(messages.contains("wrong-secret-value"));
            assertNoSecretIn(logs);
            context.stop();
        }
    }

    @Test
    void httpOnALoopbackAddressIsAllowedForLocalProxies() {
        Outlook365Configuration c = tenant.configuration();
        c.setGraphEndpoint("http://127.0.0.1:8080");
        c.setAuthorityHost("http://localhost:8081/");
        ConnectionSettings settings = assertDoesNotThrow(() -> ConnectionSettings.of(c));
        assertEquals("http://127.0.0.1:8080", settings.auth().graphEndpoint());
        assertEquals("http://localhost:8081", settings.auth().authorityHost());
    }

    @Test
    void eachEnvironmentDecidesTheHosts() {
        Outlook365Configuration c = tenant.configuration();
        c.setGraphEndpoint(null);
        c.setAuthorityHost(null);
        c.setEnvironment(CloudEnvironment.usGovL5);
        ConnectionSettings settings = ConnectionSettings.of(c);
        assertEquals("https://login.microsoftonline.us", settings.auth().authorityHost());
        assertEquals("https://dod-graph.microsoft.us", settings.auth().graphEndpoint());
    }

    @Test
    void noSecretOrTokenReachesALogLineWhenAllGoesWell() throws Exception {
        try (CapturedLogs logs = CapturedLogs.capture()) {
            // a secret written into the URI, as some users will
            CamelContext context = tenant.context(new RouteBuilder() {
                @Override
                public void configure() {
                    from("outlook365:mail/received?delay=50&initialDelay=0&clientSecret=RAW(" + SimulatedTenant.CLIENT_SECRET
                         + ")").to("log:received?showAll=true");
                }
            }, c -> c.setClientSecret("placeholder-overridden-by-the-uri"));
            context.start();
            context.createProducerTemplate().sendBodyAndHeader("outlook365:mail/send?clientSecret=RAW("
                                                               + SimulatedTenant.CLIENT_SECRET + ")",
                    "hello", Outlook365Constants.TO, SimulatedTenant.ADA);
            await().atMost(Duration.ofSeconds(20)).until(() -> !logs.linesContaining("received").isEmpty()
                                                                && sim.countRequests("GET", "/messages/delta") > 3);
            context.stop();
            assertFalse(logs.lines().isEmpty());
            assertNoSecretIn(logs);
            for (String token : accessTokensSeen()) {
                assertTrue(logs.linesContaining(token).isEmpty(), "an access token was logged");
            }
        }
    }

    private List<String> accessTokensSeen() {
        List<String> tokens = new ArrayList<>();
        for (RecordedRequest r : sim.requests()) {
            r.headers().forEach((k, v) -> {
                if (k.equalsIgnoreCase("Authorization")) {
                    v.forEach(value -> tokens.add(value.replace("Bearer ", "")));
                }
            });
        }
        return tokens;
    }

    private static void assertNoSecretIn(CapturedLogs logs) {
        List<String> leaks = logs.linesContaining(SimulatedTenant.CLIENT_SECRET);
        assertTrue(leaks.isEmpty(), "the client secret was logged: " + leaks);
        assertTrue(logs.linesContaining("wrong-secret-value").isEmpty(), "a wrong secret was logged");
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }
}

package io.github.outlook365.example;

import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorMain;
import io.github.outlook365.simulator.SimMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's "Against a real tenant" sections, followed step by step, with the stand-alone simulator standing in for
 * the tenant: an app registered with exactly the permissions the README lists, the example started in a JVM of its own
 * with the README's environment variables, and nothing else changed but what a real tenant needs no setting for (the
 * simulator's hosts and certificate, a free port, the test's own state directory).
 */
class RealTenantRecipesTest {

    private static final String TENANT = "fabrikam.onmicrosoft.com";
    private static final String CLIENT_ID = "7c6f2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";
    private static final String CLIENT_SECRET = "Qx8~real.tenant-Secret_Value";
    private static final String MAILBOX = "megan@fabrikam.onmicrosoft.com";
    private static final String CAROL = "carol@contoso.example";
    private static final String TRUST_PASSWORD = "changeit";
    private static final Duration START = Duration.ofSeconds(90);
    private static final Pattern STARTED_ROUTE = Pattern.compile("\\s+Started (\\S+) \\(");

    @TempDir
    Path work;

    private Outlook365Simulator sim;
    private int port;

    @BeforeEach
    void freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
    }

    @AfterEach
    void stopSimulator() {
        if (sim != null) {
            sim.close();
        }
    }

    /** The stand-alone simulator as the README starts it, with the app registration of a recipe. */
    private void simulator(String... registration) {
        List<String> args = new ArrayList<>(List.of("--port", "0", "--tenant", TENANT, "--client-id", CLIENT_ID,
                "--client-secret", CLIENT_SECRET, "--mailbox", MAILBOX, "--truststore",
                work.resolve("simulator-trust.p12").toString(), "--truststore-password", TRUST_PASSWORD));
        args.addAll(List.of(registration));
        sim = Outlook365SimulatorMain.start(args.toArray(String[]::new));
    }

    /** The README's exports for the app-only recipe. */
    private static Map<String, String> appOnly() {
        Map<String, String> env = new HashMap<>();
        env.put("OUTLOOK365_TENANT_ID", TENANT);
        env.put("OUTLOOK365_CLIENT_ID", CLIENT_ID);
        env.put("OUTLOOK365_CLIENT_SECRET", CLIENT_SECRET);
        env.put("OUTLOOK365_ACCOUNT", MAILBOX);
        return env;
    }

    /** The README's exports for the delegated recipe (with a token store key). */
    private static Map<String, String> delegated() {
        Map<String, String> env = new HashMap<>();
        env.put("OUTLOOK365_AUTH_MODE", "authorizationCode");
        env.put("OUTLOOK365_TENANT_ID", TENANT);
        env.put("OUTLOOK365_CLIENT_ID", CLIENT_ID);
        env.put("OUTLOOK365_CLIENT_SECRET", CLIENT_SECRET);
        env.put("OUTLOOK365_SCOPES", "User.Read Mail.Read");
        env.put("OUTLOOK365_TOKEN_STORE_KEY", UUID.randomUUID().toString());
        return env;
    }

    /** What only the stand-in needs: where it is and its certificate; a free port; state kept in the test's folder. */
    private List<String> standIn() {
        return List.of("-Dcamel.component.outlook365.authorityHost=" + sim.baseUrl(),
                "-Dcamel.component.outlook365.graphEndpoint=" + sim.baseUrl(),
                "-Djavax.net.ssl.trustStore=" + work.resolve("simulator-trust.p12"),
                "-Djavax.net.ssl.trustStorePassword=" + TRUST_PASSWORD, "-Djavax.net.ssl.trustStoreType=PKCS12",
                "-Doutlook365.example.httpPort=" + port, "-Doutlook365.example.pollDelay=500",
                "-Doutlook365.example.sendEvery=1000",
                "-Dcamel.component.outlook365.stateDirectory=" + work.resolve("state"));
    }

    private void deliverFromCarol(String subject) {
        sim.deliver(MAILBOX, SimMail.from(CAROL, "Carol").to(MAILBOX).subject(subject).textBody("hello"));
    }

    private static Set<String> startedRoutes(ExampleProcess example) {
        example.awaitLine("Routes startup", START);
        example.awaitLine(") started in ", START);
        Set<String> started = new TreeSet<>();
        for (String line : example.lines()) {
            Matcher m = STARTED_ROUTE.matcher(line);
            if (m.find()) {
                started.add(m.group(1));
            }
        }
        return started;
    }

    /** Graph requests that changed something in the mailbox (every write but sendMail). */
    private List<String> writesButSendMail() {
        return sim.requests().stream()
                .filter(r -> r.path().startsWith("/v1.0/") && !r.method().equals("GET") && !r.path().endsWith("/sendMail"))
                .map(r -> r.method() + " " + r.path()).toList();
    }

    @Test
    void appOnlyWithMailReadTheRoutesThatRunByDefaultStartAndChangeNothing() throws Exception {
        // given an app an admin granted the application permission Mail.Read only (the README's step 1)
        simulator("--roles", "Mail.Read");

        // when the example runs with the README's variables (step 2)
        try (ExampleProcess example = ExampleProcess.start(appOnly(), standIn())) {
            // then it starts exactly the routes that run by default: reading mail, the alert route and the console
            assertEquals(Set.of("connection-recovery", "hawtio-console", "log-received-mail"), startedRoutes(example));
            // and it logs the mail that arrives
            deliverFromCarol("Hello from a real tenant");
            example.awaitLine("Received mail from " + CAROL + ": 'Hello from a real tenant'", START);

            // and nothing changed the mailbox, nothing was sent
            assertEquals(List.of(), writesButSendMail());
            assertEquals(0, sim.countRequests("POST", "/sendMail"));
            // and the log is honest: the addresses it binds, no deprecation, no secret
            String log = example.log();
            assertTrue(log.contains("http://localhost:" + port + "/observe/health"), log);
            assertFalse(log.contains("0.0.0.0"), log);
            assertFalse(log.contains("is deprecated"), log);
            assertFalse(log.contains(CLIENT_SECRET));
            assertTrue(example.linesContaining("Connecting to Microsoft 365 as client " + CLIENT_ID).size() == 1, log);
        }
    }

    @Test
    void appOnlyWithMailReadAndMailSendTheDemoMailRunsWhenAsked() throws Exception {
        // given an app granted Mail.Read and Mail.Send, and the demo mail asked for
        simulator("--roles", "Mail.Read,Mail.Send");
        Map<String, String> env = appOnly();
        env.put("OUTLOOK365_SELF_MAIL", "true");

        try (ExampleProcess example = ExampleProcess.start(env, standIn())) {
            // then log-received-mail and send-demo-mail run: the mailbox mails itself and the trigger sees it
            assertTrue(startedRoutes(example).containsAll(Set.of("log-received-mail", "send-demo-mail")));
            example.awaitLine("Sent 'Demo mail #1' to " + MAILBOX, START);
            example.awaitLine("Received mail from " + MAILBOX + ": 'Demo mail #1'", START);
            assertTrue(sim.countRequests("POST", "/v1.0/users/" + MAILBOX + "/sendMail") >= 1);
            assertEquals(List.of(), writesButSendMail());
        }
    }

    @Test
    void appOnlyWithMailReadAloneTheDemoMailStopsTheStartSayingWhichRouteNeedsWhat() throws Exception {
        // given an app granted Mail.Read only, and the demo mail asked for
        simulator("--roles", "Mail.Read");
        Map<String, String> env = appOnly();
        env.put("OUTLOOK365_SELF_MAIL", "true");

        try (ExampleProcess example = ExampleProcess.start(env, standIn())) {
            // then the example does not start, and says which running route needs which permission, and where to grant it
            assertNotEquals(0, example.awaitExit(START), example.log());
            String expected = "Route send-demo-mail cannot start: outlook365:mail/send needs the Microsoft Graph"
                              + " application permission Mail.Send, which the app-only token of clientId '" + CLIENT_ID
                              + "' in tenant '" + TENANT + "' does not grant (it grants: Mail.Read): an admin must add"
                              + " it under 'API permissions' (Application permissions) of the app registration and"
                              + " grant admin consent: " + sim.baseUrl() + "/" + TENANT + "/adminconsent?client_id="
                              + CLIENT_ID;
            assertFalse(example.linesContaining(expected).isEmpty(), example.log());
            // and nothing was sent
            assertEquals(0, sim.countRequests("POST", "/sendMail"));
        }
    }

    @Test
    void delegatedTheUserSignsInOnceAndTheEncryptedTokenStoreCarriesTheSignInAcrossARestart() throws Exception {
        // given a web app with the redirect URI and the delegated permissions of the README's delegated recipe
        String redirectUri = "http://localhost:" + port + "/provisioning_/callback";
        simulator("--redirect-uri", redirectUri, "--delegated-permissions", "User.Read,Mail.Read");
        Path tokens = work.resolve("tokens").resolve("outlook365-tokens.bin");
        Map<String, String> env = delegated();
        // the README's default file is in the home directory; a test keeps its files in its own folder
        env.put("OUTLOOK365_TOKEN_STORE", tokens.toString());

        try (ExampleProcess example = ExampleProcess.start(env, standIn())) {
            // when the example runs, it says where to sign in and where the tokens are kept
            String signInPage = "http://localhost:" + port + "/provisioning_/signin";
            example.awaitLine("Sign-in: register " + redirectUri + " as the Web redirect URI of the app, then open the"
                              + " link of the line 'Outlook 365 sign-in for ...' below (logger outlook365.setup): "
                              + signInPage + " with its one-time setup token", START);
            example.awaitLine("The signed-in user's tokens are kept encrypted in " + tokens.toAbsolutePath(), START);
            assertTrue(startedRoutes(example).containsAll(Set.of("connection-setup-signin", "connection-setup-callback",
                    "log-received-mail")));
            // and, nobody having signed in yet, it runs and its trigger waits, saying why
            String waiting = example.awaitLine("outlook365:mail/received 'inbox' waits for its connection", START);
            assertTrue(waiting.contains("nobody has signed in to this connection yet"), waiting);
            // and the setup log has the sign-in link with its setup token
            String invitation = example.awaitLine("Outlook 365 sign-in for " + CLIENT_ID + "@" + TENANT, START);
            assertTrue(invitation.contains(" setup ") && invitation.contains("open " + signInPage + "?setupToken="),
                    invitation);

            // and the user opens that link in a browser (the page without the token refuses to start a sign-in)
            SimulatedBrowser browser = new SimulatedBrowser(sim);
            assertEquals(403, browser.get(signInPage).statusCode());
            HttpResponse<String> start = browser.get(signInPage + "?setupToken=" + SimulatedBrowser.setupToken(invitation));
            assertEquals(302, start.statusCode(), start.body());
            SimulatedBrowser.Callback callback = browser.signInAtMicrosoft(
                    start.headers().firstValue("Location").orElseThrow(), MAILBOX);
            assertTrue(callback.target().toString().startsWith(redirectUri), callback.toString());
            HttpResponse<String> connected = browser.comeBack(callback);
            assertEquals(200, connected.statusCode(), connected.body());
            assertTrue(connected.body().contains("Signed in as " + MAILBOX), connected.body());

            // then the trigger takes its baseline, and mail that arrives from then on is logged
            example.awaitLine("outlook365:mail/received watches 'inbox'", START);
            deliverFromCarol("After signing in");
            example.awaitLine("Received mail from " + CAROL + ": 'After signing in'", START);
        }
        // and the tokens are in the store, encrypted
        byte[] stored = Files.readAllBytes(tokens);
        assertTrue(stored.length > 0);
        String storedText = new String(stored, StandardCharsets.ISO_8859_1);
        assertFalse(storedText.contains(MAILBOX) || storedText.contains("refresh_token"), "the token store is encrypted");

        // when the example restarts with the same variables
        try (ExampleProcess again = ExampleProcess.start(env, standIn())) {
            // then nobody signs in again: the mail that arrives is logged
            again.awaitLine(") started in ", START);
            deliverFromCarol("After the restart");
            again.awaitLine("Received mail from " + CAROL + ": 'After the restart'", START);
        }
        assertEquals(1, sim.requests().stream()
                .filter(r -> r.path().endsWith("/oauth2/v2.0/token") && r.body().contains("grant_type=authorization_code"))
                .count(), "one sign-in for both runs");
    }

    @Test
    void delegatedWithoutATokenStoreKeyTheLogSaysTheTokensLiveInMemoryOnly() throws Exception {
        simulator("--redirect-uri", "http://localhost:" + port + "/provisioning_/callback");
        Map<String, String> env = delegated();
        env.remove("OUTLOOK365_TOKEN_STORE_KEY");

        try (ExampleProcess example = ExampleProcess.start(env, standIn())) {
            String warning = example.awaitLine("OUTLOOK365_TOKEN_STORE_KEY is not set", START);
            assertTrue(warning.contains("WARN"), warning);
            assertTrue(warning.contains("tokens stay in memory only, so someone must sign in again at http://localhost:"
                                        + port + "/provisioning_/signin after every restart"), warning);
            example.awaitLine(") started in ", START);
        }
    }
}

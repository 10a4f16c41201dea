package io.github.outlook365.example;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.SimMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The example as a user watches it: the Hawtio console at /hawtio/ in a real (headless Debian) Chromium shows the
 * context, the routes with their outlook365: endpoints, and the trigger's exchange counter rising after a mail arrives;
 * its Outlook 365 page shows each connection and trigger, and a BROKEN connection with the link that fixes it.
 * Skipped only when the build was told to skip the console (-Dconsole.skip=true).
 */
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
    private static final Path SCREENSHOTS = Path.of(System.getProperty("screenshot.dir", "target/console-screenshots"));

    private StandaloneExample example;
    private int port;

    @BeforeEach
    void freePort() throws Exception {
        assumeFalse(Boolean.getBoolean("console.skip"), "the console was not built (-Dconsole.skip=true)");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
    }

    private void startExample(String authMode) throws Exception {
        example = new StandaloneExample();
        example.httpPort(port);
        example.configure(null, authMode);
        example.main().addOverrideProperty("outlook365.example.selfMail", "false");
        example.main().addOverrideProperty("outlook365.example.pollDelay", "500");
        // only the page's Check button asks Entra ID again once the connection is BROKEN
        example.main().addOverrideProperty("camel.component.outlook365.reconnectDelay", "300000");
        example.main().start();
    }

    @AfterEach
    void stopExample() throws Exception {
        if (example != null) {
            example.main().stop();
            example.close();
        }
    }

    /**
     * Runs a browser script of console/e2e against the example; {@code onLine} answers its lines (a step the test
     * takes when the page is ready for it). Returns what the script printed.
     */
    private List<String> browse(String script, Consumer<String> onLine, String... args) throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "the console test needs Debian's chromium at " + CHROMIUM
                                                 + ": apt-get install chromium (.ci/run does), or build with"
                                                 + " -Dconsole.skip=true to leave the console out");
        List<String> command = new ArrayList<>(List.of("node", script, "http://localhost:" + port, SCREENSHOTS.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(Path.of(System.getProperty("console.dir")).toFile()).redirectErrorStream(true);
        builder.environment().put("CHROMIUM_PATH", CHROMIUM.toString());
        Process browser = builder.start();
        List<String> output = new CopyOnWriteArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                onLine.accept(line);
            }
        }
        assertTrue(browser.waitFor(120, TimeUnit.SECONDS), "the browser check did not end: " + output);
        assertEquals(0, browser.exitValue(), "the browser check failed: " + output);
        return output;
    }

    private static String printed(List<String> output, String key) {
        return output.stream().filter(l -> l.startsWith(key + " ")).map(l -> l.substring(key.length() + 1)).findFirst()
                .orElseThrow(() -> new AssertionError("the browser did not print " + key + ": " + output));
    }

    @Test
    void theConsoleShowsTheRoutesAndTheTriggerCountingAMail() throws Exception {
        startExample(null);
        List<String> output = browse("e2e/check-console.mjs", line -> {
            if (line.startsWith("COUNT")) {
                // the console has read the counter: now a mail arrives in the watched mailbox
                example.simulator().deliver(StandaloneExample.SIMULATED_MAILBOX,
                        SimMail.from("carol@fabrikam.example", "Carol").to(StandaloneExample.SIMULATED_MAILBOX)
                                .subject("seen in the console").textBody("hello"));
            }
        }, "outlook365-example", "log-received-mail");
        assertTrue(printed(output, "ENDPOINTS").contains("outlook365://mail/received"), output.toString());
        printed(output, "ROSE");
        assertTrue(Files.size(SCREENSHOTS.resolve("console-routes-after-mail.png")) > 0);
    }

    @Test
    void theOutlook365PageShowsEachConnectionAndTriggerAndABrokenConnectionWithItsSignInLink() throws Exception {
        // given the example with a signed-in user (authorizationCode) and the Outlook 365 page open
        startExample("authorizationCode");
        Outlook365Simulator sim = example.simulator();
        List<String> output = browse("e2e/check-outlook365-page.mjs", line -> {
            if (line.equals("READY")) {
                // when an admin revokes the user's sign-in sessions while the page is open
                sim.revokeSignInSessions(StandaloneExample.SIMULATED_TENANT, StandaloneExample.SIMULATED_MAILBOX);
            }
        });

        // then the page showed the connection CONNECTED and the route's trigger with its operation
        assertEquals("CONNECTED", printed(output, "CONNECTION"));
        assertEquals("log-received-mail mail/received", printed(output, "TRIGGER"));
        // and, refreshing itself, the connection BROKEN with the reason and the sign-in page (no live state in it),
        // which says where its setup token is
        assertEquals("http://localhost:" + port + "/provisioning_/signin", printed(output, "BROKEN"));
        assertTrue(printed(output, "HINT").contains("logger outlook365.setup"), output.toString());
        assertTrue(printed(output, "REASON").contains("sign-in sessions were revoked"), output.toString());
        // and its Check button asked the connection, which is still BROKEN
        assertEquals("check: BROKEN", printed(output, "CHECKED"));
        assertTrue(Files.size(SCREENSHOTS.resolve("outlook365-broken.png")) > 0);
        assertFalse(String.join("\n", output).contains(example.simulatedClientSecret()));
    }

    @Test
    void jolokiaShowsTheConnectionButNoSecretOfIt() throws Exception {
        startExample(null);
        HttpClient http = HttpClient.newHttpClient();
        String read = "{\"type\":\"read\",\"mbean\":\"org.apache.camel:*\"}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/hawtio/jolokia/?ignoreErrors=true"))
                .POST(HttpRequest.BodyPublishers.ofString(read)).header("Content-Type", "application/json")
                // as the console's page sends it (jolokia-access.xml answers the console's own origins only)
                .header("Origin", "http://localhost:" + port).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        String json = response.body();
        assertTrue(json.contains("outlook365://mail/received"), "the read reached the Camel MBeans");
        assertTrue(json.length() > 10_000, "a full read of the Camel MBeans");
        assertFalse(json.contains(example.simulatedClientSecret()), "the client secret is visible through Jolokia");
        // the connection's own view (state, token expiry, requests) is among what the console shows under JMX
        assertTrue(json.contains("type=outlook365"), "the connection MBean is readable through Jolokia");
        assertTrue(json.contains("\"CONNECTED\""), "the connection MBean shows its state");
    }

}

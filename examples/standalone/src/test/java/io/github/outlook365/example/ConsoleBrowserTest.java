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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

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
 * context, the routes with their outlook365: endpoints, and the trigger's exchange counter rising after a mail arrives.
 * Skipped only when the build was told to skip the console (-Dconsole.skip=true).
 */
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));

    private StandaloneExample example;
    private int port;

    @BeforeEach
    void startExample() throws Exception {
        assumeFalse(Boolean.getBoolean("console.skip"), "the console was not built (-Dconsole.skip=true)");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        example = new StandaloneExample();
        example.configure(null);
        example.main().addOverrideProperty("outlook365.example.httpPort", String.valueOf(port));
        example.main().addOverrideProperty("outlook365.example.selfMail", "false");
        example.main().addOverrideProperty("outlook365.example.pollDelay", "500");
        example.main().start();
    }

    @AfterEach
    void stopExample() throws Exception {
        if (example != null) {
            example.main().stop();
            example.close();
        }
    }

    @Test
    void theConsoleShowsTheRoutesAndTheTriggerCountingAMail() throws Exception {
        assertTrue(Files.isExecutable(CHROMIUM), "the console test needs Debian's chromium at " + CHROMIUM
                                                 + ": apt-get install chromium (.ci/run does), or build with"
                                                 + " -Dconsole.skip=true to leave the console out");
        Path consoleDir = Path.of(System.getProperty("console.dir"));
        Path screenshots = Path.of(System.getProperty("screenshot.dir"));
        ProcessBuilder builder = new ProcessBuilder("node", "e2e/check-console.mjs", "http://localhost:" + port,
                screenshots.toString(), "outlook365-example", "log-received-mail")
                .directory(consoleDir.toFile()).redirectErrorStream(true);
        builder.environment().put("CHROMIUM_PATH", CHROMIUM.toString());
        Process browser = builder.start();
        List<String> output = new CopyOnWriteArrayList<>();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(browser.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                output.add(line);
                if (line.startsWith("COUNT")) {
                    // the console has read the counter: now a mail arrives in the watched mailbox
                    example.simulator().deliver(StandaloneExample.SIMULATED_MAILBOX,
                            SimMail.from("carol@fabrikam.example", "Carol").to(StandaloneExample.SIMULATED_MAILBOX)
                                    .subject("seen in the console").textBody("hello"));
                }
            }
        }
        assertTrue(browser.waitFor(120, TimeUnit.SECONDS), "the browser check did not end: " + output);
        assertEquals(0, browser.exitValue(), "the browser check failed: " + output);
        assertTrue(output.stream().anyMatch(l -> l.startsWith("ENDPOINTS") && l.contains("outlook365://mail/received")),
                output.toString());
        assertTrue(output.stream().anyMatch(l -> l.startsWith("ROSE")), output.toString());
        assertTrue(Files.size(screenshots.resolve("console-routes-after-mail.png")) > 0);
    }

    @Test
    void jolokiaShowsTheConnectionButNoSecretOfIt() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String read = "{\"type\":\"read\",\"mbean\":\"org.apache.camel:*\"}";
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/hawtio/jolokia/?ignoreErrors=true"))
                .POST(HttpRequest.BodyPublishers.ofString(read)).header("Content-Type", "application/json").build(),
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

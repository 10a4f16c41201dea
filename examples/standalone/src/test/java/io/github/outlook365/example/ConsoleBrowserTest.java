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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import io.github.outlook365.camel.trigger.JdbcTriggerStore;
import io.github.outlook365.simulator.LocalPostgres;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.SimFault;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The example as a user watches it: the Hawtio console at /hawtio/ in a real (headless Debian) Chromium shows the
 * context, the routes with their outlook365: endpoints, and the trigger's exchange counter rising after a mail arrives;
 * its Outlook 365 page shows each connection and trigger, and a BROKEN connection with the link that fixes it; and
 * what only some triggers have: push, a route on many mailboxes as one row, a trigger's leadership in a shared state,
 * a trigger another node took over, a throttled mailbox and the connection's mailboxes in trouble.
 * Skipped only when the build was told to skip the console (-Dconsole.skip=true).
 */
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
    private static final Path SCREENSHOTS = Path.of(System.getProperty("screenshot.dir", "target/console-screenshots"));

    private StandaloneExample example;
    private int port;
    private LocalPostgres postgres;

    @BeforeEach
    void freePort() throws Exception {
        assumeFalse(Boolean.getBoolean("console.skip"), "the console was not built (-Dconsole.skip=true)");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
    }

    private void startExample(String authMode) throws Exception {
        startExample(authMode, e -> {
        });
    }

    /** Starts the example; {@code before} adds to it (routes, properties) once its simulator runs. */
    private void startExample(String authMode, ThrowingConsumer<StandaloneExample> before) throws Exception {
        example = new StandaloneExample();
        example.httpPort(port);
        example.configure(null, authMode);
        example.main().addOverrideProperty("outlook365.example.selfMail", "false");
        example.main().addOverrideProperty("outlook365.example.pollDelay", "500");
        // only the page's Check button asks Entra ID again once the connection is BROKEN
        example.main().addOverrideProperty("camel.component.outlook365.reconnectDelay", "300000");
        before.accept(example);
        example.main().start();
    }

    @FunctionalInterface
    private interface ThrowingConsumer<T> {
        void accept(T value) throws Exception;
    }

    @AfterEach
    void stopExample() throws Exception {
        if (example != null) {
            example.main().stop();
            example.close();
        }
        if (postgres != null) {
            postgres.close();
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
    void theOutlook365PageShowsPushManyMailboxesTheClusterFieldsAndAThrottledMailbox() throws Exception {
        assumeTrue(LocalPostgres.available(), "the cluster fields need PostgreSQL: apt-get install postgresql");
        postgres = LocalPostgres.start();
        PGSimpleDataSource stateDb = new PGSimpleDataSource();
        stateDb.setUrl(postgres.jdbcUrl());
        String tenant = StandaloneExample.SIMULATED_TENANT;
        String ops = "ops@" + tenant;
        String audit = "audit@" + tenant;
        // given the example (app-only) with push on for log-received-mail, and three routes of the test: one on many
        // mailboxes (one of which does not exist), one with its state in PostgreSQL on the ops mailbox, one that polls
        startExample(null, e -> {
            Outlook365Simulator sim = e.simulator();
            sim.createMailbox(tenant, "sales@" + tenant, "Sales");
            sim.createMailbox(tenant, "support@" + tenant, "Support");
            sim.createMailbox(tenant, ops, "Operations");
            sim.createMailbox(tenant, audit, "Audit");
            e.main().addOverrideProperty("outlook365.notifications.enabled", "true");
            e.main().addOverrideProperty("outlook365.notifications.mode", "webhook");
            e.main().addOverrideProperty("camel.component.outlook365.notificationUrl",
                    "http://localhost:" + port + "/outlook365/notifications");
            e.main().bind("triggerState", stateDb);
            e.main().configure().addRoutesBuilder(new RouteBuilder() {
                @Override
                public void configure() {
                    from("outlook365:mail/received?delay=500&accounts=sales@" + tenant + ",support@" + tenant
                         + ",nobody@" + tenant).routeId("team-mailboxes")
                            .log("team mail: ${header.CamelOutlook365Subject}");
                    from("outlook365:mail/received?delay=500&account=" + ops + "&stateDataSource=#triggerState")
                            .routeId("ops-mail").log("ops mail: ${header.CamelOutlook365Subject}");
                    from("outlook365:mail/received?delay=500&account=" + audit + "&stateKey=console-audit"
                         + "&stateDataSource=#triggerState").routeId("audit-mail")
                            .log("audit mail: ${header.CamelOutlook365Subject}");
                    from("outlook365:mail/received?delay=500&stateKey=console-quiet").routeId("quiet-mail")
                            .log("quiet mail: ${header.CamelOutlook365Subject}");
                }
            });
        });
        Outlook365Simulator sim = example.simulator();
        String opsPath = "/users/" + ops.replace(".", "\\.") + "/";
        // another node, as it takes a trigger over (its lease ran out, say)
        JdbcTriggerStore otherNode = new JdbcTriggerStore(stateDb, "console-audit", "node-b/4242");

        List<String> output;
        try {
            output = browse("e2e/check-outlook365-triggers.mjs", line -> {
                if (line.equals("READY")) {
                    // when Graph fails a read of the ops mailbox (the connection counts it in trouble), then
                    // throttles it (a Retry-After within maxRetryDelay, 60 s: the trigger pauses, and no read clears
                    // the trouble meanwhile)
                    sim.injectFault(SimFault.status(opsPath, 500, "generalException", 1));
                    sim.injectFault(SimFault.throttle(opsPath, 30, Duration.ofSeconds(55)));
                    // and a mail arrives in a team mailbox
                    sim.deliver("support@" + tenant, SimMail.from("carol@fabrikam.example", "Carol")
                            .to("support@" + tenant).subject("for the team").textBody("hello"));
                    // and another node takes audit-mail over
                    ServiceHelper.startService(otherNode);
                }
            }, "log-received-mail", "team-mailboxes", "ops-mail", "quiet-mail", ops, "audit-mail");
        } finally {
            ServiceHelper.stopService(otherNode);
        }

        // then log-received-mail showed its push subscription
        assertEquals("push", printed(output, "PUSH"));
        assertTrue(printed(output, "NOTIFICATIONS").startsWith("push: subscription "), output.toString());
        // and the route on many mailboxes one row: two mailboxes watched, the third left out with why, its batches
        assertTrue(printed(output, "MANY").startsWith("mail/received 2 mailboxes"), output.toString());
        assertEquals("2", printed(output, "WATCHED"));
        assertTrue(printed(output, "LEFT-OUT").startsWith("nobody@" + tenant + ": "), output.toString());
        assertTrue(printed(output, "BATCHES").matches("\\d+ \\(\\d+ mailbox reads in them\\)"), output.toString());
        // and the trigger with its state in PostgreSQL its leadership: this node leads at an epoch
        assertTrue(printed(output, "CLUSTER").matches("leader · epoch \\d+"), output.toString());
        String node = JdbcTriggerStore.localNode();
        assertEquals(node + " (this node)", printed(output, "LEADER"));
        assertTrue(printed(output, "NODE").matches(Pattern.quote(node) + " · epoch \\d+"), output.toString());
        // and a single-mailbox polling trigger as before: no label, no detail toggle
        assertEquals("Started 0 0", printed(output, "QUIET"));
        // and the app's connection its six mailboxes, the one that is not there in trouble (its why behind a toggle)
        assertEquals("6 1 in trouble why", printed(output, "MAILBOXES"));
        // and, refreshing itself, the throttled mailbox's trigger and the connection's mailbox in trouble
        assertTrue(printed(output, "THROTTLED").startsWith("throttled until "), output.toString());
        assertTrue(printed(output, "TROUBLE").startsWith(ops + " since "), output.toString());
        assertEquals("2 in trouble", printed(output, "IN-TROUBLE"));
        // and the team mailboxes' row counted the mail through its route
        assertTrue(printed(output, "MANY-FIRED").startsWith("1 "), output.toString());
        // and the trigger the other node took over fenced, naming that node as its leader
        assertEquals("fenced: node-b/4242 leads", printed(output, "FENCED"));
        assertEquals("node-b/4242", printed(output, "FENCED-LEADER"));
        assertTrue(printed(output, "FENCED-NODE").startsWith(node + " · epoch 1 · fenced: "), output.toString());
        assertTrue(Files.size(SCREENSHOTS.resolve("outlook365-triggers.png")) > 0);
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

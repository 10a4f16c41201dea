package io.github.outlook365.karaf;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import io.github.outlook365.simulator.Outlook365Simulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Karaf stage: a plain Karaf 4.4.8 (unpacked by the build), configured as docs/karaf.md says, gets the KAR in
 * deploy/, the connection in etc/io.github.outlook365.cfg and routes/mail-received.camel.yaml in deploy-camel/; a mail
 * delivered through the simulator's control API reaches the route; removing the file stops the route. Karaf runs as a
 * child process on free ports and is stopped by its own PID.
 */
class KarafYamlRoutesIT {

    private static final String TENANT = "karaf-tenant";
    private static final String CLIENT_ID = "karaf-client";
    private static final String CLIENT_SECRET = "karaf-client-secret-7d1e";
    private static final String MAILBOX = "ada@contoso.example";
    private static final String TRUST_PASSWORD = "karaf-trust-pw";
    private static final Duration KARAF_START = Duration.ofMinutes(3);

    private static Outlook365Simulator simulator;
    private static Path karaf;
    private static Process process;
    private static HttpClient control;

    @BeforeAll
    static void startKarafBesideTheSimulator() throws Exception {
        // given the simulator with an app and a mailbox, and its certificate in a trust store
        simulator = Outlook365Simulator.start(0);
        simulator.registerApp(TENANT, CLIENT_ID, CLIENT_SECRET);
        simulator.createMailbox(TENANT, MAILBOX, "Ada Lovelace");
        control = HttpClient.newBuilder().sslContext(simulator.clientSslContext()).build();

        // and a fresh copy of the unpacked Karaf
        Path dist = Path.of(System.getProperty("karaf.home"));
        assertTrue(Files.isDirectory(dist), "the build unpacks Karaf into " + dist);
        karaf = Path.of("target", "karaf-run").toAbsolutePath();
        deleteTree(karaf);
        copyTree(dist, karaf);
        Path trustStore = simulator.writeTrustStore(karaf.resolve("etc/simulator-trust.p12"), TRUST_PASSWORD.toCharArray());

        // configured as docs/karaf.md says: the connection in etc/ (and nothing else of Karaf's own configuration)
        Files.writeString(karaf.resolve("etc/io.github.outlook365.cfg"), String.join("\n",
                "camel.component.outlook365.authMode = clientCredentials",
                "camel.component.outlook365.tenantId = " + TENANT,
                "camel.component.outlook365.clientId = " + CLIENT_ID,
                // the secret stays out of the file: Karaf reads it from the environment
                "camel.component.outlook365.clientSecret = ${env:OUTLOOK365_CLIENT_SECRET}",
                "camel.component.outlook365.account = " + MAILBOX,
                "camel.component.outlook365.authorityHost = " + simulator.baseUrl(),
                "camel.component.outlook365.graphEndpoint = " + simulator.baseUrl(),
                "tls.trustStore = " + trustStore.toAbsolutePath(),
                "tls.trustStorePassword = " + TRUST_PASSWORD,
                "outlook365.example.pollDelay = 500",
                // send-demo-mail.camel.yaml sends only when asked
                "outlook365.example.selfMail = true",
                "routes.scanInterval = 500",
                ""));
        // on free ports (never Karaf's fixed ones, another build may hold them)
        edit(karaf.resolve("etc/org.apache.karaf.shell.cfg"), "sshPort = 8101", "sshPort = " + freePort());
        edit(karaf.resolve("etc/org.apache.karaf.management.cfg"), "rmiRegistryPort = 1099",
                "rmiRegistryPort = " + freePort());
        edit(karaf.resolve("etc/org.apache.karaf.management.cfg"), "rmiServerPort = 44444",
                "rmiServerPort = " + freePort());
        // and the feature installed by dropping the KAR into deploy/
        Path kar = Path.of(System.getProperty("karaf.kar"));
        Files.copy(kar, karaf.resolve("deploy").resolve("camel-outlook365-karaf.kar"));

        // when Karaf starts
        ProcessBuilder builder = new ProcessBuilder(karaf.resolve("bin/karaf").toString(), "server")
                .directory(karaf.toFile())
                .redirectErrorStream(true)
                .redirectOutput(karaf.resolve("console.log").toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("KARAF_HOME", karaf.toString());
        builder.environment().remove("KARAF_OPTS");
        builder.environment().put("OUTLOOK365_CLIENT_SECRET", CLIENT_SECRET);
        process = builder.start();

        // then the feature is installed and Camel is up
        awaitLog(KARAF_START, "Starting Camel for the YAML routes in ");
    }

    @AfterAll
    static void stopKaraf() throws Exception {
        try {
            if (process != null) {
                // bin/karaf runs java as its child: ask that to stop by its PID (Karaf shuts down on SIGTERM), then
                // the script; whatever is still alive after a minute is killed
                List<ProcessHandle> children = process.descendants().toList();
                children.forEach(ProcessHandle::destroy);
                process.destroy();
                for (ProcessHandle child : children) {
                    try {
                        child.onExit().get(60, TimeUnit.SECONDS);
                    } catch (TimeoutException e) {
                        child.destroyForcibly();
                    }
                }
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        } finally {
            if (simulator != null) {
                simulator.close();
            }
        }
    }

    @Test
    void aYamlRouteDroppedIntoDeployCamelTriggersOnNewMailAndStopsWhenRemoved() throws Exception {
        Path route = karaf.resolve("deploy-camel/mail-received.camel.yaml");
        Path source = Path.of(System.getProperty("routes.directory"), "mail-received.camel.yaml");

        // when the project's route is dropped into deploy-camel/ (created by hand, as a user would)
        Files.createDirectories(route.getParent());
        replace(route, Files.readString(source));

        // then it starts and polls the mailbox
        awaitLog(Duration.ofSeconds(60), "Started 1 route(s) [log-received-mail] from mail-received.camel.yaml");
        await().atMost(Duration.ofSeconds(60)).until(() -> simulator.countRequests("GET", "/messages/delta") >= 1);

        // when a mail is delivered through the control API
        String id = deliver("Quarterly numbers from Karaf");

        // then the route logs it, with what the trigger put in its headers
        awaitLog(Duration.ofSeconds(60), "Received mail from grace@fabrikam.example: 'Quarterly numbers from Karaf'");
        assertTrue(log().contains("id " + id), "the route saw message " + id);
        // and no secret reached the log
        String log = log();
        assertFalse(log.contains(CLIENT_SECRET), "the client secret is not logged");
        assertFalse(log.contains(TRUST_PASSWORD), "the trust store password is not logged");
        assertTrue(log.contains("camel.component.outlook365.clientSecret=xxxxxx"), "the secret's key is logged masked");

        // when the file changes
        replace(route, Files.readString(source).replace("Received mail from", "Karaf saw mail from"));

        // then its route is reloaded, and the next mail goes through the new steps
        awaitLog(Duration.ofSeconds(60), "Started 1 route(s) [log-received-mail] from mail-received.camel.yaml (changed)");
        deliver("Second quarter");
        awaitLog(Duration.ofSeconds(60), "Karaf saw mail from grace@fabrikam.example: 'Second quarter'");
        assertEquals(1, occurrences(log(), "'Quarterly numbers from Karaf'"), "the reload did not deliver the first mail again");

        // when the file is removed
        Files.delete(route);

        // then the route stops and is removed
        awaitLog(Duration.ofSeconds(60), "Stopped and removed 1 route(s) [log-received-mail] of mail-received.camel.yaml");
        // and Graph hears no more from it: a new mail is not fetched
        long polls = simulator.countRequests("GET", "/messages/delta");
        deliver("Nobody listens now");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> simulator.countRequests("GET", "/messages/delta") == polls);
        assertFalse(log().contains("Nobody listens now"));
    }

    @Test
    void anActionRouteSendsMailFromKaraf() throws Exception {
        Path route = karaf.resolve("deploy-camel/send-demo-mail.camel.yaml");
        Path source = Path.of(System.getProperty("routes.directory"), "send-demo-mail.camel.yaml");
        long sent = simulator.countRequests("POST", "/sendMail");

        // when the project's sending route is dropped into deploy-camel/
        Files.createDirectories(route.getParent());
        replace(route, Files.readString(source));

        // then it sends through Graph from Karaf
        awaitLog(Duration.ofSeconds(60), "Started 1 route(s) [send-demo-mail] from send-demo-mail.camel.yaml");
        awaitLog(Duration.ofSeconds(60), "Sent 'Demo mail #1' to " + MAILBOX);
        assertTrue(simulator.countRequests("POST", "/users/" + MAILBOX + "/sendMail") > sent,
                "the simulator received the sendMail request");
        assertTrue(simulator.messages(MAILBOX, "sentitems").stream()
                .anyMatch(m -> m.path("subject").asText().equals("Demo mail #1")), "the mail is in Sent Items");

        // when it is removed, it stops
        Files.delete(route);
        awaitLog(Duration.ofSeconds(60), "Stopped and removed 1 route(s) [send-demo-mail] of send-demo-mail.camel.yaml");
    }

    /** Writes beside and moves into place, as an editor or a deployment tool would: the deployer never sees half a file. */
    private static void replace(Path file, String content) throws IOException {
        Path part = file.resolveSibling(file.getFileName() + ".part");
        Files.writeString(part, content);
        Files.move(part, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static int occurrences(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private static String deliver(String subject) throws Exception {
        String body = "{\"from\":\"grace@fabrikam.example\",\"to\":[\"" + MAILBOX + "\"],\"subject\":\"" + subject
                + "\",\"body\":\"Sent to the Karaf route\"}";
        HttpResponse<String> response = control.send(HttpRequest.newBuilder(
                        URI.create(simulator.baseUrl() + "/_simulator/mailboxes/" + MAILBOX + "/messages"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return response.body().replaceAll(".*\"id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    private static void awaitLog(Duration atMost, String text) {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> log().contains(text));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("Karaf's log never said: " + text + "\n--- data/log/karaf.log (tail) ---\n"
                    + tail(log()) + "\n--- console ---\n" + tail(read(karaf.resolve("console.log"))), e);
        }
    }

    private static String log() {
        return read(karaf.resolve("data/log/karaf.log"));
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String text) {
        return text.length() <= 12_000 ? text : text.substring(text.length() - 12_000);
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), file + " has '" + from + "'");
        Files.writeString(file, text.replace(from, to));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
    }
}

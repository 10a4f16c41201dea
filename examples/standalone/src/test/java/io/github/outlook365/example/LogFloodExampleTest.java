package io.github.outlook365.example;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.simulator.Outlook365Simulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a stranger who reaches the example's HTTP port can do to its log: 500 of each request the network may send
 * (the sign-in page without the setup token, a callback with a made-up state, a callback with an error, the return
 * from the admin consent page, a forged change notification) to the project's routes (routes/connection-setup and
 * routes/graph-notifications over camel-platform-http) leave a handful of lines, each kind logged in full once a
 * minute and its count told afterwards (here when the application stops), with nothing of the requests' text unescaped.
 */
class LogFloodExampleTest {

    private static final int EACH = 500;

    private final StandaloneExample example = new StandaloneExample();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private CapturedLogs log;

    @AfterEach
    void tearDown() {
        example.main().stop();
        example.close();
        if (log != null) {
            log.close();
        }
    }

    @Test
    void aFloodOfForgedRequestsLeavesAFewLinesThatCountIt() throws Exception {
        // given the delegated example with its sign-in routes and push on, subscribed
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String base = "http://localhost:" + port;
        example.httpPort(port);
        example.configure(null, "authorizationCode");
        example.main().addOverrideProperty("outlook365.example.selfMail", "false");
        example.main().addOverrideProperty("outlook365.example.pollDelay", "600000");
        example.main().addOverrideProperty("outlook365.notifications.enabled", "true");
        example.main().addOverrideProperty("outlook365.notifications.mode", "webhook");
        example.main().addOverrideProperty("camel.component.outlook365.notificationUrl", base + "/outlook365/notifications");
        example.main().start();
        Outlook365Simulator sim = example.simulator();
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.subscriptions().size() == 1);
        String subscription = sim.subscriptions().get(0).path("id").asText();

        // when a stranger sends 500 of each
        log = CapturedLogs.capture();
        String forgedLine = URLEncoder.encode("x\r\nERROR forged line", StandardCharsets.UTF_8);
        List<Flood> floods = List.of(
                new Flood("sign-in page without the setup token", 403,
                        () -> get(base + "/provisioning_/signin?setupToken=guess")),
                new Flood("callback with a made-up state", 400,
                        () -> form(base + "/provisioning_/callback", "code=abc&state=" + forgedLine)),
                new Flood("callback with an error", 400,
                        () -> get(base + "/provisioning_/callback?error=access_denied" + forgedLine
                                  + "&error_description=" + forgedLine)),
                new Flood("return from the admin consent page", 200,
                        () -> get(base + "/provisioning_/callback?admin_consent=True&tenant=" + forgedLine)),
                new Flood("forged change notification", 202,
                        () -> json(base + "/outlook365/notifications", "{\"value\":[{\"subscriptionId\":\"" + subscription
                                                                        + "\",\"clientState\":\"guess\\r\\nERROR forged"
                                                                        + " line\",\"changeType\":\"created\"}]}")));
        long started = System.nanoTime();
        for (Flood flood : floods) {
            for (int i = 0; i < EACH; i++) {
                HttpResponse<String> answer = send(flood.request().get());
                assertEquals(flood.status(), answer.statusCode(), flood.name() + ": " + answer.body());
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        List<String> duringFlood = List.copyOf(log.lines());
        // and the application stops (which tells the counts not told yet)
        example.main().stop();
        List<String> lines = List.copyOf(log.lines());
        System.out.printf("log flood: %d requests in %d ms left %d log lines (%d during the flood)%n",
                EACH * floods.size(), millis, lines.size(), duringFlood.size());

        // then each kind of refusal is in the log in full at most once a minute, and the rest are counted
        int minutes = (int) (millis / 60_000) + 1;
        assertKind(lines, "io.github.outlook365.camel.auth.DelegatedTokenProvider Refused a sign-in request to",
                "(403): this sign-in page needs the setup token", "sign-in pages refused", minutes);
        assertKind(lines, "io.github.outlook365.camel.auth.DelegatedTokenProvider Refused a sign-in request to",
                "(400): the sign-in callback's state is not one this connection is waiting for",
                "sign-in callbacks refused", minutes);
        assertKind(lines, "io.github.outlook365.camel.auth.DelegatedTokenProvider Refused a sign-in request to",
                "(400): the sign-in did not complete: Entra ID answered access_denied", "sign-in callbacks with an error",
                minutes);
        assertKind(lines, "io.github.outlook365.camel.trigger.PushNotifications outlook365: dropped 1 change notification",
                "whose clientState does not match", "requests with forged change notifications", minutes);
        // the admin consent page's return changes nothing and is not logged above DEBUG
        assertEquals(List.of(), log.linesContaining("admin consent page returned"));

        // and nothing the stranger wrote makes a line of its own
        for (String line : lines) {
            assertFalse(line.contains("\r") || line.contains("\n") && !line.contains("\n\tat "), line);
        }
        assertEquals(List.of(), lines.stream().filter(l -> l.startsWith("ERROR forged")).toList());
        assertTrue(duringFlood.size() <= 4 * 2 * minutes, String.join("\n", duringFlood));
    }

    /** The lines of one kind: one in full per minute at most; its counts plus its full lines are all 500. */
    private static void assertKind(List<String> lines, String start, String contains, String counted, int minutes) {
        List<String> full = lines.stream().filter(l -> l.startsWith(start) && l.contains(contains)).toList();
        Pattern countLine = Pattern.compile("\\.\\.\\. and ([0-9,]+) more " + Pattern.quote(counted));
        long suppressed = 0;
        List<String> counts = new ArrayList<>();
        for (String line : lines) {
            Matcher m = countLine.matcher(line);
            if (m.find()) {
                counts.add(line);
                suppressed += Long.parseLong(m.group(1).replace(",", ""));
            }
        }
        assertTrue(full.size() >= 1 && full.size() <= minutes, counted + ": " + full);
        assertTrue(counts.size() <= full.size(), counted + ": " + counts);
        assertEquals(EACH, full.size() + suppressed, counted + ": " + full + " " + counts);
    }

    private record Flood(String name, int status, Supplier<HttpRequest> request) {
    }

    private static HttpRequest get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build();
    }

    private static HttpRequest form(String url, String form) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
    }

    private static HttpRequest json(String url, String json) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}

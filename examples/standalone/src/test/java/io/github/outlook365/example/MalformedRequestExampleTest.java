package io.github.outlook365.example;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the example's log shows when someone who reaches its HTTP port sends bodies the server cannot read (here 50 forms
 * with more fields than Vert.x accepts, to the sign-in callback that browsers reach): one line, no stack trace, read
 * from the log the example really prints (its log4j2.properties, in a JVM of its own).
 */
class MalformedRequestExampleTest {

    @Test
    void aFormTheServerCannotReadIsOneLineInTheLogNotAStackTrace() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // the delegated example on the embedded simulator: the sign-in routes run
        try (ExampleProcess example = ExampleProcess.start(Map.of("OUTLOOK365_AUTH_MODE", "authorizationCode"),
                List.of("-Doutlook365.example.httpPort=" + port))) {
            example.awaitLine("(outlook365-example) started in", Duration.ofSeconds(120));

            String form = IntStream.range(0, 2000).mapToObj(i -> "f" + i + "=1").collect(Collectors.joining("&"));
            HttpClient http = HttpClient.newHttpClient();
            long started = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/provisioning_/callback"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)).timeout(Duration.ofSeconds(60)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(400, answer.statusCode(), answer.body());
            }
            long minutes = (System.nanoTime() - started) / 60_000_000_000L + 1;

            String line = example.awaitLine("Unhandled exception in router", Duration.ofSeconds(60));
            assertTrue(line.endsWith("Unhandled exception in router: io.netty.handler.codec.http.multipart"
                                     + ".HttpPostRequestDecoder$TooManyFormFieldsException"), line);
            // what follows is the example's own log again, not 50 lines of Netty frames (a moment for them to arrive)
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> true);
            List<String> frames = example.lines().stream().filter(l -> l.startsWith("\tat ")).toList();
            assertEquals(List.of(), frames, "no stack trace in the log");
            // and 50 of them are not 50 lines: about one a minute (log4j2.properties, BurstFilter)
            List<String> told = example.lines().stream().filter(l -> l.contains("Unhandled exception in router")).toList();
            assertTrue(told.size() <= minutes, String.join("\n", told));
        }
    }
}

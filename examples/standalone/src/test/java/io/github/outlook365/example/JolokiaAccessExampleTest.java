package io.github.outlook365.example;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import io.github.outlook365.simulator.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example's Jolokia (at /hawtio/jolokia, no sign-in) as a web page on another site sees it through the browser of
 * the person running the example: it must not answer another origin, nor a request that hides where it comes from,
 * and even the console's own origin cannot send to an endpoint through the context (a mail as the mailbox) or run the
 * JVM's diagnostic commands. What the console needs (its origin, reads, the connection's MBean) still works. Nor may
 * another site frame the console's pages (whose buttons act through that Jolokia).
 */
class JolokiaAccessExampleTest {

    private static final String CONTEXT_MBEAN =
            "org.apache.camel:context=outlook365-example,type=context,name=\"outlook365-example\"";

    private final StandaloneExample example = new StandaloneExample();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
    private CapturedLogs log;
    private int port;
    private String jolokia;

    @BeforeEach
    void start() throws Exception {
        log = CapturedLogs.capture();
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        example.httpPort(port);
        example.configure(null);
        // the demo's own mail would only make the mailbox busier: what counts here is mail to the intruder
        example.main().addOverrideProperty("outlook365.example.selfMail", "false");
        example.main().start();
        jolokia = "http://localhost:" + port + "/hawtio/jolokia";
    }

    @AfterEach
    void stop() {
        example.main().stop();
        example.close();
        log.close();
    }

    @Test
    void anotherSiteGetsNothingAndTheConsolesOwnOriginCannotSendMailOrRunDiagnostics() throws Exception {
        String origin = "http://localhost:" + port;

        // the console's own origin reads the connection's MBean
        HttpResponse<String> own = post(origin, "{\"type\":\"search\",\"mbean\":\"*:type=outlook365,*\"}");
        assertEquals(200, own.statusCode(), own.body());
        assertTrue(own.body().contains("type=outlook365"), own.body());

        // a page on another site: its fetch (Origin), its link or image (Referer), a page that hides both
        // (referrerpolicy=no-referrer: a GET with neither), and a sandboxed page (Origin: null) get no answer
        String intrusion = jolokia + "/exec/" + CONTEXT_MBEAN.replace("\"", "%22")
                           + "/sendStringBody(java.lang.String,java.lang.String)/"
                           + "outlook365:mail!/send%3Fto=mallory@evil.example%26subject=intruder/hello";
        List<HttpResponse<String>> refused = List.of(
                post("http://evil.example", "{\"type\":\"version\"}"),
                post("null", "{\"type\":\"version\"}"),
                send(HttpRequest.newBuilder(URI.create(jolokia + "/version")).header("Referer", "http://evil.example/")),
                send(HttpRequest.newBuilder(URI.create(intrusion))),
                send(HttpRequest.newBuilder(URI.create(intrusion)).header("Referer", "http://localhost.evil.example/")));
        for (HttpResponse<String> answer : refused) {
            assertFalse(answer.body().contains("\"status\":200"), answer.request().uri() + " answered " + answer.body());
            assertFalse(answer.body().contains("\"agent\""), answer.body());
        }
        // each is refused by the policy as a whole (its Origin or Referer; none at all with strict-checking): Forbidden,
        // not an Internal Server Error (ForbiddingJolokiaPlugin)
        for (HttpResponse<String> answer : refused) {
            assertEquals(403, answer.statusCode(), answer.request().uri() + " answered " + answer.body());
            assertTrue(answer.body().contains("\"status\":403"), answer.body());
            assertTrue(answer.body().contains("is not allowed to call this agent"), answer.body());
        }

        // the console's own origin cannot send through the context, nor run diagnostic commands, nor stop the context
        HttpResponse<String> sendMail = post(origin, "{\"type\":\"exec\",\"mbean\":\"" + CONTEXT_MBEAN.replace("\"", "\\\"")
                                                      + "\",\"operation\":\"sendStringBody(java.lang.String,java.lang.String)\","
                                                      + "\"arguments\":[\"outlook365:mail/send?to=mallory@evil.example\",\"hi\"]}");
        assertTrue(sendMail.body().contains("\"status\":403"), sendMail.body());
        HttpResponse<String> diagnostics = post(origin, "{\"type\":\"exec\",\"mbean\":\"com.sun.management:type=DiagnosticCommand\","
                                                        + "\"operation\":\"vmSystemProperties()\"}");
        assertTrue(diagnostics.body().contains("\"status\":403"), diagnostics.body());
        HttpResponse<String> stop = post(origin, "{\"type\":\"exec\",\"mbean\":\"" + CONTEXT_MBEAN.replace("\"", "\\\"")
                                                 + "\",\"operation\":\"stop()\"}");
        assertTrue(stop.body().contains("\"status\":403"), stop.body());
        assertTrue(example.main().getCamelContext().isStarted());

        // and no mail went out to the intruder
        assertEquals(0, example.simulator().requests().stream()
                .filter(r -> r.body() != null && r.body().contains("mallory@evil.example")).count());
        // Jolokia found its policy: no "access to all MBeans is allowed" warning on a healthy start
        assertEquals(List.of(), log.linesContaining("No access restrictor found"));
    }

    @Test
    void noOtherSiteMayFrameTheConsole() throws Exception {
        // the console's pages (or, built without it, the answer in their place) and its user endpoint
        for (String path : List.of("/hawtio/", "/hawtio/outlook365", "/hawtio/user")) {
            HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)));
            assertEquals(List.of("SAMEORIGIN"), page.headers().allValues("X-Frame-Options"), path);
            assertEquals(List.of("frame-ancestors 'self'"), page.headers().allValues("Content-Security-Policy"), path);
            assertEquals(List.of("nosniff"), page.headers().allValues("X-Content-Type-Options"), path);
        }
    }

    private HttpResponse<String> post(String origin, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(jolokia)).header("Origin", origin)
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

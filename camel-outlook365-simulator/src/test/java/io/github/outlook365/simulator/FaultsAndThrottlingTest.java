package io.github.outlook365.simulator;

import static io.github.outlook365.simulator.GraphAccessTest.assertGraphError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Injected faults, latency and Exchange's mailbox concurrency limit. */
class FaultsAndThrottlingTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final String TENANT = "tenant-faults";
    static final String ALICE = "alice@contoso.com";
    static final String BOB = "bob@contoso.com";

    private Outlook365Simulator sim;
    private TestClient client;
    private String token;

    @BeforeEach
    void given(Outlook365Simulator simulator) {
        sim = simulator;
        client = new TestClient(simulator);
        sim.registerApp(TENANT, "app", "secret");
        sim.createMailbox(TENANT, ALICE, "Alice Adams");
        sim.createMailbox(TENANT, BOB, "Bob Brown");
        token = client.accessToken(TENANT, "app", "secret");
        sim.clearRequests();
    }

    @Test
    void throttleFaultAnswers429WithRetryAfterForTheNextMatchingRequestsOnly() {
        // given
        sim.injectFault(SimFault.throttle("/messages/delta$", 2, Duration.ofSeconds(3)));
        String delta = "/v1.0/users/" + ALICE + "/mailFolders/inbox/messages/delta";

        // when
        TestClient.Response other = client.get("/v1.0/users/" + ALICE + "/mailFolders/inbox", token);
        TestClient.Response first = client.get(delta, token);
        TestClient.Response second = client.get(delta, token);
        TestClient.Response third = client.get(delta, token);

        // then
        assertEquals(200, other.status());
        assertGraphError(first, 429, "ApplicationThrottled");
        assertEquals("3", first.header("Retry-After"));
        assertGraphError(second, 429, "ApplicationThrottled");
        assertEquals(200, third.status(), third.body());
        assertEquals(2, sim.requests().stream().filter(r -> r.status() == 429).count(), "faulted requests are recorded");
        assertEquals(3, sim.countRequests("GET", "/messages/delta$"));
    }

    @Test
    void statusFaultHonoursTheMethodAndHasNoRetryAfter() {
        // given
        sim.injectFault(new SimFault("POST", "/sendMail$", 503, "ServiceUnavailable", 1, null));
        String body = "{\"message\":{\"subject\":\"x\",\"toRecipients\":[{\"emailAddress\":{\"address\":"
                + "\"x@example.com\"}}]}}";

        // when
        TestClient.Response get = client.get("/v1.0/users/" + ALICE + "/sendMail", token);
        TestClient.Response faulted = client.send("POST", "/v1.0/users/" + ALICE + "/sendMail", token, body);
        TestClient.Response retried = client.send("POST", "/v1.0/users/" + ALICE + "/sendMail", token, body);

        // then
        assertEquals(405, get.status(), get.body());
        assertGraphError(faulted, 503, "ServiceUnavailable");
        assertNull(faulted.header("Retry-After"));
        assertEquals(202, retried.status(), retried.body());
    }

    @Test
    void aFaultAfterTheRequestWasCarriedOutDoesTheWorkThenAnswersTheError() {
        // given a gateway that gives up on sendMail after Exchange took the mail
        sim.injectFault(SimFault.afterCarriedOut("POST", "/sendMail$", 503, 1));
        String body = "{\"message\":{\"subject\":\"sent once\",\"toRecipients\":[{\"emailAddress\":{\"address\":"
                + "\"" + BOB + "\"}}]}}";

        // when
        TestClient.Response faulted = client.send("POST", "/v1.0/users/" + ALICE + "/sendMail", token, body);

        // then the client sees Graph's 503, and yet the mail was delivered
        assertGraphError(faulted, 503, "ServiceNotAvailable");
        assertTrue(faulted.header("request-id") != null, "a Graph error carries its request-id");
        assertEquals(1, sim.messages(BOB, "inbox").size());
        assertEquals(503, sim.requests().get(0).status(), "recorded with the status the client saw");
    }

    @Test
    void aStalledBodySendsTheHeadersAndTheStartOfTheBodyThenNothing() throws Exception {
        // given
        sim.injectFault(SimFault.stalledBody("GET", "/mailFolders$", 1, Duration.ofSeconds(30)));
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1.0/users/" + ALICE + "/mailFolders"))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(2)).GET().build();

        // when the answer's headers arrive (within the request timeout, which stops there)
        HttpResponse<InputStream> response = client.http.send(request, HttpResponse.BodyHandlers.ofInputStream());

        // then the status and the first bytes are there, and the rest does not come
        assertEquals(200, response.statusCode());
        assertEquals("4096", response.headers().firstValue("Content-Length").orElse(null));
        InputStream body = response.body();
        byte[] start = new byte[10];
        int read = 0;
        while (read < start.length) {
            read += body.read(start, read, start.length - read);
        }
        assertEquals("{\"value\":[", new String(start, StandardCharsets.UTF_8));
        CompletableFuture<Integer> more = CompletableFuture.supplyAsync(() -> {
            try {
                return body.read();
            } catch (java.io.IOException e) {
                return -2;
            }
        });
        assertThrows(TimeoutException.class, () -> more.get(500, TimeUnit.MILLISECONDS));

        // and when the simulator lets the stall go, the connection ends short of the announced length
        sim.reset();
        assertTrue(more.get(10, TimeUnit.SECONDS) < 0, "no byte after the stall");
    }

    @Test
    void faultsApplyToTheTokenEndpointToo() {
        // given
        sim.injectFault(SimFault.status("/oauth2/v2.0/token$", 500, "temporarily_unavailable", 1));

        // when
        TestClient.Response faulted = client.tokenRequest(TENANT, "app", "secret", TestClient.GRAPH_SCOPE);
        TestClient.Response ok = client.tokenRequest(TENANT, "app", "secret", TestClient.GRAPH_SCOPE);

        // then
        assertEquals(500, faulted.status());
        assertEquals("temporarily_unavailable", faulted.json().path("error").asText());
        assertEquals(200, ok.status());
        assertEquals(2, sim.tokenRequests());
    }

    @Test
    void aFifthConcurrentRequestToAMailboxIsThrottled() throws Exception {
        // given
        sim.setLatency("/mailFolders/inbox$", Duration.ofMillis(700));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<TestClient.Response>> futures = new ArrayList<>();

        // when
        try {
            for (int i = 0; i < 6; i++) {
                futures.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return client.get("/v1.0/users/" + ALICE + "/mailFolders/inbox", token);
                }, pool));
            }
            start.countDown();
            CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).get(20, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        // then
        List<TestClient.Response> throttled = new ArrayList<>();
        int ok = 0;
        for (CompletableFuture<TestClient.Response> future : futures) {
            TestClient.Response response = future.get();
            if (response.status() == 429) {
                throttled.add(response);
            } else if (response.status() == 200) {
                ok++;
            }
        }
        assertTrue(throttled.size() >= 1, "at least one request must be throttled");
        assertTrue(ok >= 1 && ok <= 4, "at most 4 run at once: " + ok);
        assertGraphError(throttled.get(0), 429, "ApplicationThrottled");
        assertEquals("Application is over its MailboxConcurrency limit.",
                throttled.get(0).json().path("error").path("message").asText());
        assertEquals("1", throttled.get(0).header("Retry-After"));
        assertTrue(sim.maxConcurrentRequests(ALICE) >= 5, "max seen: " + sim.maxConcurrentRequests(ALICE));
        assertEquals(0, sim.maxConcurrentRequests("nobody@contoso.com"));
    }

    @Test
    void latencyDelaysMatchingRequests() {
        // given
        sim.setLatency("/mailFolders$", Duration.ofMillis(300));

        // when
        long started = System.nanoTime();
        TestClient.Response slow = client.get("/v1.0/users/" + ALICE + "/mailFolders", token);
        long slowMillis = (System.nanoTime() - started) / 1_000_000;
        sim.setLatency("/mailFolders$", Duration.ZERO);

        // then
        assertEquals(200, slow.status());
        assertTrue(slowMillis >= 300, "took " + slowMillis + " ms");
    }
}

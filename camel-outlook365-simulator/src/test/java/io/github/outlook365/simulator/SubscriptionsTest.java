package io.github.outlook365.simulator;

import static io.github.outlook365.simulator.GraphAccessTest.assertGraphError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Graph subscriptions: the validation handshake, notifications on changes, renewal, expiry and lifecycle events. */
class SubscriptionsTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final String TENANT = "tenant-subscriptions";
    static final String ALICE = "alice@contoso.com";

    private Outlook365Simulator sim;
    private TestClient client;
    private String token;
    private Receiver receiver;

    /** A notification endpoint on this machine: answers the validation handshake, records what it gets. */
    static final class Receiver implements AutoCloseable {
        final HttpServer server;
        final BlockingQueue<String> validations = new LinkedBlockingQueue<>();
        final BlockingQueue<JsonNode> notifications = new LinkedBlockingQueue<>();
        volatile int validationStatus = 200;
        volatile boolean echoWrongToken;

        Receiver() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.createContext("/", this::handle);
            server.start();
        }

        String url(String path) {
            return "http://localhost:" + server.getAddress().getPort() + path;
        }

        private void handle(HttpExchange exchange) throws IOException {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String query = exchange.getRequestURI().getRawQuery();
            if (query != null && query.startsWith("validationToken=")) {
                String validationToken = URLDecoder.decode(query.substring("validationToken=".length()),
                        StandardCharsets.UTF_8);
                validations.add(exchange.getRequestMethod() + " " + exchange.getRequestHeaders().getFirst("Content-Type"));
                byte[] answer = (echoWrongToken ? "something else" : validationToken).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(validationStatus, answer.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
                return;
            }
            notifications.add(TestClient.MAPPER.readTree(body));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        }

        JsonNode next() throws InterruptedException {
            JsonNode n = notifications.poll(60, TimeUnit.SECONDS);
            assertNotNull(n, "no notification within 60 s");
            return n.path("value").get(0);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    @BeforeEach
    void given(Outlook365Simulator simulator) throws IOException {
        sim = simulator;
        client = new TestClient(simulator);
        sim.registerApp(TENANT, "app", "secret", Set.of("Mail.Read", "Calendars.ReadWrite"));
        sim.registerApp(TENANT, "sender-only", "secret", Set.of("Mail.Send"));
        sim.createMailbox(TENANT, ALICE, "Alice Adams");
        token = client.accessToken(TENANT, "app", "secret");
        receiver = new Receiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private String subscriptionBody(String resource, String changeType, Instant expires) {
        return "{\"changeType\":\"" + changeType + "\",\"notificationUrl\":\"" + receiver.url("/notifications")
                + "\",\"lifecycleNotificationUrl\":\"" + receiver.url("/lifecycle") + "\",\"resource\":\"" + resource
                + "\",\"expirationDateTime\":\"" + expires + "\",\"clientState\":\"secret-client-state\"}";
    }

    private JsonNode subscribeToInbox() {
        TestClient.Response created = client.send("POST", "/v1.0/subscriptions", token,
                subscriptionBody("users/" + ALICE + "/mailFolders('inbox')/messages", "created",
                        Instant.now().plus(3, ChronoUnit.DAYS)));
        assertEquals(201, created.status(), created.body());
        return created.json();
    }

    @Test
    void creationValidatesTheEndpointAndAnswersTheSubscription() throws Exception {
        // when
        JsonNode s = subscribeToInbox();

        // then: Graph's validation request reached both URLs, as a POST with text/plain
        assertEquals("POST text/plain; charset=utf-8", receiver.validations.poll(10, TimeUnit.SECONDS));
        assertEquals("POST text/plain; charset=utf-8", receiver.validations.poll(10, TimeUnit.SECONDS));
        assertNotNull(s.path("id").asText(null));
        assertEquals("created", s.path("changeType").asText());
        assertEquals("users/" + ALICE + "/mailFolders('inbox')/messages", s.path("resource").asText());
        assertEquals("app", s.path("applicationId").asText());
        assertEquals(receiver.url("/lifecycle"), s.path("lifecycleNotificationUrl").asText());
        assertEquals(1, sim.subscriptions().size());
        TestClient.Response got = client.get("/v1.0/subscriptions/" + s.path("id").asText(), token);
        assertEquals(200, got.status());
        assertEquals(s.path("expirationDateTime").asText(), got.json().path("expirationDateTime").asText());
    }

    @Test
    void aFailedValidationRefusesTheSubscription() {
        // given: an endpoint that does not echo the token
        receiver.echoWrongToken = true;

        // when
        TestClient.Response created = client.send("POST", "/v1.0/subscriptions", token,
                subscriptionBody("users/" + ALICE + "/messages", "created", Instant.now().plus(1, ChronoUnit.DAYS)));

        // then
        assertGraphError(created, 400, "ValidationError");
        assertTrue(created.body().contains("validationToken"), created.body());
        assertTrue(sim.subscriptions().isEmpty());
    }

    @Test
    void anUnreachableEndpointRefusesTheSubscription() {
        // given: nobody listens there
        String url = receiver.url("/notifications");
        receiver.close();

        // when
        TestClient.Response created = client.send("POST", "/v1.0/subscriptions", token,
                "{\"changeType\":\"created\",\"notificationUrl\":\"" + url + "\",\"resource\":\"users/" + ALICE
                        + "/messages\",\"expirationDateTime\":\"" + Instant.now().plus(1, ChronoUnit.DAYS) + "\"}");

        // then
        assertGraphError(created, 400, "ValidationError");
    }

    @Test
    void badSubscriptionsAreRefused() {
        Instant tooLate = Instant.now().plus(10_081 + 5, ChronoUnit.MINUTES);
        assertGraphError(client.send("POST", "/v1.0/subscriptions", token,
                subscriptionBody("users/" + ALICE + "/messages", "created", tooLate)), 400, "ValidationError");
        assertGraphError(client.send("POST", "/v1.0/subscriptions", token,
                subscriptionBody("users/" + ALICE + "/messages", "moved", Instant.now().plusSeconds(600))), 400,
                "ValidationError");
        assertGraphError(client.send("POST", "/v1.0/subscriptions", token,
                "{\"changeType\":\"created\",\"notificationUrl\":\"http://example.com/x\",\"resource\":\"users/" + ALICE
                        + "/messages\",\"expirationDateTime\":\"" + Instant.now().plusSeconds(600) + "\"}"), 400,
                "ValidationError");
        String senderOnly = client.accessToken(TENANT, "sender-only", "secret");
        assertGraphError(client.send("POST", "/v1.0/subscriptions", senderOnly,
                subscriptionBody("users/" + ALICE + "/messages", "created", Instant.now().plusSeconds(600))), 403,
                "ErrorAccessDenied");
        assertTrue(sim.subscriptions().isEmpty());
    }

    @Test
    void aDeliveredMessageIsNotifiedWithItsClientState() throws Exception {
        // given
        JsonNode s = subscribeToInbox();

        // when: one message in another folder, one in the inbox
        sim.deliver(ALICE, "junkemail", SimMail.from("spam@example.com", "Spam").subject("Buy"));
        String id = sim.deliver(ALICE, SimMail.from("bob@example.com", "Bob").subject("Hello"));

        // then: one notification, for the inbox message
        JsonNode n = receiver.next();
        assertEquals(s.path("id").asText(), n.path("subscriptionId").asText());
        assertEquals("secret-client-state", n.path("clientState").asText());
        assertEquals("created", n.path("changeType").asText());
        assertEquals(TENANT, n.path("tenantId").asText());
        assertEquals(id, n.path("resourceData").path("id").asText());
        assertEquals("#Microsoft.Graph.Message", n.path("resourceData").path("@odata.type").asText());
        assertTrue(n.path("resource").asText().endsWith("/Messages/" + id), n.toString());
        assertNull(receiver.notifications.poll(500, TimeUnit.MILLISECONDS));
    }

    @Test
    void droppedNotificationsAreNotSent() throws Exception {
        // given
        subscribeToInbox();
        sim.dropNotifications(1);

        // when
        sim.deliver(ALICE, SimMail.from("bob@example.com", "Bob").subject("Lost"));
        String second = sim.deliver(ALICE, SimMail.from("bob@example.com", "Bob").subject("Told"));

        // then
        assertEquals(second, receiver.next().path("resourceData").path("id").asText());
    }

    @Test
    void aRenewedSubscriptionLivesLongerAndADeletedOneIsGone() throws Exception {
        // given
        JsonNode s = subscribeToInbox();
        String id = s.path("id").asText();
        Instant later = Instant.now().plus(5, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

        // when: renewed
        TestClient.Response renewed = client.send("PATCH", "/v1.0/subscriptions/" + id, token,
                "{\"expirationDateTime\":\"" + later + "\"}");

        // then
        assertEquals(200, renewed.status(), renewed.body());
        assertEquals(later, Instant.parse(renewed.json().path("expirationDateTime").asText()));

        // when: deleted
        assertEquals(204, client.send("DELETE", "/v1.0/subscriptions/" + id, token, null).status());

        // then
        assertGraphError(client.get("/v1.0/subscriptions/" + id, token), 404, "ResourceNotFound");
        sim.deliver(ALICE, SimMail.from("bob@example.com", "Bob").subject("Nobody listens"));
        assertNull(receiver.notifications.poll(500, TimeUnit.MILLISECONDS));
    }

    @Test
    void anExpiredSubscriptionNotifiesNothingAndIsForgotten() throws Exception {
        // given
        String id = subscribeToInbox().path("id").asText();

        // when
        sim.expireSubscription(id);
        sim.deliver(ALICE, SimMail.from("bob@example.com", "Bob").subject("Too late"));

        // then
        assertNull(receiver.notifications.poll(500, TimeUnit.MILLISECONDS));
        assertGraphError(client.get("/v1.0/subscriptions/" + id, token), 404, "ResourceNotFound");
    }

    @Test
    void lifecycleEventsReachTheLifecycleUrl() throws Exception {
        // given
        String id = subscribeToInbox().path("id").asText();

        // when: missed
        sim.fireLifecycleEvent(id, "missed");

        // then
        JsonNode missed = receiver.next();
        assertEquals("missed", missed.path("lifecycleEvent").asText());
        assertEquals(id, missed.path("subscriptionId").asText());
        assertEquals("secret-client-state", missed.path("clientState").asText());

        // when: reauthorizationRequired holds notifications back until the app reauthorizes
        sim.fireLifecycleEvent(id, "reauthorizationRequired");
        assertEquals("reauthorizationRequired", receiver.next().path("lifecycleEvent").asText());
        sim.deliver(ALICE, SimMail.from("bob@example.com", "Bob").subject("Held back"));
        assertNull(receiver.notifications.poll(500, TimeUnit.MILLISECONDS));
        assertEquals(200, client.send("POST", "/v1.0/subscriptions/" + id + "/reauthorize", token, null).status());
        String told = sim.deliver(ALICE, SimMail.from("bob@example.com", "Bob").subject("Told again"));
        assertEquals(told, receiver.next().path("resourceData").path("id").asText());

        // when: subscriptionRemoved
        sim.fireLifecycleEvent(id, "subscriptionRemoved");

        // then
        assertEquals("subscriptionRemoved", receiver.next().path("lifecycleEvent").asText());
        assertGraphError(client.get("/v1.0/subscriptions/" + id, token), 404, "ResourceNotFound");
    }

    @Test
    void eventChangesAreNotified() throws Exception {
        // given
        TestClient.Response created = client.send("POST", "/v1.0/subscriptions", token,
                subscriptionBody("users/" + ALICE + "/events", "created,updated,deleted",
                        Instant.now().plus(1, ChronoUnit.DAYS)));
        assertEquals(201, created.status(), created.body());

        // when
        String id = sim.calendars().createEvent(ALICE, "{\"subject\":\"Plan\",\"start\":{\"dateTime\":"
                + "\"2030-03-10T09:00:00\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\"2030-03-10T10:00:00\","
                + "\"timeZone\":\"UTC\"}}");
        JsonNode n = receiver.next();
        sim.calendars().deleteEvent(ALICE, id);

        // then
        assertEquals("created", n.path("changeType").asText());
        assertEquals(id, n.path("resourceData").path("id").asText());
        assertEquals("#Microsoft.Graph.Event", n.path("resourceData").path("@odata.type").asText());
        assertEquals("deleted", receiver.next().path("changeType").asText());
    }

    @Test
    void theControlApiDropsNotificationsAndFiresLifecycleEvents() throws Exception {
        // given
        String id = subscribeToInbox().path("id").asText();

        // when
        assertEquals(204, client.send("POST", "/_simulator/notifications/drop", null, "{\"count\":1}").status());
        assertEquals(204, client.send("POST", "/_simulator/subscriptions/" + id + "/lifecycle", null,
                "{\"lifecycleEvent\":\"missed\"}").status());

        // then
        assertEquals("missed", receiver.next().path("lifecycleEvent").asText());
        TestClient.Response list = client.get("/_simulator/subscriptions", null);
        assertEquals(id, list.json().path("value").get(0).path("id").asText());
        sim.deliver(ALICE, SimMail.from("bob@example.com", "Bob").subject("Lost"));
        assertNull(receiver.notifications.poll(500, TimeUnit.MILLISECONDS));
    }
}

package io.github.outlook365.camel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.camel.trigger.TriggerConsumer;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.SimFault;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Triggers with notification=webhook against the simulator's subscriptions: a notification wakes the trigger, the round
 * decides what fires, forged notifications wake nothing, a lost one is made good by the safety poll, and the lifecycle
 * events are handled. The receiver is a small HTTP server that hands each request to
 * outlook365:connection/receiveNotification as platform-http would (query parameters as headers).
 */
class PushTriggerTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    /** Polls so rare that only a notification can make the trigger fire within a test. */
    static final String NO_POLLS = "&delay=600000&notificationPollDelay=600000";

    @TempDir
    Path work;

    private SimulatedTenant tenant;
    private Outlook365Simulator sim;
    private final List<Exchange> received = new CopyOnWriteArrayList<>();
    private CamelContext context;
    private HttpServer receiver;
    private String receiverUrl;

    @BeforeEach
    void setUp() throws Exception {
        sim = SIMULATOR.simulator();
        tenant = new SimulatedTenant(sim, work);
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        receiver.createContext("/outlook365/notifications", this::receive);
        receiver.start();
        receiverUrl = "http://localhost:" + receiver.getAddress().getPort() + "/outlook365/notifications";
    }

    @AfterEach
    void tearDown() throws Exception {
        if (context != null) {
            context.stop();
        }
        receiver.stop(0);
    }

    /** What platform-http does with a request: query parameters become headers, the answer comes from the exchange. */
    private void receive(HttpExchange http) throws IOException {
        byte[] answer;
        int status;
        try (InputStream in = http.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String query = http.getRequestURI().getRawQuery();
            ProducerTemplate template = context.createProducerTemplate();
            Exchange result = template.request("direct:notifications", e -> {
                e.getMessage().setBody(body);
                if (query != null && query.startsWith("validationToken=")) {
                    e.getMessage().setHeader("validationToken",
                            URLDecoder.decode(query.substring("validationToken=".length()), StandardCharsets.UTF_8));
                }
            });
            status = result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 500, Integer.class);
            String text = result.getMessage().getBody(String.class);
            answer = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
            String contentType = result.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
            if (contentType != null) {
                http.getResponseHeaders().set("Content-Type", contentType);
            }
        }
        http.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(answer);
        }
    }

    private void start(String options, Consumer<Outlook365Configuration> component) throws Exception {
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:notifications").to("outlook365:connection/receiveNotification");
                from("outlook365:mail/received?initialDelay=0&notification=webhook" + options).routeId("inbox")
                        .process(e -> received.add(e.copy()));
            }
        }, component);
        context.start();
    }

    private void startWithReceiver(String options) throws Exception {
        start(options, c -> c.setNotificationUrl(receiverUrl));
    }

    /** Waits until the simulator holds one subscription and the trigger knows it (Graph's answer reached it). */
    private ObjectNode awaitSubscription() {
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.subscriptions().size() == 1
                                                            && status().startsWith("push: subscription "
                                                                                   + sim.subscriptions().get(0)
                                                                                           .path("id").asText()));
        return sim.subscriptions().get(0);
    }

    private String status() {
        return ((TriggerConsumer) context.getRoute("inbox").getConsumer()).getNotificationStatus();
    }

    private List<String> subjects() {
        return received.stream().map(e -> e.getMessage().getBody(Message.class).subject()).toList();
    }

    private static SimMail mail(String subject) {
        return SimMail.from("carol@fabrikam.example", "Carol").to(SimulatedTenant.ADA).subject(subject).textBody("hi");
    }

    private void awaitFired(String subject) {
        await().atMost(Duration.ofSeconds(60)).until(() -> subjects().contains(subject));
    }

    @Test
    void aNotifiedMailFiresWithoutWaitingForThePoll() throws Exception {
        // given: a trigger whose polls are 10 minutes apart
        startWithReceiver(NO_POLLS);
        ObjectNode subscription = awaitSubscription();

        // then: the subscription watches the inbox for new messages, with a secret clientState
        String inbox = sim.folderId(SimulatedTenant.ADA, "inbox");
        assertEquals("users/" + SimulatedTenant.ADA + "/mailFolders('" + inbox + "')/messages",
                subscription.path("resource").asText());
        assertEquals("created", subscription.path("changeType").asText());
        assertEquals(receiverUrl, subscription.path("notificationUrl").asText());
        assertEquals(receiverUrl, subscription.path("lifecycleNotificationUrl").asText());
        assertTrue(subscription.path("clientState").asText().length() >= 43);

        // when
        long deliveredAt = System.nanoTime();
        sim.deliver(SimulatedTenant.ADA, mail("pushed"));

        // then: it fires long before the next poll, once
        awaitFired("pushed");
        System.out.printf("push: delivery -> exchange in %d ms%n", (System.nanoTime() - deliveredAt) / 1_000_000);
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
    }

    @Test
    void aForgedNotificationNeverWakesTheTrigger() throws Exception {
        // given
        startWithReceiver(NO_POLLS);
        String id = awaitSubscription().path("id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.countRequests("GET", "/messages/delta") >= 1);
        sim.dropNotifications(1);
        sim.deliver(SimulatedTenant.ADA, mail("not told"));
        long deltas = sim.countRequests("GET", "/messages/delta");

        // when: someone posts a notification of the subscription, with a wrong clientState
        HttpResponse<String> answer = post(receiverUrl, "{\"value\":[{\"subscriptionId\":\"" + id + "\","
                + "\"clientState\":\"guessed\",\"changeType\":\"created\",\"resource\":\"Users/x/Messages/y\"}]}");

        // then: accepted (202, as Graph expects) but nothing runs and nothing fires
        assertEquals(202, answer.statusCode());
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15))
                .until(() -> sim.countRequests("GET", "/messages/delta") == deltas && received.isEmpty());
        Outlook365Component component = context.getComponent("outlook365", Outlook365Component.class);
        assertEquals(1, component.pushNotifications().forgedCount());
        assertEquals(0, component.pushNotifications().acceptedCount());
    }

    @Test
    void junkIsAnsweredBadRequest() throws Exception {
        startWithReceiver(NO_POLLS);
        assertEquals(400, post(receiverUrl, "hello").statusCode());
        assertEquals(400, post(receiverUrl, "{\"no\":\"value\"}").statusCode());
    }

    @Test
    void aLostNotificationFiresAtTheNextSafetyPoll() throws Exception {
        // given: notifications work, a safety poll every 3 s
        startWithReceiver("&delay=500&notificationPollDelay=3000");
        awaitSubscription();
        sim.dropNotifications(1);

        // when
        sim.deliver(SimulatedTenant.ADA, mail("lost notification"));

        // then
        awaitFired("lost notification");
    }

    @Test
    void aMissedEventRunsTheRound() throws Exception {
        // given: the notification of a mail is lost
        startWithReceiver(NO_POLLS);
        String id = awaitSubscription().path("id").asText();
        sim.dropNotifications(1);
        sim.deliver(SimulatedTenant.ADA, mail("missed"));

        // when
        sim.fireLifecycleEvent(id, "missed");

        // then
        awaitFired("missed");
    }

    @Test
    void reauthorizationRequiredIsAnsweredAndNotificationsGoOn() throws Exception {
        // given
        startWithReceiver(NO_POLLS);
        String id = awaitSubscription().path("id").asText();

        // when
        sim.fireLifecycleEvent(id, "reauthorizationRequired");

        // then
        await().atMost(Duration.ofSeconds(60))
                .until(() -> sim.countRequests("POST", "/v1.0/subscriptions/" + id + "/reauthorize") == 1);
        sim.deliver(SimulatedTenant.ADA, mail("after reauthorization"));
        awaitFired("after reauthorization");
    }

    @Test
    void aReauthorizationGraphRefusesIsARenewal() throws Exception {
        // given
        startWithReceiver(NO_POLLS);
        String id = awaitSubscription().path("id").asText();
        sim.injectFault(new SimFault("POST", "/reauthorize$", 400, "BadRequest", 1, null));

        // when
        sim.fireLifecycleEvent(id, "reauthorizationRequired");

        // then: renewed instead (PATCH expirationDateTime), and notifications go on
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.countRequests("PATCH", "/v1.0/subscriptions/" + id) == 1);
        sim.deliver(SimulatedTenant.ADA, mail("after renewal"));
        awaitFired("after renewal");
        assertEquals(id, sim.subscriptions().get(0).path("id").asText());
    }

    @Test
    void aSubscriptionGraphForgotIsMadeAgainWhenItsRenewalFails() throws Exception {
        // given: Graph refuses the reauthorization and no longer knows the subscription when it is renewed
        startWithReceiver(NO_POLLS);
        String id = awaitSubscription().path("id").asText();
        sim.injectFault(new SimFault("POST", "/reauthorize$", 400, "BadRequest", 1, null));
        sim.injectFault(new SimFault("PATCH", "/v1.0/subscriptions/", 404, "ResourceNotFound", 1, null));

        // when
        sim.fireLifecycleEvent(id, "reauthorizationRequired");

        // then: a new subscription, and notifications go on
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.countRequests("POST", "/v1.0/subscriptions$") == 2
                                                            && status().startsWith("push: subscription ")
                                                            && !status().contains(id));
        sim.deliver(SimulatedTenant.ADA, mail("after a new subscription"));
        awaitFired("after a new subscription");
    }

    @Test
    void aRemovedSubscriptionIsMadeAgain() throws Exception {
        // given
        startWithReceiver(NO_POLLS);
        String id = awaitSubscription().path("id").asText();

        // when
        sim.fireLifecycleEvent(id, "subscriptionRemoved");

        // then
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.subscriptions().size() == 1
                                                            && !sim.subscriptions().get(0).path("id").asText().equals(id));
        assertNotEquals(id, awaitSubscription().path("id").asText());
        sim.deliver(SimulatedTenant.ADA, mail("after removal"));
        awaitFired("after removal");
    }

    @Test
    void withoutANotificationUrlTheTriggerPollsAsBefore() throws Exception {
        // given
        start("&delay=200", c -> {
        });

        // when
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.countRequests("GET", "/messages/delta") >= 1);
        sim.deliver(SimulatedTenant.ADA, mail("polled"));

        // then
        awaitFired("polled");
        assertEquals(0, sim.countRequests("POST", "/v1.0/subscriptions"));
        assertTrue(status().contains("notificationUrl is not set"), status());
        // and the readiness check says so, UP (the trigger works)
        HealthCheck check = HealthCheckRegistry.get(context).getCheck("outlook365-notifications").orElseThrow();
        HealthCheck.Result health = check.call(Map.of(HealthCheck.CHECK_KIND, HealthCheck.Kind.READINESS));
        assertEquals(HealthCheck.State.UP, health.getState());
        assertTrue(String.valueOf(health.getDetails().get("mail/received 'inbox'")).contains("notificationUrl is not set"),
                health.getDetails().toString());
    }

    @Test
    void aCalendarTriggerIsNotifiedOfItsCalendarsEvents() throws Exception {
        // given calendar/created with push, polling every 10 minutes
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:notifications").to("outlook365:connection/receiveNotification");
                from("outlook365:calendar/created?initialDelay=0&notification=webhook" + NO_POLLS).routeId("inbox")
                        .process(e -> received.add(e.copy()));
            }
        }, c -> c.setNotificationUrl(receiverUrl));
        context.start();
        ObjectNode subscription = awaitSubscription();
        assertTrue(subscription.path("resource").asText().matches("users/" + SimulatedTenant.ADA + "/calendars/.+/events"),
                subscription.toString());
        assertEquals("created", subscription.path("changeType").asText());

        // when
        String tomorrow = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(1).toString();
        String id = sim.calendars().createEvent(SimulatedTenant.ADA, "{\"subject\":\"Planning\",\"start\":{\"dateTime\":\""
                + tomorrow + "T09:00:00\",\"timeZone\":\"UTC\"},\"end\":{\"dateTime\":\"" + tomorrow
                + "T10:00:00\",\"timeZone\":\"UTC\"}}");

        // then
        await().atMost(Duration.ofSeconds(60)).until(() -> received.stream()
                .anyMatch(e -> id.equals(e.getMessage().getHeader(Outlook365Constants.EVENT_ID))));
    }

    @Test
    void aFailedValidationLeavesTheTriggerPolling() throws Exception {
        // given: a URL where nobody answers
        HttpServer closed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1);
        String nowhere = "http://localhost:" + closed.getAddress().getPort() + "/outlook365/notifications";
        closed.stop(0);
        start("&delay=200", c -> c.setNotificationUrl(nowhere));

        // when
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.countRequests("POST", "/v1.0/subscriptions") == 1);
        sim.deliver(SimulatedTenant.ADA, mail("polled anyway"));

        // then
        awaitFired("polled anyway");
        assertTrue(status().contains("could not be made") && status().contains("ValidationError"), status());
        assertTrue(sim.subscriptions().isEmpty());
    }

    @Test
    void stoppingDeletesTheSubscriptionAndALeftoverIsDeletedAtTheNextStart() throws Exception {
        // given: a subscription the stop cannot delete (Graph fails), as after a crash
        startWithReceiver(NO_POLLS + "&stateKey=push-leftover");
        String first = awaitSubscription().path("id").asText();
        sim.injectFault(new SimFault("DELETE", "/v1.0/subscriptions/", 400, "BadRequest", 1, null));
        context.stop();
        assertEquals(1, sim.subscriptions().size());
        sim.clearRequests();

        // when: the trigger starts again
        received.clear();
        startWithReceiver(NO_POLLS + "&stateKey=push-leftover");

        // then: the leftover is deleted and a new subscription made
        await().atMost(Duration.ofSeconds(60))
                .until(() -> sim.countRequests("DELETE", "/v1.0/subscriptions/" + first) >= 1);
        ObjectNode second = awaitSubscription();
        assertNotEquals(first, second.path("id").asText());

        // when: it stops normally
        context.stop();

        // then
        assertTrue(sim.subscriptions().isEmpty());
        assertTrue(sim.countRequests("DELETE", "/v1.0/subscriptions/" + second.path("id").asText()) >= 1);
        context = null;
    }

    private static HttpResponse<String> post(String url, String body) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}

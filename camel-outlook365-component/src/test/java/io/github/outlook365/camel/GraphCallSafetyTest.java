package io.github.outlook365.camel;

import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.graph.GraphOutcomeUnknownException;
import io.github.outlook365.camel.graph.GraphRequest;
import io.github.outlook365.camel.graph.RetryPolicy;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.simulator.RecordedRequest;
import io.github.outlook365.simulator.SimFault;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graph and token calls that neither hang nor do their work twice: a deadline that covers the body, Retry-After
 * capped, and a call that sends or creates something repeated only where it provably did not take effect.
 */
class GraphCallSafetyTest extends SimulatedContextTest {

    private static final Duration STALL = Duration.ofSeconds(60);
    // far below the stall: a call that waited for the stall would be caught by assertTimeoutPreemptively
    private static final Duration NO_HANG = Duration.ofSeconds(20);

    @Test
    void aStalledAnswerFailsTheCallWithinRequestTimeoutWithAClearError() {
        // given Graph sends the headers and the start of the folder list, then nothing
        sim.injectFault(SimFault.stalledBody("GET", "/mailFolders$", 1, STALL));

        // when the action asks, with a 3 s request timeout and no retry
        CamelExecutionException e = assertTimeoutPreemptively(NO_HANG, () -> assertThrows(CamelExecutionException.class,
                () -> template.requestBody("outlook365:mail/listFolders?requestTimeout=3000&maxRetries=0", (Object) null)));

        // then it failed on the deadline, saying which call and which option
        String message = e.getCause().getMessage();
        assertTrue(message.contains("GET /v1.0/users/" + SimulatedTenant.ADA + "/mailFolders"), message);
        assertTrue(message.contains("within 3000 ms (requestTimeout)"), message);
        assertEquals(1, sim.countRequests("GET", "/mailFolders$"));
    }

    @Test
    void aReadingCallWhoseAnswerStalledIsRetried() {
        sim.injectFault(SimFault.stalledBody("GET", "/mailFolders$", 1, STALL));

        List<?> folders = assertTimeoutPreemptively(NO_HANG,
                () -> template.requestBody("outlook365:mail/listFolders?requestTimeout=3000", null, List.class));

        assertTrue(folders.size() >= 5, folders.toString());
        assertEquals(List.of(200, 200), sim.requests().stream().filter(r -> r.path().endsWith("/mailFolders"))
                .map(RecordedRequest::status).toList());
    }

    @Test
    void aStreamedAnswerThatStallsIsCutOffInsteadOfBlockingTheReader() throws Exception {
        // given a message, and Graph stalling in the middle of its MIME export
        String id = sim.deliver(SimulatedTenant.ADA, SimMail.from("carol@fabrikam.example", "Carol")
                .to(SimulatedTenant.ADA).subject("export me").textBody("hi"));
        sim.injectFault(SimFault.stalledBody("GET", "/\\$value$", 1, STALL));

        // when the route reads the stream it got
        InputStream eml = template.requestBodyAndHeader("outlook365:mail/exportEml?requestTimeout=3000", null,
                Outlook365Constants.MESSAGE_ID, id, InputStream.class);

        // then the read fails once nothing came for requestTimeout, and keeps failing (a cut-off body never reads as a
        // complete one)
        HttpTimeoutException stalled = assertTimeoutPreemptively(NO_HANG,
                () -> assertThrows(HttpTimeoutException.class, eml::readAllBytes));
        assertTrue(stalled.getMessage().contains("stalled: no data for 3000 ms (requestTimeout)"), stalled.getMessage());
        assertThrows(HttpTimeoutException.class, eml::read);
    }

    @Test
    void aTriggerWhoseDeltaPageStalledTriesAgainAtItsNextPoll() throws Exception {
        // given a trigger with a 3 s request timeout and no retry within a poll, and its first delta page stalling
        List<Message> received = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=200&initialDelay=0&requestTimeout=3000&maxRetries=0")
                        .process(e -> received.add(e.getMessage().getBody(Message.class)));
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.countRequests("GET", "/messages/delta") >= 1);
        sim.injectFault(SimFault.stalledBody("GET", "/messages/delta", 1, STALL));
        long before = sim.countRequests("GET", "/messages/delta");

        // when a mail arrives
        sim.deliver(SimulatedTenant.ADA, SimMail.from("carol@fabrikam.example", "Carol").to(SimulatedTenant.ADA)
                .subject("after the stall").textBody("hi"));

        // then the stalled poll failed, a later one delivered the mail, once
        await().atMost(NO_HANG).until(() -> received.size() == 1);
        assertEquals("after the stall", received.get(0).subject());
        assertTrue(sim.countRequests("GET", "/messages/delta") >= before + 2, "the stalled poll, then the one that"
                                                                              + " delivered");
    }

    @Test
    void aStalledTokenAnswerFailsTheTokenRequestWithinRequestTimeoutAndTheNextAttemptWorks() {
        // given Entra ID stalling in the middle of its first token answer
        sim.injectFault(SimFault.stalledBody("POST", "/oauth2/v2.0/token$", 1, STALL));
        String uri = "outlook365:connection/check?requestTimeout=3000&reconnectDelay=100&reconnectMaxDelay=200";

        // when the connection is checked
        Map<?, ?> first = assertTimeoutPreemptively(NO_HANG, () -> template.requestBody(uri, null, Map.class));

        // then the token request failed on its deadline (the connection is DEGRADED, not hung), and the next works
        assertEquals("DEGRADED", first.get("state"), first.toString());
        assertTrue(String.valueOf(first.get("error")).contains("did not answer a token request within 3 s"),
                first.toString());
        Map<?, ?> second = template.requestBody(uri, null, Map.class);
        assertEquals("CONNECTED", second.get("state"), second.toString());
        assertEquals(2, sim.tokenRequests());
    }

    @Test
    void aRetryAfterLongerThanMaxRetryDelayFailsTheCallAtOnce() {
        // given Graph throttling with Retry-After: 86400 (a day)
        sim.injectFault(SimFault.throttle("/mailFolders$", 1, Duration.ofDays(1)));

        CamelExecutionException e = assertTimeoutPreemptively(NO_HANG, () -> assertThrows(CamelExecutionException.class,
                () -> template.requestBody("outlook365:mail/listFolders?maxRetryDelay=5000", (Object) null)));

        GraphException throttled = assertInstanceOf(GraphException.class, e.getCause());
        assertEquals(429, throttled.getStatus());
        assertTrue(throttled.getMessage().contains("asks to wait 86400 s (Retry-After), longer than maxRetryDelay"
                                                   + " (5000 ms): the call fails now"), throttled.getMessage());
        assertEquals(1, sim.countRequests("GET", "/mailFolders$"), "no retry");
    }

    @Test
    void aRetryAfterTooBigForAnyClockFailsTheCallClearlyInsteadOfOverflowing() {
        sim.injectFault(SimFault.throttle("/mailFolders$", 1, Duration.ofSeconds(Long.MAX_VALUE)));

        CamelExecutionException e = assertTimeoutPreemptively(NO_HANG, () -> assertThrows(CamelExecutionException.class,
                () -> template.requestBody("outlook365:mail/listFolders", (Object) null)));

        GraphException throttled = assertInstanceOf(GraphException.class, e.getCause());
        assertTrue(throttled.getMessage().contains("asks to wait for years (Retry-After), longer than maxRetryDelay"),
                throttled.getMessage());
    }

    @Test
    void aRetryAfterWithinTheCapIsWaitedFor() {
        sim.injectFault(SimFault.throttle("/mailFolders$", 1, Duration.ofSeconds(1)));

        List<?> folders = template.requestBody("outlook365:mail/listFolders", null, List.class);

        assertTrue(folders.size() >= 5);
        List<RecordedRequest> calls = sim.requests().stream().filter(r -> r.path().endsWith("/mailFolders")).toList();
        assertEquals(List.of(429, 200), calls.stream().map(RecordedRequest::status).toList());
        assertTrue(Duration.between(calls.get(0).at(), calls.get(1).at()).toMillis() >= 900);
    }

    @Test
    void a503AfterSendMailFailsWithoutARetryAndSaysTheMailMayHaveBeenSent() {
        // given Graph takes the mail, then the gateway answers 503
        sim.injectFault(SimFault.afterCarriedOut("POST", "/sendMail$", 503, 1));

        // when the route sends it
        CamelExecutionException e = assertThrows(CamelExecutionException.class, () -> template.sendBodyAndHeader(
                "outlook365:mail/send", "once", Outlook365Constants.TO, SimulatedTenant.BOB));

        // then the mail is not sent again: one POST, one delivery, and the error says what to check
        GraphOutcomeUnknownException unknown = assertInstanceOf(GraphOutcomeUnknownException.class, e.getCause());
        assertTrue(unknown.getMessage().contains("Graph POST /v1.0/users/" + SimulatedTenant.ADA + "/sendMail may have"
                                                 + " been carried out: Graph answered HTTP 503"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("the mail may have been sent: look in Sent Items of the mailbox before"
                                                 + " sending it again"), unknown.getMessage());
        assertEquals(503, assertInstanceOf(GraphException.class, unknown.getCause()).getStatus());
        assertEquals(1, sim.countRequests("POST", "/sendMail$"));
        assertEquals(1, sim.messages(SimulatedTenant.BOB, "inbox").size());
    }

    @Test
    void aThrottledSendMailIsRetriedBecauseGraphDidNotProcessIt() {
        sim.injectFault(new SimFault("POST", "/sendMail$", 429, "ApplicationThrottled", 1, Duration.ofSeconds(1)));

        template.sendBodyAndHeader("outlook365:mail/send", "after throttling", Outlook365Constants.TO, SimulatedTenant.BOB);

        assertEquals(List.of(429, 202), sim.requests().stream().filter(r -> r.path().endsWith("/sendMail"))
                .map(RecordedRequest::status).toList());
        assertEquals(1, sim.messages(SimulatedTenant.BOB, "inbox").size());
    }

    @Test
    void aConnectFailureIsRetriedForASendBecauseNothingWasSent() throws Exception {
        // given the connection's Graph client over a network whose first connection attempt is refused
        Outlook365Connection connection = connection();
        AtomicInteger attempts = new AtomicInteger();
        java.net.http.HttpClient refusingOnce = new DelegatingHttpClient(sim.clientSslContext()) {
            @Override
            protected void beforeSend() throws ConnectException {
                if (attempts.incrementAndGet() == 1) {
                    throw new ConnectException("Connection refused");
                }
            }
        };
        GraphClient graph = new GraphClient(refusingOnce, connection.tokens(), sim.baseUrl(),
                new RetryPolicy(2, Duration.ofMillis(50), Duration.ofSeconds(1)), 4, Duration.ofSeconds(10));

        // when a mail is sent through it
        graph.execute(GraphRequest.post(SimulatedTenant.ADA, "/v1.0/users/" + SimulatedTenant.ADA + "/sendMail",
                sendMail("sent after a refused connection")));

        // then the POST was sent again, and Graph received it once
        assertEquals(2, attempts.get());
        assertEquals(1, graph.retryCount());
        assertEquals(1, sim.countRequests("POST", "/sendMail$"));
        assertEquals(1, sim.messages(SimulatedTenant.BOB, "inbox").size());
    }

    @Test
    void aGraphThatCannotBeReachedIsTriedMaxRetriesTimesAndThenReportedAsUnreachable() {
        AtomicInteger attempts = new AtomicInteger();
        java.net.http.HttpClient refusing = new DelegatingHttpClient(sim.clientSslContext()) {
            @Override
            protected void beforeSend() throws ConnectException {
                attempts.incrementAndGet();
                throw new ConnectException("Connection refused");
            }
        };
        GraphClient graph = new GraphClient(refusing, connection().tokens(), sim.baseUrl(),
                new RetryPolicy(2, Duration.ofMillis(50), Duration.ofSeconds(1)), 4, Duration.ofSeconds(10));

        Exception e = assertThrows(Exception.class, () -> graph.execute(GraphRequest.post(SimulatedTenant.ADA,
                "/v1.0/users/" + SimulatedTenant.ADA + "/sendMail", sendMail("nowhere"))));

        assertTrue(e.getMessage().startsWith("could not reach Microsoft Graph at " + sim.baseUrl() + " for POST /v1.0/users/"
                                             + SimulatedTenant.ADA + "/sendMail after 2 retries"), e.getMessage());
        assertInstanceOf(ConnectException.class, e.getCause());
        assertEquals(3, attempts.get());
        assertEquals(0, sim.countRequests("POST", "/sendMail$"));
    }

    @Test
    void aCreatedEventWhoseAnswerWasLostIsRepeatedWithItsTransactionIdAndExistsOnce() {
        // given Graph creates the event, then the gateway answers 503
        sim.injectFault(SimFault.afterCarriedOut("POST", "/calendar/events$", 503, 1));
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("subject", "Created once");
        event.put("start", "2030-03-10T09:00:00");
        event.put("end", "2030-03-10T10:00:00");

        // when the route creates it
        template.requestBody("outlook365:calendar/createEvent?timeZone=UTC", event);

        // then the POST was repeated with the same transactionId, and the calendar holds one event
        List<RecordedRequest> posts = sim.requests().stream().filter(r -> r.method().equals("POST")
                                                                          && r.path().endsWith("/calendar/events")).toList();
        assertEquals(List.of(503, 201), posts.stream().map(RecordedRequest::status).toList());
        String first = json(posts.get(0).body()).path("transactionId").asText();
        assertEquals(36, first.length(), "a UUID: " + first);
        assertEquals(first, json(posts.get(1).body()).path("transactionId").asText());
        assertEquals(1, sim.calendars().events(SimulatedTenant.ADA).stream()
                .filter(e -> e.path("subject").asText().equals("Created once")).count());
    }

    static Stream<Arguments> idsThatWouldNameAnotherResource() {
        return Stream.of(
                Arguments.of("outlook365:mail/get", Outlook365Constants.MESSAGE_ID, "."),
                Arguments.of("outlook365:mail/get", Outlook365Constants.MESSAGE_ID, ".."),
                Arguments.of("outlook365:mail/markRead", Outlook365Constants.MESSAGE_ID, ".."),
                Arguments.of("outlook365:calendar/getEvent", Outlook365Constants.EVENT_ID, ".."));
    }

    @ParameterizedTest(name = "{0} with {1}={2}")
    @MethodSource("idsThatWouldNameAnotherResource")
    void aDotSegmentIdIsRefusedBeforeAnythingIsSent(String uri, String header, String id) {
        sim.clearRequests();

        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBodyAndHeader(uri, null, header, id));

        assertEquals("'" + id + "' is not an id Graph gives: an id, folder or account must not be empty, '.' or '..' (it"
                     + " would name another resource than the one meant); take the id from a header such as"
                     + " CamelOutlook365MessageId or from outlook365:mail/list", e.getCause().getMessage());
        assertEquals(0, sim.requests().stream().filter(r -> r.path().startsWith("/v1.0/")).count());
    }

    @Test
    void anEmptySegmentIsRefusedToo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GraphClient.encodePathSegment(""));
        assertTrue(e.getMessage().startsWith("'' is not an id Graph gives"), e.getMessage());
        assertEquals("a%2Fb%20c", GraphClient.encodePathSegment("a/b c"));
        assertEquals("..x", GraphClient.encodePathSegment("..x"));
    }

    @Test
    void retryAfterIsReadWithoutOverflow() {
        assertEquals(Duration.ofSeconds(120), RetryPolicy.parseRetryAfter("120"));
        assertEquals(Duration.ofSeconds(Long.MAX_VALUE), RetryPolicy.parseRetryAfter("99999999999999999999999"));
        assertNull(RetryPolicy.parseRetryAfter("soon"));
        RetryPolicy policy = new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(60));
        assertTrue(policy.waitsTooLong(RetryPolicy.parseRetryAfter("99999999999999999999999")));
        assertEquals(Duration.ofSeconds(60), policy.delay(1, Duration.ofSeconds(Long.MAX_VALUE)));
    }

    private Outlook365Connection connection() {
        template.requestBody("outlook365:connection/check", (Object) null);
        return ((Outlook365Component) context.getComponent("outlook365")).connections().iterator().next();
    }

    private static String sendMail(String subject) {
        return "{\"message\":{\"subject\":\"" + subject + "\",\"body\":{\"contentType\":\"text\",\"content\":\"x\"},"
               + "\"toRecipients\":[{\"emailAddress\":{\"address\":\"" + SimulatedTenant.BOB + "\"}}]}}";
    }

    private static JsonNode json(String text) {
        try {
            return GraphJson.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.github.outlook365.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.model.BatchResult;
import io.github.outlook365.simulator.RecordedRequest;
import io.github.outlook365.simulator.SimFault;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.github.outlook365.camel.SimulatedTenant.ADA;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A body that is a list of message ids goes through Graph's $batch. */
class MailBatchTest extends SimulatedContextTest {

    private List<String> deliver(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(sim.deliver(ADA, SimMail.from("carol@fabrikam.example", "Carol").subject("m" + i).textBody("x")));
        }
        return ids;
    }

    @SuppressWarnings("unchecked")
    private static List<BatchResult> results(Exchange exchange) {
        return exchange.getMessage().getBody(List.class);
    }

    private List<JsonNode> batches() throws Exception {
        List<JsonNode> bodies = new ArrayList<>();
        for (RecordedRequest r : sim.requests()) {
            if (r.method().equals("POST") && r.path().equals("/v1.0/$batch")) {
                bodies.add(GraphJson.MAPPER.readTree(r.body()));
            }
        }
        return bodies;
    }

    @Test
    void aHundredIdsWithSomeMissingAndSomeThrottled() throws Exception {
        // given 90 messages, 10 ids of messages that are gone, and Graph throttling 6 of the moves once
        List<String> ids = deliver(100);
        List<String> missing = new ArrayList<>();
        for (int i = 5; i < 100; i += 10) {
            sim.deleteMessage(ADA, ids.get(i));
            missing.add(ids.get(i));
        }
        sim.injectFault(SimFault.throttle("/messages/[^/]+/move$", 6, Duration.ofSeconds(1)));

        // when the list is archived
        Exchange result = template.request("outlook365:mail/archive", e -> e.getMessage().setBody(ids));

        // then every id has its result, in order: 90 moved (new ids), 10 not found, none hidden by the others
        assertNull(result.getException());
        List<BatchResult> results = results(result);
        assertEquals(100, results.size());
        for (int i = 0; i < 100; i++) {
            BatchResult r = results.get(i);
            assertEquals(ids.get(i), r.messageId());
            if (missing.contains(ids.get(i))) {
                assertEquals(404, r.status());
                assertEquals("ErrorItemNotFound", r.errorCode());
                assertNull(r.newId());
            } else {
                assertEquals(201, r.status(), r.toString());
                assertNotEquals(ids.get(i), r.newId());
            }
        }
        assertEquals(10, result.getMessage().getHeader(Outlook365Constants.BATCH_FAILURES));
        assertEquals(90, sim.messages(ADA, "archive").size());
        assertTrue(sim.messages(ADA, "inbox").isEmpty());

        // and Graph received batches of at most 20 in its documented shape, the throttled items again, 4 at most at once
        List<JsonNode> batches = batches();
        assertTrue(batches.size() >= 6, "5 batches and at least one retry: " + batches.size());
        int items = 0;
        for (JsonNode batch : batches) {
            assertTrue(batch.get("requests").size() <= 20);
            items += batch.get("requests").size();
        }
        assertEquals(106, items);
        JsonNode first = batches.get(0).get("requests").get(0);
        assertEquals("1", first.get("id").asText());
        assertEquals("POST", first.get("method").asText());
        assertTrue(first.get("url").asText().matches("/users/" + ADA + "/messages/[^/]+/move"), first.toString());
        assertEquals("application/json", first.at("/headers/Content-Type").asText());
        assertEquals("archive", first.at("/body/destinationId").asText());
        assertTrue(sim.maxConcurrentRequests(ADA) <= 4, "in flight " + sim.maxConcurrentRequests(ADA));
    }

    static Stream<Arguments> actions() {
        return Stream.of(
                Arguments.of("outlook365:mail/markRead", (Consumer<ObjectNode>) m -> assertTrue(m.get("isRead").asBoolean()),
                        "PATCH", "{\"isRead\":true}"),
                Arguments.of("outlook365:mail/markUnread",
                        (Consumer<ObjectNode>) m -> assertTrue(!m.get("isRead").asBoolean()), "PATCH", "{\"isRead\":false}"),
                Arguments.of("outlook365:mail/flag", (Consumer<ObjectNode>) m -> assertEquals("flagged",
                        m.at("/flag/flagStatus").asText()), "PATCH", "{\"flag\":{\"flagStatus\":\"flagged\"}}"),
                Arguments.of("outlook365:mail/setCategories?categories=Red", (Consumer<ObjectNode>) m -> assertEquals(
                        "[\"Red\"]", m.get("categories").toString()), "PATCH", "{\"categories\":[\"Red\"]}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("actions")
    void eachPropertyActionTakesAList(String uri, Consumer<ObjectNode> check, String method, String body) throws Exception {
        List<String> ids = deliver(3);
        if (uri.endsWith("markUnread")) {
            ids.forEach(id -> sim.markRead(ADA, id, true));
        }
        Exchange result = template.request(uri, e -> e.getMessage().setBody(ids));

        assertTrue(results(result).stream().allMatch(BatchResult::succeeded), results(result).toString());
        ids.forEach(id -> check.accept(sim.message(ADA, id)));
        JsonNode item = batches().get(0).get("requests").get(2);
        assertEquals(method, item.get("method").asText());
        assertEquals("/users/" + ADA + "/messages/" + GraphClient.encodePathSegment(ids.get(2)), item.get("url").asText());
        assertEquals(body, item.get("body").toString());
    }

    @Test
    void deleteAndCopyTakeAList() throws Exception {
        List<String> ids = deliver(3);
        Exchange copied = template.request("outlook365:mail/copy?destinationFolder=archive",
                e -> e.getMessage().setBody(ids));
        assertEquals(3, sim.messages(ADA, "archive").size());
        assertEquals(3, results(copied).stream().map(BatchResult::newId).distinct().count());

        Exchange deleted = template.request("outlook365:mail/delete", e -> e.getMessage().setBody(Map.of("ids", ids)
                .get("ids")));
        assertTrue(results(deleted).stream().allMatch(r -> r.status() == 204), results(deleted).toString());
        assertEquals(3, sim.messages(ADA, "deleteditems").size());
        assertEquals("DELETE", batches().get(1).get("requests").get(0).get("method").asText());
    }
}

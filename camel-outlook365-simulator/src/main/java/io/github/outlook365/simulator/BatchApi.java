package io.github.outlook365.simulator;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1.0/$batch} in Graph's JSON batching shape: {@code {"requests": [{"id", "method", "url", "headers"?,
 * "body"?}]}} (1 to 20 requests, unique ids, urls relative to /v1.0) &rarr; 200 {@code {"responses": [{"id", "status",
 * "headers", "body"}]}}. Each request runs as if sent alone, with the batch's bearer token: permissions, faults and
 * throttling (a 429 item carries its Retry-After header) apply per item; the simulator runs them one after another.
 */
final class BatchApi {

    static final int MAX_REQUESTS = 20;

    private final Outlook365Simulator simulator;
    private final GraphApi graph;

    BatchApi(Outlook365Simulator simulator, GraphApi graph) {
        this.simulator = simulator;
        this.graph = graph;
    }

    // docs: https://learn.microsoft.com/en-us/graph/json-batching (at most 20 requests, a response per id, in any
    //   order)
    void handle(HttpCall call) {
        GraphApi.requireMethod(call, "POST");
        ObjectNode request = GraphApi.requireObject(call);
        JsonNode requests = request.get("requests");
        if (requests == null || !requests.isArray() || requests.isEmpty()) {
            throw GraphException.badRequest("Invalid batch payload format: the requests array is missing or empty.");
        }
        if (requests.size() > MAX_REQUESTS) {
            throw GraphException.badRequest("Maximum number of requests in a batch is " + MAX_REQUESTS + ".");
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode item : requests) {
            String id = item.path("id").asText("");
            if (id.isEmpty() || !ids.add(id)) {
                throw GraphException.badRequest("Every request of a batch needs a unique id.");
            }
            if (!item.hasNonNull("method") || !item.hasNonNull("url")) {
                throw GraphException.badRequest("Request '" + id + "' of the batch needs a method and a url.");
            }
        }
        ObjectNode answer = Json.object();
        ArrayNode responses = answer.putArray("responses");
        for (JsonNode item : requests) {
            responses.add(run(call, item));
        }
        call.json(200, GraphApi.GRAPH_JSON, answer);
    }

    private ObjectNode run(HttpCall batch, JsonNode item) {
        String url = item.get("url").asText();
        if (!url.startsWith("/")) {
            url = "/" + url;
        }
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.put("Authorization", batch.headerValues("Authorization"));
        item.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), List.of(h.getValue().asText())));
        // the request's record says it came in a batch
        headers.put(RecordedRequest.BATCH_ITEM, List.of(item.get("id").asText()));
        JsonNode body = item.get("body");
        HttpCall sub = new HttpCall(item.get("method").asText(), URI.create(simulator.baseUrl() + "/v1.0" + url), headers,
                body == null || body.isNull() ? null : Json.string(body));
        java.time.Instant at = java.time.Instant.now();
        graph.handle(sub);
        simulator.recordBatchItem(at, sub);
        ObjectNode response = Json.object();
        response.put("id", item.get("id").asText());
        response.put("status", sub.status);
        ObjectNode responseHeaders = response.putObject("headers");
        sub.responseHeaders.forEach((name, value) -> {
            if (name.equalsIgnoreCase("Content-Type") || name.equalsIgnoreCase("Retry-After")
                    || name.equalsIgnoreCase("Location")) {
                responseHeaders.put(name, value);
            }
        });
        if (sub.responseBody != null && !sub.responseBody.isEmpty()) {
            response.set("body", Json.parse(sub.responseBody));
        }
        return response;
    }
}

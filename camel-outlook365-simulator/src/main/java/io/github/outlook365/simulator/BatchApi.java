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
 * throttling (a 429 item carries its Retry-After header) apply per item; the simulator runs those of different
 * mailboxes side by side, as Graph may, those of one mailbox one after another (all of them in the order given when
 * any names {@code dependsOn}).
 */
final class BatchApi {

    static final int MAX_REQUESTS = 20;

    private final Outlook365Simulator simulator;
    private final GraphApi graph;

    BatchApi(Outlook365Simulator simulator, GraphApi graph) {
        this.simulator = simulator;
        this.graph = graph;
    }

    // the threads that run the requests of batches side by side (made at the first batch, daemon, idle ones end)
    private volatile java.util.concurrent.ThreadPoolExecutor items;
    private static final java.util.concurrent.atomic.AtomicInteger ITEM_THREADS = new java.util.concurrent.atomic.AtomicInteger();

    private java.util.concurrent.ExecutorService items() {
        java.util.concurrent.ThreadPoolExecutor pool = items;
        if (pool == null) {
            synchronized (this) {
                pool = items;
                if (pool == null) {
                    pool = new java.util.concurrent.ThreadPoolExecutor(MAX_REQUESTS, MAX_REQUESTS, 30,
                            java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                                Thread t = new Thread(r, "outlook365-simulator-batch-" + ITEM_THREADS.incrementAndGet());
                                t.setDaemon(true);
                                return t;
                            });
                    pool.allowCoreThreadTimeOut(true);
                    items = pool;
                }
            }
        }
        return pool;
    }

    /** Stops the threads of the batches (the simulator stops). */
    void close() {
        java.util.concurrent.ThreadPoolExecutor pool = items;
        if (pool != null) {
            pool.shutdownNow();
        }
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
        boolean sequenced = false;
        for (JsonNode item : requests) {
            sequenced |= item.has("dependsOn");
        }
        if (sequenced || requests.size() == 1) {
            // dependsOn: one after another, in the order given (what a request depends on comes before it)
            for (JsonNode item : requests) {
                responses.add(run(call, item));
            }
        } else {
            // Graph runs the requests of a batch in any order, side by side: so does the simulator for the requests of
            // different mailboxes (a batch of reads with latency takes about one read's time, not twenty); those of one
            // mailbox run one after another, within Outlook's concurrency per mailbox
            Map<String, List<Integer>> byMailbox = new java.util.LinkedHashMap<>();
            for (int i = 0; i < requests.size(); i++) {
                byMailbox.computeIfAbsent(mailboxOf(requests.get(i).get("url").asText()), k -> new java.util.ArrayList<>())
                        .add(i);
            }
            ObjectNode[] answers = new ObjectNode[requests.size()];
            List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
            for (List<Integer> group : byMailbox.values()) {
                running.add(items().submit(() -> {
                    for (int i : group) {
                        answers[i] = run(call, requests.get(i));
                    }
                }));
            }
            for (java.util.concurrent.Future<?> f : running) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while running a batch", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
            for (ObjectNode a : answers) {
                responses.add(a);
            }
        }
        call.json(200, GraphApi.GRAPH_JSON, answer);
    }

    /** The mailbox a request of a batch names ({@code /users/{id}/...}, {@code /me/...}), lower case; "" for none. */
    private static String mailboxOf(String url) {
        String path = url.startsWith("/") ? url.substring(1) : url;
        int query = path.indexOf('?');
        String[] segments = (query >= 0 ? path.substring(0, query) : path).split("/");
        if (segments.length >= 2 && segments[0].equalsIgnoreCase("users")) {
            return segments[1].toLowerCase(java.util.Locale.ROOT);
        }
        return segments.length >= 1 && segments[0].equalsIgnoreCase("me") ? "me" : "";
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

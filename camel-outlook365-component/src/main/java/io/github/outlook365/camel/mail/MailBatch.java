package io.github.outlook365.camel.mail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Exception;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.graph.RetryPolicy;
import io.github.outlook365.camel.model.BatchResult;
import io.github.outlook365.camel.model.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link BatchableAction} on a list of message ids through {@code POST /v1.0/$batch}: 20 requests a batch, at
 * most as many batches in flight as the mailbox allows (4), items Graph answers 429 (or 503/504) sent again in a later
 * batch after their Retry-After. The body becomes one {@link BatchResult} per id, in the order given; a failed item
 * never hides the others' results. Header CamelOutlook365BatchFailures counts the failed items.
 */
final class MailBatch {

    static final int BATCH_SIZE = 20;
    private static final Logger LOG = LoggerFactory.getLogger(MailBatch.class);

    private MailBatch() {
    }

    /** The ids of a body that is a list of ids (Strings or Messages), or null when the body is no such list. */
    static List<String> ids(Object body) {
        if (!(body instanceof Collection<?> items)) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        for (Object item : items) {
            if (item instanceof String s && !s.isBlank()) {
                ids.add(s.trim());
            } else if (item instanceof Message m && m.id() != null) {
                ids.add(m.id());
            } else if (item instanceof Map<?, ?> map && map.get("id") != null) {
                ids.add(String.valueOf(map.get("id")));
            } else {
                throw new IllegalArgumentException("a batch body must be a list of message ids (or Messages); item "
                                                   + ids.size() + " is " + (item == null ? "null" : item.getClass().getName()));
            }
        }
        return ids;
    }

    static void run(ActionExchange call, BatchableAction action, List<String> ids) throws Exception {
        Map<String, BatchableAction.Request> requests = new LinkedHashMap<>();
        for (String id : ids) {
            requests.putIfAbsent(id, action.request(call, id));
        }
        List<String> unique = new ArrayList<>(requests.keySet());
        int parallel = Math.max(1, Math.min(4, call.connection().settings().maxConcurrentRequests()));
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "outlook365-batch-" + call.connection().account());
            t.setDaemon(true);
            return t;
        });
        Map<String, BatchResult> results = new java.util.concurrent.ConcurrentHashMap<>();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int from = 0; from < unique.size(); from += BATCH_SIZE) {
                List<String> group = unique.subList(from, Math.min(unique.size(), from + BATCH_SIZE));
                running.add(pool.submit(() -> {
                    runGroup(call, group, requests, results);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        List<BatchResult> ordered = new ArrayList<>();
        ids.forEach(id -> ordered.add(results.get(id)));
        long failures = ordered.stream().filter(r -> !r.succeeded()).count();
        call.message().setBody(ordered);
        call.message().setHeader(Outlook365Constants.BATCH_FAILURES, (int) failures);
    }

    private static void runGroup(ActionExchange call, List<String> group, Map<String, BatchableAction.Request> requests,
                                 Map<String, BatchResult> results) {
        List<String> pending = new ArrayList<>(group);
        RetryPolicy retry = new RetryPolicy(call.connection().settings().maxRetries(), Duration.ofSeconds(1),
                call.connection().settings().maxRetryDelay());
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            ObjectNode batch = GraphJson.MAPPER.createObjectNode();
            ArrayNode items = batch.putArray("requests");
            for (int i = 0; i < pending.size(); i++) {
                BatchableAction.Request r = requests.get(pending.get(i));
                ObjectNode item = items.addObject();
                item.put("id", Integer.toString(i + 1));
                item.put("method", r.method());
                item.put("url", r.path());
                if (r.body() != null) {
                    item.putObject("headers").put("Content-Type", "application/json");
                    item.set("body", r.body());
                }
            }
            JsonNode answer = call.send("POST", "/v1.0/$batch", batch).body();
            List<String> again = new ArrayList<>();
            Duration wait = Duration.ZERO;
            for (JsonNode response : answer.path("responses")) {
                int index = Integer.parseInt(response.path("id").asText("0")) - 1;
                if (index < 0 || index >= pending.size()) {
                    throw new Outlook365Exception("Graph answered a $batch with an unknown item id " + response.path("id"));
                }
                String id = pending.get(index);
                int status = response.path("status").asInt();
                Duration after = RetryPolicy.parseRetryAfter(response.path("headers").path("Retry-After").asText(null));
                BatchableAction.Request sent = requests.get(id);
                // a 503/504 item may have been carried out: only one that cannot take effect twice is sent again
                boolean retryable = (status == 429 || (status == 503 || status == 504)
                        && RetryPolicy.repeatable(sent.method(), sent.path(), null)) && !retry.waitsTooLong(after);
                if (retryable && retry.canRetry(attempt)) {
                    again.add(id);
                    Duration delay = retry.delay(attempt + 1, after);
                    wait = delay.compareTo(wait) > 0 ? delay : wait;
                    continue;
                }
                JsonNode body = response.path("body");
                String newId = status < 300 && body.hasNonNull("id") ? body.get("id").asText() : null;
                results.put(id, new BatchResult(id, status, status < 300 ? (newId != null ? newId : id) : null,
                        status < 300 ? null : body.path("error").path("code").asText(null),
                        status < 300 ? null : body.path("error").path("message").asText(null)));
            }
            for (String id : pending) {
                if (!again.contains(id) && !results.containsKey(id)) {
                    results.put(id, new BatchResult(id, 0, null, "NoResponse", "Graph's $batch answer had no item for it"));
                }
            }
            if (!again.isEmpty()) {
                LOG.info("{}: {} batch items throttled; sending them again in {} ms", call.action(), again.size(),
                        wait.toMillis());
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Outlook365Exception("interrupted while waiting to retry throttled batch items", e);
                }
            }
            pending = again;
        }
    }
}

package io.github.outlook365.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One request the simulator received on its Entra or Graph endpoints (control requests under {@code /_simulator/} are
 * not recorded). Each request inside a {@code $batch} is recorded as well, marked {@link #batchItem()}: count HTTP
 * requests without them, Graph's (throttled) requests with them.
 *
 * @param method  the HTTP method, upper case
 * @param path    the decoded path, without the query
 * @param query   the decoded query, or null when the request had none
 * @param headers the request headers; the map looks names up case-insensitively
 * @param body    the request body as UTF-8 text ("" when empty); a client secret in a token request is masked as ***
 * @param status  the status code the simulator answered
 * @param at      when the request arrived
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers, String body,
        int status, Instant at) {

    public RecordedRequest {
        TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            headers.forEach((name, values) -> copy.put(name,
                    values == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(values))));
        }
        headers = Collections.unmodifiableMap(copy);
        body = body == null ? "" : body;
    }

    /**
     * The header the simulator adds to the record of a request that came inside a {@code $batch} (the batch itself is
     * recorded too, after its requests): its value is the id of the request in the batch.
     */
    public static final String BATCH_ITEM = "X-Simulator-Batch-Item";

    /** Whether the request came inside a {@code $batch} (not over HTTP of its own). */
    public boolean batchItem() {
        return header(BATCH_ITEM) != null;
    }

    /** The first value of a request header (name case-insensitive), or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}

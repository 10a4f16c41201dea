package io.github.outlook365.camel.graph;

import java.time.Duration;

import io.github.outlook365.camel.Outlook365Exception;

/**
 * Microsoft Graph answered with an error. Carries what support needs: HTTP status, Graph's error code, and the
 * request-id / client-request-id pair Microsoft asks for in a support case.
 */
public class GraphException extends Outlook365Exception {

    private final int status;
    private final String code;
    private final String graphMessage;
    private final String requestId;
    private final String clientRequestId;
    private final Duration retryAfter;

    public GraphException(String message, int status, String code, String graphMessage, String requestId,
                          String clientRequestId, Duration retryAfter) {
        super(message);
        this.status = status;
        this.code = code;
        this.graphMessage = graphMessage;
        this.requestId = requestId;
        this.clientRequestId = clientRequestId;
        this.retryAfter = retryAfter;
    }

    public int getStatus() {
        return status;
    }

    /** Graph's error code, e.g. {@code ErrorItemNotFound}. */
    public String getCode() {
        return code;
    }

    public String getGraphMessage() {
        return graphMessage;
    }

    public String getRequestId() {
        return requestId;
    }

    public String getClientRequestId() {
        return clientRequestId;
    }

    /** What Graph's Retry-After asked for, or null. */
    public Duration getRetryAfter() {
        return retryAfter;
    }

    public boolean isThrottled() {
        return status == 429;
    }

    /** Graph no longer knows the delta token: the round must start again (410 Gone, syncStateNotFound, resyncRequired). */
    public boolean isDeltaReset() {
        return status == 410 || "syncStateNotFound".equalsIgnoreCase(code) || "resyncRequired".equalsIgnoreCase(code)
                || "syncStateInvalid".equalsIgnoreCase(code);
    }
}

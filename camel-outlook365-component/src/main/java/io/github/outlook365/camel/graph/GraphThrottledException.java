package io.github.outlook365.camel.graph;

import java.time.Duration;
import java.time.Instant;

/**
 * Graph throttled a trigger's read (429, or 503 with Retry-After) and the call was made inside
 * {@link GraphClient#polling(java.util.function.Supplier)}: instead of waiting out Retry-After on a shared poll thread,
 * the call ends at once. The trigger skips its polls of that mailbox until {@link #retryAt()} and then goes on from
 * its cursor. Not a failure of the mailbox or the connection (no trouble record, no DEGRADED).
 */
public class GraphThrottledException extends GraphException {

    private final Instant retryAt;

    GraphThrottledException(GraphException cause, Instant retryAt) {
        super(cause.getMessage() + "; the trigger skips its polls until " + retryAt + " (Retry-After "
              + cause.getRetryAfter().getSeconds() + " s)", cause.getStatus(), cause.getCode(), cause.getGraphMessage(),
                cause.getRequestId(), cause.getClientRequestId(), cause.getRetryAfter());
        this.retryAt = retryAt;
    }

    /** The instant Graph's Retry-After ends: no request of the trigger to this mailbox before it. */
    public Instant retryAt() {
        return retryAt;
    }

    /** How long is left to wait from now (zero when the time has passed). */
    public Duration remaining() {
        Duration left = Duration.between(Instant.now(), retryAt);
        return left.isNegative() ? Duration.ZERO : left;
    }
}

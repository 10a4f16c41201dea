package io.github.outlook365.camel.trigger;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * An item a trigger parked: its exchanges failed {@code maxAttempts} times in a row, so the trigger moved on
 * without it and retries it later by itself (see {@link ParkedItems}).
 *
 * @param key         the dedup key it fires under
 * @param itemId      the Graph id to re-read it by
 * @param horizon     the instant its key belongs to
 * @param attempts    failed exchanges so far
 * @param retries     failed retries since it was parked (each doubles the wait before the next)
 * @param lastError   what the route's last attempt failed with (its message, shortened)
 * @param parkedAt    when it was parked
 * @param nextAttempt when it is retried next
 * @param payload     what the trigger needs to fire it again when it cannot be re-read (e.g. a deleted event as the
 *                    trigger knew it), or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ParkedItem(String key, String itemId, Instant horizon, int attempts, int retries, String lastError,
                         Instant parkedAt, Instant nextAttempt, String payload) {

    ParkedItem failedAgain(String error, Instant now, Duration firstDelay) {
        return new ParkedItem(key, itemId, horizon, attempts + 1, retries + 1, ParkedItems.shorten(error), parkedAt,
                now.plus(ParkedItems.delay(firstDelay, retries + 1)), payload);
    }
}


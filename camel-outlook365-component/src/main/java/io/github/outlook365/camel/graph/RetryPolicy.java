package io.github.outlook365.camel.graph;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try a throttled or failed Graph call again: Graph's Retry-After first, else exponential backoff with jitter
 * up to a cap; at most {@code maxRetries} retries.
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff) {

    public static RetryPolicy defaults() {
        return new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    public boolean canRetry(int retriesSoFar) {
        return retriesSoFar < maxRetries;
    }

    /** How long to wait before retry number {@code retry} (1-based); Retry-After wins when Graph gave one. */
    public Duration delay(int retry, Duration retryAfter) {
        if (retryAfter != null && !retryAfter.isNegative()) {
            return retryAfter;
        }
        long base = initialBackoff.toMillis() * (1L << Math.min(retry - 1, 20));
        long capped = Math.min(base, maxBackoff.toMillis());
        // jitter of up to 20% keeps many mailboxes from retrying in lockstep
        long jitter = capped / 5 == 0 ? 0 : ThreadLocalRandom.current().nextLong(capped / 5);
        return Duration.ofMillis(Math.min(capped + jitter, maxBackoff.toMillis()));
    }

    /** Graph sends Retry-After in seconds. */
    public static Duration parseRetryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            try {
                java.time.ZonedDateTime at = java.time.ZonedDateTime.parse(header.trim(),
                        java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(java.time.Instant.now(), at.toInstant());
                return d.isNegative() ? Duration.ZERO : d;
            } catch (java.time.format.DateTimeParseException ignored) {
                return null;
            }
        }
    }
}

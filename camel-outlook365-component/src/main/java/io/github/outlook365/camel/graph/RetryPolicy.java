package io.github.outlook365.camel.graph;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import javax.net.ssl.SSLHandshakeException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * When to try a throttled or failed Graph call again: Graph's Retry-After first, else exponential backoff with jitter
 * up to a cap; at most {@code maxRetries} retries. The cap ({@code maxRetryDelay}) bounds Retry-After too: a call
 * Graph asks to wait longer for fails at once instead of blocking its thread.
 * <p>
 * Only a call that cannot take effect twice is repeated after an answer that may have followed its work (a timeout, a
 * broken connection, 500/502/503/504): GET, HEAD, PUT, DELETE and PATCH (Graph's PATCH sets the given properties, so
 * twice is once), and the POSTs Graph makes safe (reading ones such as findMeetingTimes, an event with a
 * transactionId, a $batch of such requests). A POST that sends or creates something (sendMail, reply, forward,
 * createReply, move, copy, an upload session, ...) is repeated only when it provably never reached Graph (the
 * connection was not established) or was refused unprocessed (429: "the requests fail", Microsoft Graph throttling
 * guidance; 401: the token was refused before the request was looked at).
 */
public record RetryPolicy(int maxRetries, Duration initialBackoff, Duration maxBackoff) {

    private static final Set<String> REPEATABLE_METHODS = Set.of("GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS");
    // POST actions that only read: repeating them changes nothing
    private static final Set<String> READING_POSTS = Set.of("findmeetingtimes", "getschedule");

    public static RetryPolicy defaults() {
        return new RetryPolicy(4, Duration.ofSeconds(1), Duration.ofSeconds(60));
    }

    public boolean canRetry(int retriesSoFar) {
        return retriesSoFar < maxRetries;
    }

    /**
     * How long to wait before retry number {@code retry} (1-based); Retry-After wins when Graph gave one (check
     * {@link #waitsTooLong(Duration)} first: a Retry-After above the cap is not waited for).
     */
    public Duration delay(int retry, Duration retryAfter) {
        if (retryAfter != null && !retryAfter.isNegative()) {
            return retryAfter.compareTo(maxBackoff) > 0 ? maxBackoff : retryAfter;
        }
        long base = initialBackoff.toMillis() * (1L << Math.min(retry - 1, 20));
        long capped = Math.min(base, maxBackoff.toMillis());
        // jitter of up to 20% keeps many mailboxes from retrying in lockstep
        long jitter = capped / 5 == 0 ? 0 : ThreadLocalRandom.current().nextLong(capped / 5);
        return Duration.ofMillis(Math.min(capped + jitter, maxBackoff.toMillis()));
    }

    /** Whether Graph's Retry-After asks for a longer wait than the cap (maxRetryDelay): then the call fails now. */
    public boolean waitsTooLong(Duration retryAfter) {
        return retryAfter != null && retryAfter.compareTo(maxBackoff) > 0;
    }

    /**
     * Graph sends Retry-After in seconds (an HTTP date is read too). A number too big for a {@code long} is taken as
     * the longest wait there is, so that it is refused by {@link #waitsTooLong(Duration)} rather than overflowing.
     */
    public static Duration parseRetryAfter(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String text = header.trim();
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                return Duration.ofSeconds(Long.parseLong(text));
            } catch (NumberFormatException e) {
                return Duration.ofSeconds(Long.MAX_VALUE);
            }
        }
        try {
            java.time.ZonedDateTime at = java.time.ZonedDateTime.parse(text,
                    java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(java.time.Instant.now(), at.toInstant());
            return d.isNegative() ? Duration.ZERO : d;
        } catch (java.time.format.DateTimeParseException | ArithmeticException ignored) {
            return null;
        }
    }

    /**
     * Whether sending the request twice does what sending it once does, so that it may be repeated after an answer
     * that may have come after its work.
     *
     * @param path the request's path (no query)
     * @param body its JSON body, or null
     */
    public static boolean repeatable(String method, String path, String body) {
        String m = method.toUpperCase(Locale.ROOT);
        if (REPEATABLE_METHODS.contains(m)) {
            return true;
        }
        if (!m.equals("POST")) {
            return false;
        }
        String last = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        if (READING_POSTS.contains(last)) {
            return true;
        }
        if (last.equals("events")) {
            // Graph creates no second event for a transactionId it has seen
            JsonNode event = json(body);
            return event != null && event.hasNonNull("transactionId") && !event.get("transactionId").asText().isBlank();
        }
        if (last.equals("$batch")) {
            JsonNode batch = json(body);
            if (batch == null || !batch.path("requests").isArray()) {
                return false;
            }
            for (JsonNode item : batch.path("requests")) {
                String url = item.path("url").asText("");
                int query = url.indexOf('?');
                if (!repeatable(item.path("method").asText("GET"), query < 0 ? url : url.substring(0, query),
                        item.has("body") ? item.get("body").toString() : null)) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * Whether a failure proves the request never reached Graph: no connection was established (refused, no such host,
     * connect timeout, TLS handshake refused), so nothing was sent.
     */
    public static boolean notSent(IOException failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException
                    || t instanceof UnknownHostException || t instanceof SSLHandshakeException) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode json(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return GraphJson.MAPPER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}

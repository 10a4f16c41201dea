package io.github.outlook365.camel.graph;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.Outlook365Exception;
import io.github.outlook365.camel.auth.AccessToken;
import io.github.outlook365.camel.auth.TokenProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component's one way to call Microsoft Graph: JDK HttpClient + Jackson, a bearer token from the connection's
 * {@link TokenProvider}, at most {@code maxInFlightPerMailbox} requests in flight per mailbox, 429/503/504 retried after
 * Retry-After (else backoff) as {@link RetryPolicy} allows (never a call that may already have sent or created
 * something: {@link GraphOutcomeUnknownException}), a deadline on every answer including its body, Graph error bodies
 * turned into {@link GraphException}.
 */
public final class GraphClient {

    private static final Logger LOG = LoggerFactory.getLogger(GraphClient.class);
    private static final String USER_AGENT = "camel-outlook365/0.1";

    private final HttpClient http;
    private final TokenProvider tokens;
    private final URI root;
    private final RetryPolicy retryPolicy;
    private final int maxInFlightPerMailbox;
    private final Duration requestTimeout;
    // the budget of each mailbox with a request in flight or waiting; a mailbox's entry goes when its last request ends,
    // so the map is bounded by the requests under way, not by every mailbox ever named (actions take theirs from
    // exchanges)
    private final Map<String, MailboxBudget> inFlight = new ConcurrentHashMap<>();

    /** A mailbox's slots, and how many requests hold or wait for one (changed only inside the map's compute). */
    private static final class MailboxBudget {
        final Semaphore slots;
        int users;

        MailboxBudget(int slots) {
            this.slots = new Semaphore(slots, true);
        }
    }

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile Outcomes outcomes;

    /** Set while a trigger reads a page on a (shared) poll thread: a throttled answer ends the call instead of waiting. */
    private static final ThreadLocal<Boolean> POLLING = new ThreadLocal<>();

    /** Hears how Graph calls end, for the connection's state: an answer, or a failure after the retries. */
    public interface Outcomes {
        /** Graph answered (a status below 400). */
        void succeeded();

        /** A call failed after its retries (network, 429, 5xx, or another Graph error). */
        void failed(RuntimeException failure);

        /** Graph answered a call for a mailbox (null: none named, e.g. {@code /me}). */
        default void succeeded(String mailbox) {
            succeeded();
        }

        /** A call for a mailbox failed after its retries. */
        default void failed(String mailbox, RuntimeException failure) {
            failed(failure);
        }
    }

    public GraphClient(HttpClient http, TokenProvider tokens, String graphEndpoint, RetryPolicy retryPolicy,
                       int maxInFlightPerMailbox, Duration requestTimeout) {
        this.http = http;
        this.tokens = tokens;
        this.root = URI.create(graphEndpoint.endsWith("/") ? graphEndpoint.substring(0, graphEndpoint.length() - 1)
                : graphEndpoint);
        this.retryPolicy = retryPolicy;
        this.maxInFlightPerMailbox = maxInFlightPerMailbox;
        this.requestTimeout = requestTimeout;
    }

    /** {@code /v1.0/users/{account}} for an account, {@code /v1.0/me} without one (delegated). */
    public static String mailboxPath(String account) {
        if (account == null || account.isBlank()) {
            return "/v1.0/me";
        }
        return "/v1.0/users/" + encodePathSegment(account);
    }

    /**
     * One segment of a Graph path (an id, a folder name, an account), percent-encoded.
     *
     * @throws IllegalArgumentException for an empty segment, {@code .} or {@code ..}: each would change which resource
     *                                  the path names (a dot segment climbs up the path once normalised)
     */
    public static String encodePathSegment(String segment) {
        if (segment == null || segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException("'" + (segment == null ? "" : segment) + "' is not an id Graph gives: an"
                                               + " id, folder or account must not be empty, '.' or '..' (it would name"
                                               + " another resource than the one meant); take the id from a header such"
                                               + " as CamelOutlook365MessageId or from outlook365:mail/list");
        }
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20").replace("%40", "@");
    }

    public static String encodeQueryValue(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Reports the outcome of every call from now on; null for none. */
    public void setOutcomes(Outcomes outcomes) {
        this.outcomes = outcomes;
    }

    /**
     * Runs a trigger's read of Graph (on a poll thread the triggers of an app share): inside it, a 429, or a 503 with
     * Retry-After, whose Retry-After is within maxRetryDelay is not waited out on this thread but ends the call with a
     * {@link GraphThrottledException} naming when the wait ends, so that one throttled mailbox does not hold the poll
     * threads of all the others. Actions (and a route's calls made from an exchange) are never run inside it: they
     * keep waiting out Retry-After, a route expects its call to complete.
     */
    public static <T> T polling(java.util.function.Supplier<T> read) {
        Boolean before = POLLING.get();
        POLLING.set(Boolean.TRUE);
        try {
            return read.get();
        } finally {
            if (before == null) {
                POLLING.remove();
            } else {
                POLLING.set(before);
            }
        }
    }

    public GraphResponse execute(GraphRequest request) {
        HttpRequest.BodyPublisher body = request.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(request.body());
        HttpResponse<Object> response = call(request, resolve(request.url()), true, body,
                request.body() == null ? null : "application/json", false);
        return new GraphResponse(response.statusCode(), response.headers(), parse((String) response.body()));
    }

    /**
     * A Graph answer that is not JSON (an attachment's {@code $value}, a message's MIME content) as a stream; the
     * caller closes it. Errors, retries and the in-flight budget are as for {@link #execute(GraphRequest)}.
     */
    public InputStream download(GraphRequest request) {
        return (InputStream) call(request, resolve(request.url()), true, HttpRequest.BodyPublishers.noBody(), null, true)
                .body();
    }

    /**
     * One ranged PUT of an upload session ({@code Content-Range: bytes from-to/total}). The upload URL carries its own
     * credential, so no bearer token is sent (Graph refuses one there); retries are as for other requests.
     *
     * @return Graph's answer: 200 with the next expected range, or 201 when the upload is complete
     */
    public GraphResponse uploadRange(String mailbox, String uploadUrl, byte[] chunk, int length, long from, long total) {
        URI uri = URI.create(uploadUrl);
        if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new Outlook365Exception("refusing an upload URL that is not https: " + uri.getScheme() + "://"
                                          + uri.getAuthority());
        }
        GraphRequest request = new GraphRequest("PUT", uploadUrl, mailbox, new java.util.LinkedHashMap<>(), null)
                .withHeader("Content-Range", "bytes " + from + "-" + (from + length - 1) + "/" + total);
        HttpResponse<Object> response = call(request, uri, false,
                HttpRequest.BodyPublishers.ofByteArray(chunk, 0, length), "application/octet-stream", false);
        Object body = response.body();
        String text = body instanceof String s ? s : null;
        return new GraphResponse(response.statusCode(), response.headers(), parse(text));
    }

    private HttpResponse<Object> call(GraphRequest request, URI uri, boolean authorize, HttpRequest.BodyPublisher body,
                                      String contentType, boolean stream) {
        int retry = 0;
        boolean tokenRefreshed = false;
        // a call that sends or creates something is repeated only where it provably did not take effect
        boolean repeatable = RetryPolicy.repeatable(request.method(), uri.getPath(), request.body());
        while (true) {
            AccessToken token = authorize ? tokens.token() : null;
            HttpResponse<Object> response;
            try {
                response = send(request, uri, token, body, contentType, stream);
            } catch (IOException e) {
                Error error = errorIn(e);
                if (error != null) {
                    // the JDK's HttpClient hands an Error of its own threads (OutOfMemoryError) back inside an
                    // IOException: no network problem, so neither retried nor reported to the connection's state
                    LOG.error("Graph {} {} failed with {}: a JVM error, not a network problem", request.method(),
                            uri.getPath(), error.toString());
                    throw error;
                }
                if (e instanceof InterruptedIOException && Thread.currentThread().isInterrupted()) {
                    // the route is stopping: neither retry nor report the connection as failing
                    throw new Outlook365Exception("Graph " + request.method() + " " + uri.getPath() + ": " + e.getMessage(),
                            e);
                }
                boolean notSent = RetryPolicy.notSent(e);
                if (!repeatable && !notSent) {
                    throw reported(request, new GraphOutcomeUnknownException(request.method(), uri.getPath(),
                            "the connection failed after the request was sent (" + e + ")", e));
                }
                if (retryPolicy.canRetry(retry)) {
                    retry++;
                    Duration wait = retryPolicy.delay(retry, null);
                    LOG.debug("Graph {} {} failed ({}); retry {} in {} ms", request.method(), uri.getPath(), e.toString(),
                            retry, wait.toMillis());
                    retries.incrementAndGet();
                    sleep(wait);
                    continue;
                }
                throw reported(request, new Outlook365Exception("could not reach Microsoft Graph at " + root + " for "
                                                       + request.method() + " " + uri.getPath() + " after " + retry
                                                       + " retries: " + e, e));
            }
            int status = response.statusCode();
            if (status < 400) {
                Outcomes listener = outcomes;
                if (listener != null) {
                    listener.succeeded(request.mailbox());
                }
                return response;
            }
            GraphException error = toException(request.method(), uri, response);
            if (status == 401 && authorize && !tokenRefreshed) {
                // a token Graph no longer accepts (revoked, clock skew): one fresh token, then give up
                tokens.invalidate(token);
                tokenRefreshed = true;
                continue;
            }
            if (status == 429) {
                throttled.incrementAndGet();
            }
            if (status >= 500 && !repeatable) {
                // Graph may have done the work before the gateway or the service gave up on the answer
                throw reported(request, new GraphOutcomeUnknownException(request.method(), uri.getPath(), "Graph answered HTTP "
                        + status + (error.getCode() != null ? " " + error.getCode() : "") + " (request-id "
                        + error.getRequestId() + ")", error));
            }
            if ((status == 429 || status == 503 || status == 504) && retryPolicy.canRetry(retry)) {
                if (retryPolicy.waitsTooLong(error.getRetryAfter())) {
                    GraphException tooLong = reported(request, waitTooLong(error, request.method(), uri));
                    if ((status == 429 || status == 503) && Boolean.TRUE.equals(POLLING.get())) {
                        // a trigger's read: a pause holds no thread, so Graph's wait is honoured (up to
                        // POLL_PAUSE_MAX) even beyond maxRetryDelay; the mailbox shows in trouble meanwhile
                        Instant retryAt = pauseEnd(error.getRetryAfter());
                        LOG.warn("Graph answered {} {} to {} {} (request-id {}) asking to wait {} s; the trigger's polls"
                                 + " of this mailbox pause until {}", status, error.getCode(), request.method(),
                                uri.getPath(), error.getRequestId(), error.getRetryAfter().getSeconds(), retryAt);
                        throw new GraphThrottledException(tooLong, retryAt);
                    }
                    throw tooLong;
                }
                if (error.getRetryAfter() != null && (status == 429 || status == 503)
                    && Boolean.TRUE.equals(POLLING.get())) {
                    // a trigger's read on a shared poll thread: the trigger waits instead, skipping its polls (neither a
                    // failure of the mailbox nor of the connection)
                    Instant retryAt = Instant.now().plus(error.getRetryAfter());
                    LOG.info("Graph answered {} {} to {} {} (request-id {}); the trigger's polls of this mailbox pause"
                             + " until {} (Retry-After) instead of holding a poll thread", status, error.getCode(),
                            request.method(), uri.getPath(), error.getRequestId(), retryAt);
                    throw new GraphThrottledException(error, retryAt);
                }
                retry++;
                Duration wait = retryPolicy.delay(retry, error.getRetryAfter());
                LOG.info("Graph answered {} {} to {} {} (request-id {}); retry {} of {} in {} ms", status, error.getCode(),
                        request.method(), uri.getPath(), error.getRequestId(), retry, retryPolicy.maxRetries(),
                        wait.toMillis());
                retries.incrementAndGet();
                sleep(wait);
                continue;
            }
            throw reported(request, error);
        }
    }

    /** Graph asked for a longer wait than maxRetryDelay: the call fails now, and a trigger tries at its next poll. */
    private GraphException waitTooLong(GraphException error, String method, URI uri) {
        String asked = error.getRetryAfter().getSeconds() >= 315_360_000L ? "for years"
                : error.getRetryAfter().getSeconds() + " s";
        return new GraphException("Graph " + method + " " + uri.getPath() + " failed: HTTP " + error.getStatus()
                                  + (error.getCode() != null ? " " + error.getCode() : "") + " asks to wait " + asked
                                  + " (Retry-After), longer than maxRetryDelay (" + retryPolicy.maxBackoff().toMillis()
                                  + " ms): the call fails now instead of holding its thread; a trigger tries again at"
                                  + " its next poll, and maxRetryDelay may be raised to wait longer (request-id "
                                  + error.getRequestId() + ", client-request-id " + error.getClientRequestId() + ")",
                error.getStatus(), error.getCode(), error.getGraphMessage(), error.getRequestId(),
                error.getClientRequestId(), error.getRetryAfter());
    }

    /** The Error an exception carries in its chain of causes, or null. */
    static Error errorIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Error e) {
                return e;
            }
        }
        return null;
    }

    /**
     * The longest a trigger pauses a mailbox for one Retry-After: Graph asks for seconds or minutes; a longer ask
     * (a broken header, "years") is taken as this, after which the trigger asks again.
     */
    public static final Duration POLL_PAUSE_MAX = Duration.ofHours(1);

    /** When a trigger's pause for Graph's {@code retryAfter} ends (at most {@link #POLL_PAUSE_MAX} from now). */
    static Instant pauseEnd(Duration retryAfter) {
        return Instant.now().plus(retryAfter.compareTo(POLL_PAUSE_MAX) > 0 ? POLL_PAUSE_MAX : retryAfter);
    }

    private <T extends RuntimeException> T reported(GraphRequest request, T failure) {
        Outcomes listener = outcomes;
        if (listener != null) {
            listener.failed(request.mailbox(), failure);
        }
        return failure;
    }

    public JsonNode get(String mailbox, String url) {
        return execute(GraphRequest.get(mailbox, url)).body();
    }

    /**
     * One page of a collection: a delta round's page (ending in {@code @odata.nextLink} or {@code @odata.deltaLink}), a
     * list's or a calendar view's page (a last page has neither).
     *
     * @param preferences what the Prefer header asks for ({@link Prefer}); nulls are left out
     */
    public GraphPage page(String mailbox, String url, String... preferences) {
        GraphRequest request = GraphRequest.get(mailbox, url);
        if (preferences != null) {
            for (String preference : preferences) {
                request = request.prefer(preference);
            }
        }
        JsonNode body = execute(request).body();
        if (body == null || !body.path("value").isArray()) {
            throw new Outlook365Exception("Graph answered a page request with no value array: " + resolve(url).getPath());
        }
        return pageOf(body);
    }

    /**
     * The GET requests of up to {@link #BATCH_LIMIT} trigger reads (pages of delta rounds, each of another mailbox) in
     * one JSON batch ({@code POST /v1.0/$batch}): one HTTP request instead of twenty, each read throttled by Graph on
     * its own (https://learn.microsoft.com/en-us/graph/json-batching). A read whose mailbox has no free request slot now
     * ({@code maxConcurrentRequests}) is left out of the batch. Per request, in order: its page (Graph answered 200);
     * a {@link GraphThrottledException} (429, or 503 with a Retry-After: the trigger skips its polls until then, at
     * most {@link #POLL_PAUSE_MAX}; a wait beyond maxRetryDelay also shows the mailbox in trouble); a {@link GraphException} that says Graph forgot the delta token (the trigger restarts its
     * round as it would alone); or null: left out, or another answer, which the trigger's own request then gets and
     * handles (its retries, its errors, the connection's state). Runs inside {@link #polling} by its nature: it never
     * waits out a Retry-After.
     *
     * @throws RuntimeException when the batch itself failed (after its retries): the reads are then made one by one
     */
    public List<BatchRead> readAll(List<GraphRequest> reads) {
        if (reads.isEmpty() || reads.size() > BATCH_LIMIT) {
            throw new IllegalArgumentException("a batch holds 1 to " + BATCH_LIMIT + " reads, not " + reads.size());
        }
        List<BatchRead> results = new ArrayList<>(java.util.Collections.nCopies(reads.size(), (BatchRead) null));
        List<MailboxBudget> held = new ArrayList<>();
        List<String> heldKeys = new ArrayList<>();
        com.fasterxml.jackson.databind.node.ObjectNode batch = GraphJson.MAPPER.createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode items = batch.putArray("requests");
        try {
            for (int i = 0; i < reads.size(); i++) {
                GraphRequest read = reads.get(i);
                String key = mailboxKey(read.mailbox());
                MailboxBudget budget = join(key);
                if (!budget.slots.tryAcquire()) {
                    // the mailbox has maxConcurrentRequests in flight: its trigger reads alone, waiting for a slot
                    leave(key);
                    continue;
                }
                held.add(budget);
                heldKeys.add(key);
                com.fasterxml.jackson.databind.node.ObjectNode item = items.addObject();
                item.put("id", Integer.toString(i + 1));
                item.put("method", read.method());
                item.put("url", versionRelative(read.url()));
                if (!read.headers().isEmpty()) {
                    com.fasterxml.jackson.databind.node.ObjectNode headers = item.putObject("headers");
                    read.headers().forEach(headers::put);
                }
            }
            if (items.isEmpty()) {
                return results;
            }
            JsonNode answer = polling(() -> execute(GraphRequest.post(null, BATCH_PATH, batch.toString())).body());
            for (JsonNode response : answer == null ? GraphJson.MAPPER.createArrayNode() : answer.path("responses")) {
                int index = response.path("id").asInt(0) - 1;
                if (index < 0 || index >= reads.size() || results.get(index) != null) {
                    continue;
                }
                results.set(index, batchRead(reads.get(index), response));
            }
            return results;
        } finally {
            held.forEach(b -> b.slots.release());
            heldKeys.forEach(this::leave);
        }
    }

    /** At most this many requests in one JSON batch (Graph's limit). */
    public static final int BATCH_LIMIT = 20;
    private static final String BATCH_PATH = "/v1.0/$batch";

    /** What a batch answered for one read: its page, or why the trigger does not read it (throttled, a delta reset). */
    public record BatchRead(GraphPage page, GraphException failure) {
    }

    private BatchRead batchRead(GraphRequest read, JsonNode response) {
        int status = response.path("status").asInt(0);
        JsonNode body = response.get("body");
        Outcomes listener = outcomes;
        if (status >= 200 && status < 300 && body != null && body.path("value").isArray()) {
            if (listener != null) {
                listener.succeeded(read.mailbox());
            }
            return new BatchRead(pageOf(body), null);
        }
        String code = body == null ? null : body.path("error").path("code").asText(null);
        String message = body == null ? null : body.path("error").path("message").asText(null);
        Duration retryAfter = RetryPolicy.parseRetryAfter(response.path("headers").path("Retry-After").asText(null));
        URI uri = resolve(read.url());
        GraphException error = new GraphException("Graph " + read.method() + " " + uri.getPath() + " (in a $batch)"
                                                  + " failed: HTTP " + status + (code != null ? " " + code : "")
                                                  + (message != null ? ": " + message : ""), status, code, message,
                null, null, retryAfter);
        if ((status == 429 || status == 503) && retryAfter != null) {
            throttled.incrementAndGet();
            Instant retryAt = pauseEnd(retryAfter);
            if (retryPolicy.waitsTooLong(retryAfter) && listener != null) {
                // a wait beyond maxRetryDelay: the mailbox shows in trouble until a read of it succeeds again
                listener.failed(read.mailbox(), error);
            }
            LOG.info("Graph answered {} {} to {} {} in a $batch; the trigger's polls of this mailbox pause until {}"
                     + " (Retry-After)", status, code, read.method(), uri.getPath(), retryAt);
            return new BatchRead(null, new GraphThrottledException(error, retryAt));
        }
        if (error.isDeltaReset()) {
            return new BatchRead(null, error);
        }
        // any other answer: the trigger sends the read itself, with its retries and its errors
        return null;
    }

    /** A link or path below the Graph root as a request inside a $batch names it: relative to the version root. */
    private String versionRelative(String url) {
        URI uri = resolve(url);
        String path = uri.getRawPath();
        String version = root.getRawPath() + "/v1.0";
        if (!path.startsWith(version + "/")) {
            throw new IllegalArgumentException("not a Graph v1.0 link: " + uri.getPath());
        }
        return path.substring(version.length()) + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
    }

    private static GraphPage pageOf(JsonNode body) {
        List<JsonNode> items = new ArrayList<>(body.get("value").size());
        body.get("value").forEach(items::add);
        return new GraphPage(items, text(body, "@odata.nextLink"), text(body, "@odata.deltaLink"));
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    public long requestCount() {
        return requests.get();
    }

    public long throttledCount() {
        return throttled.get();
    }

    public long retryCount() {
        return retries.get();
    }

    public String root() {
        return root.toString();
    }

    private HttpResponse<Object> send(GraphRequest request, URI uri, AccessToken token, HttpRequest.BodyPublisher body,
                                      String contentType, boolean stream) throws IOException {
        String mailboxKey = mailboxKey(request.mailbox());
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Accept", stream ? "*/*" : "application/json")
                .header("User-Agent", USER_AGENT)
                .header("client-request-id", UUID.randomUUID().toString());
        if (token != null) {
            builder.header("Authorization", "Bearer " + token.value());
        }
        request.headers().forEach(builder::header);
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        builder.method(request.method(), body);
        String what = request.method() + " " + uri.getPath();
        // a success is streamed when asked (and cut off when it stalls); an error is always read as text, to explain it
        HttpResponse.BodyHandler<Object> handler = info -> info.statusCode() < 400 && stream
                ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofPublisher(), publisher -> {
                    IdleDeadlineBody in = new IdleDeadlineBody(requestTimeout, what);
                    publisher.subscribe(in);
                    return (Object) in;
                })
                : HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8),
                        text -> (Object) text);
        MailboxBudget budget = join(mailboxKey);
        try {
            budget.slots.acquire();
        } catch (InterruptedException e) {
            leave(mailboxKey);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a free request slot of mailbox "
                                             + request.mailbox() + " (nothing was sent)");
        }
        CompletableFuture<HttpResponse<Object>> answer = null;
        try {
            requests.incrementAndGet();
            // HttpRequest.timeout stops at the response headers: the deadline here covers the whole (non-streamed) body
            answer = http.sendAsync(builder.build(), handler);
            return answer.get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException("no complete answer to " + what + " within " + requestTimeout.toMillis()
                                           + " ms (requestTimeout)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause()
                    : e.getCause();
            throw cause instanceof IOException io ? io : new IOException(what + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            if (answer != null) {
                answer.cancel(true);
            }
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted during " + what);
        } finally {
            budget.slots.release();
            leave(mailboxKey);
        }
    }

    /** A request of the mailbox begins: the mailbox's budget, made for its first request in flight. */
    private MailboxBudget join(String mailboxKey) {
        return inFlight.compute(mailboxKey, (k, b) -> {
            MailboxBudget joined = b != null ? b : new MailboxBudget(maxInFlightPerMailbox);
            joined.users++;
            return joined;
        });
    }

    /** A request of the mailbox ended (or stopped waiting): the mailbox's budget goes with its last request. */
    private void leave(String mailboxKey) {
        inFlight.computeIfPresent(mailboxKey, (k, b) -> --b.users == 0 ? null : b);
    }

    /** Mailboxes with a request in flight or waiting for a slot (tests: the budgets do not outlive their requests). */
    public int mailboxesInFlight() {
        return inFlight.size();
    }

    private URI resolve(String url) {
        if (url.startsWith("/")) {
            return URI.create(root + url);
        }
        URI uri = URI.create(url);
        // never send the bearer token to a host Graph's own links did not come from
        if (!root.getScheme().equalsIgnoreCase(uri.getScheme()) || !root.getAuthority().equalsIgnoreCase(uri.getAuthority())) {
            throw new Outlook365Exception("refusing to follow a link outside the Graph endpoint " + root + ": "
                                          + uri.getScheme() + "://" + uri.getAuthority());
        }
        return uri;
    }

    private static String mailboxKey(String mailbox) {
        return mailbox == null ? "me" : mailbox.toLowerCase(Locale.ROOT);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return GraphJson.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new Outlook365Exception("Graph answered with a body that is not JSON: " + abbreviate(body), e);
        }
    }

    private static GraphException toException(String method, URI uri, HttpResponse<Object> response) {
        String code = null;
        String message = null;
        JsonNode body = null;
        String answer = response.body() instanceof String s ? s : null;
        try {
            body = answer == null || answer.isBlank() ? null : GraphJson.MAPPER.readTree(answer);
        } catch (IOException ignored) {
            // not JSON: keep the status alone
        }
        if (body != null && body.has("error")) {
            JsonNode error = body.get("error");
            code = error.path("code").asText(null);
            message = error.path("message").asText(null);
        }
        String requestId = response.headers().firstValue("request-id").orElse(null);
        String clientRequestId = response.headers().firstValue("client-request-id").orElse(null);
        Duration retryAfter = RetryPolicy.parseRetryAfter(response.headers().firstValue("Retry-After").orElse(null));
        String text = "Graph " + method + " " + uri.getPath() + " failed: HTTP " + response.statusCode()
                      + (code != null ? " " + code : "") + (message != null ? ": " + message : "")
                      + " (request-id " + requestId + ", client-request-id " + clientRequestId + ")";
        return new GraphException(text, response.statusCode(), code, message, requestId, clientRequestId, retryAfter);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Outlook365Exception("interrupted while waiting to retry a Graph request", e);
        }
    }
}

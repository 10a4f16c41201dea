package io.github.outlook365.camel.graph;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
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
 * Retry-After (else backoff), Graph error bodies turned into {@link GraphException}.
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
    private final Map<String, Semaphore> inFlight = new ConcurrentHashMap<>();

    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong throttled = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private volatile Outcomes outcomes;

    /** Hears how Graph calls end, for the connection's state: an answer, or a failure after the retries. */
    public interface Outcomes {
        /** Graph answered (a status below 400). */
        void succeeded();

        /** A call failed after its retries (network, 429, 5xx, or another Graph error). */
        void failed(RuntimeException failure);
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

    public static String encodePathSegment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20").replace("%40", "@");
    }

    public static String encodeQueryValue(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Reports the outcome of every call from now on; null for none. */
    public void setOutcomes(Outcomes outcomes) {
        this.outcomes = outcomes;
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
        while (true) {
            AccessToken token = authorize ? tokens.token() : null;
            HttpResponse<Object> response;
            try {
                response = send(request, uri, token, body, contentType, stream);
            } catch (IOException e) {
                if (retryPolicy.canRetry(retry)) {
                    retry++;
                    Duration wait = retryPolicy.delay(retry, null);
                    LOG.debug("Graph {} {} failed ({}); retry {} in {} ms", request.method(), uri.getPath(), e.toString(),
                            retry, wait.toMillis());
                    retries.incrementAndGet();
                    sleep(wait);
                    continue;
                }
                throw reported(new Outlook365Exception("could not reach Microsoft Graph at " + root + " for "
                                                       + request.method() + " " + uri.getPath() + " after " + retry
                                                       + " retries: " + e, e));
            }
            int status = response.statusCode();
            if (status < 400) {
                Outcomes listener = outcomes;
                if (listener != null) {
                    listener.succeeded();
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
            if ((status == 429 || status == 503 || status == 504) && retryPolicy.canRetry(retry)) {
                retry++;
                Duration wait = retryPolicy.delay(retry, error.getRetryAfter());
                LOG.info("Graph answered {} {} to {} {} (request-id {}); retry {} of {} in {} ms", status, error.getCode(),
                        request.method(), uri.getPath(), error.getRequestId(), retry, retryPolicy.maxRetries(),
                        wait.toMillis());
                retries.incrementAndGet();
                sleep(wait);
                continue;
            }
            throw reported(error);
        }
    }

    private RuntimeException reported(RuntimeException failure) {
        Outcomes listener = outcomes;
        if (listener != null) {
            listener.failed(failure);
        }
        return failure;
    }

    public JsonNode get(String mailbox, String url) {
        return execute(GraphRequest.get(mailbox, url)).body();
    }

    /**
     * One delta round: follows {@code @odata.nextLink} until Graph gives the {@code @odata.deltaLink}.
     */
    public DeltaRound deltaRound(String mailbox, String startUrl, int pageSize) {
        return deltaRound(mailbox, startUrl, pageSize, null);
    }

    /**
     * One delta round with a further preference in the Prefer header of every page (e.g.
     * {@code outlook.body-content-type="text"}); null for none.
     */
    public DeltaRound deltaRound(String mailbox, String startUrl, int pageSize, String preference) {
        List<JsonNode> items = new ArrayList<>();
        String url = startUrl;
        int calls = 0;
        while (true) {
            GraphRequest page = GraphRequest.get(mailbox, url).prefer(Prefer.maxPageSize(pageSize)).prefer(preference);
            JsonNode body = execute(page).body();
            calls++;
            if (body == null) {
                throw new Outlook365Exception("Graph answered a delta request with no body: " + resolve(url).getPath());
            }
            body.path("value").forEach(items::add);
            if (body.hasNonNull("@odata.nextLink")) {
                url = body.get("@odata.nextLink").asText();
            } else if (body.hasNonNull("@odata.deltaLink")) {
                return new DeltaRound(items, body.get("@odata.deltaLink").asText(), calls);
            } else {
                throw new Outlook365Exception("Graph ended a delta page with neither @odata.nextLink nor @odata.deltaLink: "
                                              + resolve(url).getPath());
            }
        }
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
        Semaphore budget = inFlight.computeIfAbsent(mailboxKey(request.mailbox()),
                k -> new Semaphore(maxInFlightPerMailbox, true));
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
        // a success is streamed when asked; an error is always read as text, to explain it
        HttpResponse.BodyHandler<Object> handler = info -> info.statusCode() < 400 && stream
                ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofInputStream(), in -> (Object) in)
                : HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8),
                        text -> (Object) text);
        try {
            budget.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a free request slot of mailbox " + request.mailbox(), e);
        }
        try {
            requests.incrementAndGet();
            return http.send(builder.build(), handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted during " + request.method() + " " + uri.getPath(), e);
        } finally {
            budget.release();
        }
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

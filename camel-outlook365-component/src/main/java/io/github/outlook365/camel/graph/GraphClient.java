package io.github.outlook365.camel.graph;

import java.io.IOException;
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

    public GraphResponse execute(GraphRequest request) {
        URI uri = resolve(request.url());
        int retry = 0;
        boolean tokenRefreshed = false;
        while (true) {
            AccessToken token = tokens.token();
            HttpResponse<String> response;
            try {
                response = send(request, uri, token);
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
                throw new Outlook365Exception("could not reach Microsoft Graph at " + root + " for " + request.method() + " "
                                              + uri.getPath() + " after " + retry + " retries: " + e, e);
            }
            int status = response.statusCode();
            if (status < 400) {
                return new GraphResponse(status, response.headers(), parse(response.body()));
            }
            GraphException error = toException(request.method(), uri, response);
            if (status == 401 && !tokenRefreshed) {
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
            throw error;
        }
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
        String prefer = "odata.maxpagesize=" + pageSize + (preference == null ? "" : ", " + preference);
        while (true) {
            GraphRequest page = GraphRequest.get(mailbox, url).withHeader("Prefer", prefer);
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

    private HttpResponse<String> send(GraphRequest request, URI uri, AccessToken token) throws IOException {
        Semaphore budget = inFlight.computeIfAbsent(mailboxKey(request.mailbox()),
                k -> new Semaphore(maxInFlightPerMailbox, true));
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Authorization", "Bearer " + token.value())
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("client-request-id", UUID.randomUUID().toString());
        request.headers().forEach(builder::header);
        if (request.body() != null) {
            builder.header("Content-Type", "application/json");
            builder.method(request.method(), HttpRequest.BodyPublishers.ofString(request.body()));
        } else {
            builder.method(request.method(), HttpRequest.BodyPublishers.noBody());
        }
        try {
            budget.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a free request slot of mailbox " + request.mailbox(), e);
        }
        try {
            requests.incrementAndGet();
            return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
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

    private static GraphException toException(String method, URI uri, HttpResponse<String> response) {
        String code = null;
        String message = null;
        JsonNode body = null;
        try {
            body = response.body() == null || response.body().isBlank() ? null : GraphJson.MAPPER.readTree(response.body());
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

package io.github.outlook365.camel.auth;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.IHttpResponse;

/**
 * Lets MSAL4J talk to Entra ID through the connection's own {@link HttpClient}, so token requests share its TLS trust,
 * proxy and timeouts with every Graph request (one HTTP client, not two). Every token request has a deadline that
 * covers its whole answer, body included.
 */
final class MsalHttpClient implements IHttpClient {

    // the JDK client sets these itself and refuses them from callers
    private static final Set<String> RESTRICTED = Set.of("content-length", "host", "connection", "expect", "upgrade");

    private final HttpClient http;
    private final Duration timeout;

    MsalHttpClient(HttpClient http, Duration timeout) {
        this.http = http;
        this.timeout = timeout;
    }

    @Override
    public IHttpResponse send(com.microsoft.aad.msal4j.HttpRequest request) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.url().toURI()).timeout(timeout);
        if (request.headers() != null) {
            request.headers().forEach((name, value) -> {
                if (value != null && !RESTRICTED.contains(name.toLowerCase())) {
                    builder.header(name, value);
                }
            });
        }
        String body = request.body() == null ? "" : request.body();
        switch (request.httpMethod()) {
            case GET -> builder.GET();
            case POST -> builder.POST(HttpRequest.BodyPublishers.ofString(body));
            default -> builder.method(request.httpMethod().methodName, HttpRequest.BodyPublishers.ofString(body));
        }
        // HttpRequest.timeout stops at the response headers: this deadline covers the body too, so an answer that
        // stalls half-way fails the token request instead of holding the connection's token lock forever
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(builder.build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> response;
        try {
            response = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException("Entra ID gave no complete answer to " + request.httpMethod().methodName + " "
                                           + request.url().getPath() + " within " + timeout.toMillis()
                                           + " ms (requestTimeout)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause()
                    : e.getCause();
            throw cause instanceof Exception failure ? failure : e;
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw e;
        }
        return new Response(response.statusCode(), response.headers().map(), response.body());
    }

    private record Response(int statusCode, Map<String, List<String>> headers, String body) implements IHttpResponse {
    }
}

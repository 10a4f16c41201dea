package io.github.outlook365.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;

/** One HTTP exchange: the parsed request and the response that was sent (kept for recording). */
final class HttpCall {

    static final String JSON = "application/json";

    final HttpExchange exchange;
    final String method;
    final String path;
    final String query;
    final String body;
    /** The request body as sent (binary uploads). */
    final byte[] raw;
    private final Map<String, List<String>> params = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    int status = -1;
    String responseBody = "";
    /** Runs once the response is decided and before it is written, so a client never sees an answer before it is recorded. */
    Runnable beforeResponse;

    /**
     * When set, the next answer is not sent: this runs instead (once) and sends another, e.g. an injected error after
     * the request was carried out.
     */
    java.util.function.Consumer<HttpCall> answerInstead;

    /** Headers of the answer of a call without an HttpExchange (a request inside a $batch). */
    final Map<String, String> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    HttpCall(HttpExchange exchange) throws IOException {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
        this.path = exchange.getRequestURI().getPath();
        this.query = exchange.getRequestURI().getQuery();
        try (InputStream in = exchange.getRequestBody()) {
            this.raw = in.readAllBytes();
            this.body = new String(raw, StandardCharsets.UTF_8);
        }
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k, List.copyOf(v)));
        parseQuery(exchange.getRequestURI().getRawQuery());
    }

    /** A request inside a $batch: answered into {@link #status}, {@link #responseBody} and {@link #responseHeaders}. */
    HttpCall(String method, java.net.URI uri, Map<String, List<String>> requestHeaders, String body) {
        this.exchange = null;
        this.method = method.toUpperCase(java.util.Locale.ROOT);
        this.path = uri.getPath();
        this.query = uri.getQuery();
        this.body = body == null ? "" : body;
        this.raw = this.body.getBytes(StandardCharsets.UTF_8);
        headers.putAll(requestHeaders);
        parseQuery(uri.getRawQuery());
    }

    private void parseQuery(String raw) {
        if (raw != null && !raw.isEmpty()) {
            for (String part : raw.split("&")) {
                if (part.isEmpty()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String name = decode(eq < 0 ? part : part.substring(0, eq));
                String value = eq < 0 ? "" : decode(part.substring(eq + 1));
                params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
    }

    static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** First value of a query parameter (name case-insensitive), or null. */
    String param(String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    boolean hasParam(String name) {
        return params.containsKey(name);
    }

    Map<String, List<String>> headers() {
        return Collections.unmodifiableMap(headers);
    }

    String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    List<String> headerValues(String name) {
        List<String> values = headers.get(name);
        return values == null ? List.of() : values;
    }

    void setHeader(String name, String value) {
        if (exchange == null) {
            responseHeaders.put(name, value);
            return;
        }
        exchange.getResponseHeaders().set(name, value);
    }

    boolean responded() {
        return status >= 0;
    }

    void json(int status, JsonNode node) {
        send(status, JSON + "; charset=utf-8", Json.bytes(node));
    }

    void json(int status, String contentType, JsonNode node) {
        send(status, contentType, Json.bytes(node));
    }

    void empty(int status) {
        send(status, null, new byte[0]);
    }

    void send(int status, String contentType, byte[] bytes) {
        if (responded()) {
            return;
        }
        if (answerInstead != null) {
            java.util.function.Consumer<HttpCall> instead = answerInstead;
            answerInstead = null;
            instead.accept(this);
            return;
        }
        this.status = status;
        this.responseBody = new String(bytes, StandardCharsets.UTF_8);
        if (beforeResponse != null) {
            beforeResponse.run();
        }
        if (exchange == null) {
            if (contentType != null) {
                responseHeaders.put("Content-Type", contentType);
            }
            return;
        }
        try {
            if (contentType != null) {
                exchange.getResponseHeaders().set("Content-Type", contentType);
            }
            if (bytes.length == 0) {
                exchange.sendResponseHeaders(status, -1);
            } else {
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        } catch (IOException e) {
            // the client went away; nothing to do
        }
    }

    /**
     * Answers {@code status} with the headers of a {@code length}-byte JSON body, sends only {@code start}, then holds
     * the answer in {@code stalls} for {@code stall}; the caller then closes the exchange short of the announced length.
     */
    void stall(int status, byte[] start, int length, java.time.Duration stall, Stalls stalls) {
        this.status = status;
        this.responseBody = new String(start, StandardCharsets.UTF_8);
        if (beforeResponse != null) {
            beforeResponse.run();
        }
        if (exchange == null) {
            return;
        }
        try {
            exchange.getResponseHeaders().set("Content-Type", JSON + "; charset=utf-8");
            exchange.sendResponseHeaders(status, length);
            OutputStream out = exchange.getResponseBody();
            out.write(start);
            out.flush();
            stalls.hold(stall);
        } catch (IOException e) {
            // the client gave up: the stall ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.github.outlook365.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A small HTTPS client for the tests: java.net.http.HttpClient with the simulator's SSLContext. */
final class TestClient {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String GRAPH_SCOPE = "https://graph.microsoft.com/.default";

    record Response(int status, HttpHeaders headers, String body) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("Not JSON: " + body, e);
            }
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        /** The "error.code" of a Graph error. */
        String errorCode() {
            return json().path("error").path("code").asText(null);
        }
    }

    final Outlook365Simulator simulator;
    final HttpClient http;

    TestClient(Outlook365Simulator simulator) {
        this.simulator = simulator;
        this.http = HttpClient.newBuilder()
                .sslContext(simulator.clientSslContext())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    static String form(Map<String, String> fields) {
        return fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    Response tokenRequest(String tenant, Map<String, String> fields) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/" + tenant + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)))
                .build();
        return send(request);
    }

    Response tokenRequest(String tenant, String clientId, String secret, String scope) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("grant_type", "client_credentials");
        fields.put("client_id", clientId);
        fields.put("client_secret", secret);
        fields.put("scope", scope);
        return tokenRequest(tenant, fields);
    }

    String accessToken(String tenant, String clientId, String secret) {
        Response response = tokenRequest(tenant, clientId, secret, GRAPH_SCOPE);
        if (response.status() != 200) {
            throw new AssertionError("token request failed: " + response.status() + " " + response.body());
        }
        return response.json().path("access_token").asText();
    }

    private URI uri(String pathOrUrl) {
        return URI.create(pathOrUrl.startsWith("https://") ? pathOrUrl : simulator.baseUrl() + pathOrUrl);
    }

    Response get(String pathOrUrl, String token, String... headers) {
        return send("GET", pathOrUrl, token, null, headers);
    }

    Response send(String method, String pathOrUrl, String token, String jsonBody, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(pathOrUrl)).timeout(Duration.ofSeconds(20));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        if (jsonBody != null) {
            builder.header("Content-Type", "application/json");
            builder.method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        } else {
            builder.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(builder.build());
    }

    Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Decodes the payload of a JWT. */
    static JsonNode jwtPayload(String jwt) {
        String[] parts = jwt.split("\\.");
        try {
            return MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

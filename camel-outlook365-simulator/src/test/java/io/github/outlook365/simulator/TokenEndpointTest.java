package io.github.outlook365.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

class TokenEndpointTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final String TENANT = "8f2b3c4d-1111-2222-3333-444455556666";
    static final String CLIENT = "0a1b2c3d-aaaa-bbbb-cccc-ddddeeeeffff";
    static final String SECRET = "s3cr3t~value.with+special/chars";

    private Outlook365Simulator sim;
    private TestClient client;

    @BeforeEach
    void given(Outlook365Simulator simulator) {
        sim = simulator;
        client = new TestClient(simulator);
        sim.registerApp(TENANT, CLIENT, SECRET, Set.of("Mail.Read", "Mail.Send"));
    }

    @Test
    void issuesAJwtShapedTokenForClientCredentials() {
        // when
        TestClient.Response response = client.tokenRequest(TENANT, CLIENT, SECRET, TestClient.GRAPH_SCOPE);

        // then
        assertEquals(200, response.status(), response.body());
        JsonNode json = response.json();
        assertEquals("Bearer", json.path("token_type").asText());
        assertEquals(3599, json.path("expires_in").asInt());
        assertEquals(3599, json.path("ext_expires_in").asInt());
        String jwt = json.path("access_token").asText();
        assertEquals(3, jwt.split("\\.").length);
        JsonNode payload = TestClient.jwtPayload(jwt);
        assertEquals("https://graph.microsoft.com", payload.path("aud").asText());
        assertEquals(TENANT, payload.path("tid").asText());
        assertEquals(CLIENT, payload.path("appid").asText());
        assertTrue(payload.path("iss").asText().contains(TENANT));
        assertEquals(Set.of("Mail.Read", "Mail.Send"),
                Set.of(payload.path("roles").get(0).asText(), payload.path("roles").get(1).asText()));
        long iat = payload.path("iat").asLong();
        assertEquals(iat, payload.path("nbf").asLong());
        assertEquals(iat + 3599, payload.path("exp").asLong());
        assertTrue(response.header("Content-Type").startsWith("application/json"));
        assertFalse(response.body().contains(SECRET));
        assertEquals(1, sim.tokenRequests());
    }

    @Test
    void acceptsWhatMsal4jSends() {
        // given: MSAL4J adds the OIDC scopes and client_info, and a client-request-id header
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("grant_type", "client_credentials");
        fields.put("scope", sim.baseUrl() + "/.default openid profile offline_access");
        fields.put("client_info", "1");
        fields.put("client_id", CLIENT);
        fields.put("client_secret", SECRET);
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/" + TENANT + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("client-request-id", "4c2b2d7e-0000-1111-2222-333344445555")
                .header("x-client-SKU", "MSAL.Java")
                .header("x-client-VER", "1.26.1")
                .POST(HttpRequest.BodyPublishers.ofString(TestClient.form(fields)))
                .build();

        // when
        TestClient.Response response = client.send(request);

        // then
        assertEquals(200, response.status(), response.body());
        assertEquals("4c2b2d7e-0000-1111-2222-333344445555", response.header("client-request-id"));
        RecordedRequest recorded = sim.requests().get(0);
        assertFalse(recorded.body().contains(SECRET), "the secret must not be recorded");
        assertTrue(recorded.body().contains("client_secret=***"));
        assertEquals("MSAL.Java", recorded.header("X-CLIENT-SKU"));
    }

    @Test
    void acceptsClientSecretBasic() {
        // given
        String basic = Base64.getEncoder().encodeToString((CLIENT + ":" + TestClient.enc(SECRET))
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/" + TENANT + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope="
                        + TestClient.enc(TestClient.GRAPH_SCOPE)))
                .build();

        // when
        TestClient.Response response = client.send(request);

        // then
        assertEquals(200, response.status(), response.body());
        assertEquals("Basic ***", sim.requests().get(0).header("Authorization"));
    }

    @Test
    void unknownTenantIsAadsts90002() {
        // when
        TestClient.Response response = client.tokenRequest("no-such-tenant", CLIENT, SECRET, TestClient.GRAPH_SCOPE);

        // then
        assertEntraError(response, 400, "invalid_request", 90002);
        assertTrue(response.json().path("error_description").asText().contains("Tenant 'no-such-tenant' not found"));
    }

    @Test
    void unknownClientIsAadsts700016() {
        // when
        TestClient.Response response = client.tokenRequest(TENANT, "unknown-client", SECRET, TestClient.GRAPH_SCOPE);

        // then
        assertEntraError(response, 400, "unauthorized_client", 700016);
        assertTrue(response.json().path("error_description").asText()
                .contains("Application with identifier 'unknown-client' was not found in the directory '" + TENANT));
    }

    @Test
    void wrongSecretIsAadsts7000215AndNeverEchoed() {
        // when
        TestClient.Response response = client.tokenRequest(TENANT, CLIENT, "wrong-secret-value", TestClient.GRAPH_SCOPE);

        // then
        assertEntraError(response, 401, "invalid_client", 7000215);
        assertFalse(response.body().contains("wrong-secret-value"));
        assertFalse(response.body().contains(SECRET));
    }

    @Test
    void unsupportedGrantTypeIsAadsts70003() {
        // given
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("grant_type", "password");
        fields.put("client_id", CLIENT);
        fields.put("username", "alice@contoso.com");
        fields.put("password", "pw");
        fields.put("scope", TestClient.GRAPH_SCOPE);

        // when
        TestClient.Response response = client.tokenRequest(TENANT, fields);

        // then
        assertEntraError(response, 400, "unsupported_grant_type", 70003);
    }

    @Test
    void scopeWithoutDefaultSuffixIsAadsts1002012() {
        // when
        TestClient.Response response = client.tokenRequest(TENANT, CLIENT, SECRET, "https://graph.microsoft.com/Mail.Read");

        // then
        assertEntraError(response, 400, "invalid_scope", 1002012);
    }

    @Test
    void servesOpenIdConfigurationAndInstanceDiscovery() {
        // when
        TestClient.Response config = client.get("/" + TENANT + "/v2.0/.well-known/openid-configuration", null);
        TestClient.Response discovery = client.get("/common/discovery/instance?api-version=1.1&authorization_endpoint="
                + TestClient.enc(sim.baseUrl() + "/" + TENANT + "/oauth2/v2.0/authorize"), null);
        TestClient.Response keys = client.get("/" + TENANT + "/discovery/v2.0/keys", null);

        // then
        assertEquals(200, config.status(), config.body());
        assertEquals(sim.baseUrl() + "/" + TENANT + "/oauth2/v2.0/token", config.json().path("token_endpoint").asText());
        assertEquals(sim.baseUrl() + "/" + TENANT + "/v2.0", config.json().path("issuer").asText());
        assertEquals(sim.baseUrl() + "/" + TENANT + "/discovery/v2.0/keys", config.json().path("jwks_uri").asText());
        assertEquals(200, discovery.status(), discovery.body());
        assertEquals("1.1", discovery.json().path("api-version").asText());
        assertEquals(sim.baseUrl() + "/" + TENANT + "/v2.0/.well-known/openid-configuration",
                discovery.json().path("tenant_discovery_endpoint").asText());
        JsonNode entry = discovery.json().path("metadata").get(0);
        assertEquals("localhost", entry.path("preferred_network").asText());
        assertTrue(entry.path("aliases").toString().contains("localhost:" + sim.port()));
        assertEquals("RSA", keys.json().path("keys").get(0).path("kty").asText());
    }

    static void assertEntraError(TestClient.Response response, int status, String error, int code) {
        assertEquals(status, response.status(), response.body());
        JsonNode json = response.json();
        assertEquals(error, json.path("error").asText());
        assertEquals(code, json.path("error_codes").get(0).asInt());
        String description = json.path("error_description").asText();
        assertTrue(description.startsWith("AADSTS" + code + ": "), description);
        assertTrue(description.contains("Trace ID: " + json.path("trace_id").asText()), description);
        assertTrue(description.contains("Correlation ID: " + json.path("correlation_id").asText()), description);
        assertTrue(description.contains("Timestamp: " + json.path("timestamp").asText()), description);
        assertTrue(json.path("error_uri").asText().endsWith("code=" + code));
    }
}

package io.github.outlook365.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/** Authentication, authorization and addressing errors, in Graph's error shape. */
class GraphAccessTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final String TENANT = "contoso.onmicrosoft.com";
    static final String OTHER_TENANT = "fabrikam.onmicrosoft.com";
    static final String ALICE = "alice@contoso.com";

    private Outlook365Simulator sim;
    private TestClient client;

    @BeforeEach
    void given(Outlook365Simulator simulator) {
        sim = simulator;
        client = new TestClient(simulator);
        sim.registerApp(TENANT, "reader", "reader-secret", Set.of("Mail.Read"));
        sim.registerApp(TENANT, "sender", "sender-secret", Set.of("Mail.Send"));
        sim.registerApp(OTHER_TENANT, "foreign", "foreign-secret");
        sim.createMailbox(TENANT, ALICE, "Alice Adams");
    }

    @Test
    void everyResponseCarriesRequestIdsAndDate() {
        // given
        String token = client.accessToken(TENANT, "reader", "reader-secret");

        // when
        TestClient.Response response = client.get("/v1.0/users/" + ALICE + "/mailFolders/inbox", token,
                "client-request-id", "11111111-2222-3333-4444-555555555555");

        // then
        assertEquals(200, response.status(), response.body());
        assertNotNull(response.header("request-id"));
        assertEquals("11111111-2222-3333-4444-555555555555", response.header("client-request-id"));
        assertNotNull(response.header("Date"));
        assertTrue(response.header("Content-Type").startsWith("application/json"));
    }

    @Test
    void missingTokenIs401() {
        // when
        TestClient.Response response = client.get("/v1.0/users/" + ALICE + "/messages", null);

        // then
        assertGraphError(response, 401, "InvalidAuthenticationToken");
        assertNotNull(response.header("WWW-Authenticate"));
    }

    @Test
    void unknownTokenIs401() {
        // when
        TestClient.Response response = client.get("/v1.0/users/" + ALICE + "/messages", "eyJ0eXAi.eyJhdWQi.c2ln");

        // then
        assertGraphError(response, 401, "InvalidAuthenticationToken");
    }

    @Test
    void revokedTokenIs401AndANewTokenWorks() {
        // given
        String old = client.accessToken(TENANT, "reader", "reader-secret");
        sim.revokeTokens(TENANT, "reader");

        // when
        TestClient.Response rejected = client.get("/v1.0/users/" + ALICE + "/messages", old);
        String fresh = client.accessToken(TENANT, "reader", "reader-secret");
        TestClient.Response accepted = client.get("/v1.0/users/" + ALICE + "/messages", fresh);

        // then
        assertGraphError(rejected, 401, "InvalidAuthenticationToken");
        assertEquals(200, accepted.status(), accepted.body());
    }

    @Test
    void expiredTokenIs401() throws InterruptedException {
        // given
        sim.setTokenLifetime(Duration.ofSeconds(1));
        TestClient.Response token = client.tokenRequest(TENANT, "reader", "reader-secret", TestClient.GRAPH_SCOPE);
        assertEquals(1, token.json().path("expires_in").asInt());
        Thread.sleep(1100);

        // when
        TestClient.Response response = client.get("/v1.0/users/" + ALICE + "/messages",
                token.json().path("access_token").asText());

        // then
        assertGraphError(response, 401, "InvalidAuthenticationToken");
    }

    @Test
    void missingRoleIs403() {
        // given: an app that may only send
        String token = client.accessToken(TENANT, "sender", "sender-secret");

        // when
        TestClient.Response read = client.get("/v1.0/users/" + ALICE + "/mailFolders/inbox/messages", token);
        String readerToken = client.accessToken(TENANT, "reader", "reader-secret");
        TestClient.Response patch = client.send("PATCH", "/v1.0/users/" + ALICE + "/messages/AAMkAGxyz", readerToken,
                "{\"isRead\":true}");
        TestClient.Response send = client.send("POST", "/v1.0/users/" + ALICE + "/sendMail", readerToken,
                "{\"message\":{\"toRecipients\":[{\"emailAddress\":{\"address\":\"x@example.com\"}}]}}");

        // then
        assertGraphError(read, 403, "ErrorAccessDenied");
        assertEquals("Access is denied. Check credentials and try again.", read.json().path("error").path("message")
                .asText());
        assertGraphError(patch, 403, "ErrorAccessDenied");
        assertGraphError(send, 403, "ErrorAccessDenied");
    }

    @Test
    void unknownUserIs404ErrorInvalidUser() {
        // given
        String token = client.accessToken(TENANT, "reader", "reader-secret");

        // when
        TestClient.Response response = client.get("/v1.0/users/nobody@contoso.com/mailFolders/inbox", token);

        // then
        assertGraphError(response, 404, "ErrorInvalidUser");
        assertEquals("The requested user 'nobody@contoso.com' is invalid.",
                response.json().path("error").path("message").asText());
    }

    @Test
    void aTokenOnlyReachesMailboxesOfItsTenant() {
        // given
        String token = client.accessToken(OTHER_TENANT, "foreign", "foreign-secret");

        // when
        TestClient.Response response = client.get("/v1.0/users/" + ALICE + "/mailFolders/inbox", token);

        // then
        assertGraphError(response, 404, "ErrorInvalidUser");
    }

    @Test
    void unknownFolderIs404ErrorItemNotFound() {
        // given
        String token = client.accessToken(TENANT, "reader", "reader-secret");

        // when
        TestClient.Response response = client.get("/v1.0/users/" + ALICE + "/mailFolders/nosuchfolder/messages", token);

        // then
        assertGraphError(response, 404, "ErrorItemNotFound");
        assertEquals("The specified object was not found in the store.",
                response.json().path("error").path("message").asText());
    }

    @Test
    void meIsOnlyForDelegatedTokens() {
        // given
        String token = client.accessToken(TENANT, "reader", "reader-secret");

        // when
        TestClient.Response response = client.get("/v1.0/me/messages", token);

        // then
        assertGraphError(response, 400, "BadRequest");
        assertEquals("/me request is only valid with delegated authentication flow.",
                response.json().path("error").path("message").asText());
    }

    @Test
    void unknownSegmentIs400() {
        // given
        String token = client.accessToken(TENANT, "reader", "reader-secret");

        // when
        TestClient.Response response = client.get("/v1.0/users/" + ALICE + "/calendarz", token);

        // then
        assertGraphError(response, 400, "BadRequest");
        assertEquals("Resource not found for the segment 'calendarz'.",
                response.json().path("error").path("message").asText());
    }

    static void assertGraphError(TestClient.Response response, int status, String code) {
        assertEquals(status, response.status(), response.body());
        JsonNode error = response.json().path("error");
        assertEquals(code, error.path("code").asText(), response.body());
        assertTrue(error.path("message").isTextual());
        JsonNode inner = error.path("innerError");
        assertTrue(inner.path("date").isTextual(), response.body());
        assertEquals(response.header("request-id"), inner.path("request-id").asText());
        assertEquals(response.header("client-request-id"), inner.path("client-request-id").asText());
    }
}

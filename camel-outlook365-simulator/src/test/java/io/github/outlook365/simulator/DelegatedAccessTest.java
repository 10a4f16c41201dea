package io.github.outlook365.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Delegated tokens on Graph: /me, scp checks, shared mailboxes, refresh token rotation and revocation. */
class DelegatedAccessTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final String TENANT = "contoso.onmicrosoft.com";
    static final String CLIENT = "web-app";
    static final String SECRET = "web-secret";
    static final String ADA = "ada@contoso.onmicrosoft.com";
    static final String SALES = "sales@contoso.onmicrosoft.com";
    static final String BOB = "bob@contoso.onmicrosoft.com";

    private Outlook365Simulator sim;
    private TestClient client;

    @BeforeEach
    void given(Outlook365Simulator simulator) {
        sim = simulator;
        client = new TestClient(simulator);
        sim.registerWebApp(TENANT, CLIENT, SECRET, "https://app.example.com/cb", null);
        sim.createMailbox(TENANT, ADA, "Ada Lovelace");
        sim.createMailbox(TENANT, SALES, "Sales");
        sim.createMailbox(TENANT, BOB, "Bob");
    }

    @Test
    void theControlApiRevokesAUsersSessions() {
        String refreshToken = sim.issueRefreshToken(TENANT, CLIENT, ADA, Set.of("Mail.Read"));
        TestClient.Response revoke = client.send("POST", "/_simulator/tokens/revoke", null,
                "{\"tenantId\":\"" + TENANT + "\",\"upn\":\"" + ADA + "\"}");
        assertEquals(204, revoke.status(), revoke.body());
        assertEquals(50173, refresh(refreshToken, "Mail.Read").json().path("error_codes").get(0).asInt());

        String second = sim.issueRefreshToken(TENANT, CLIENT, ADA, Set.of("Mail.Read"));
        client.send("POST", "/_simulator/tokens/revoke", null,
                "{\"tenantId\":\"" + TENANT + "\",\"upn\":\"" + ADA + "\",\"expire\":true}");
        assertEquals(70008, refresh(second, "Mail.Read").json().path("error_codes").get(0).asInt());
    }

    private TestClient.Response refresh(String refreshToken, String scope) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("grant_type", "refresh_token");
        fields.put("client_id", CLIENT);
        fields.put("client_secret", SECRET);
        fields.put("refresh_token", refreshToken);
        fields.put("scope", scope);
        return client.tokenRequest("common", fields);
    }

    private String token(Set<String> scopes) {
        TestClient.Response response = refresh(sim.issueRefreshToken(TENANT, CLIENT, ADA, scopes),
                String.join(" ", scopes) + " openid offline_access");
        assertEquals(200, response.status(), response.body());
        return response.json().path("access_token").asText();
    }

    @Test
    void meIsTheSignedInUsersMailboxAndScpDecides() {
        String token = token(Set.of("User.Read", "Mail.Read"));
        assertEquals("Mail.Read User.Read", TestClient.jwtPayload(token).path("scp").asText());
        assertEquals(ADA, TestClient.jwtPayload(token).path("upn").asText());

        assertEquals(ADA, client.get("/v1.0/me", token).json().path("userPrincipalName").asText());
        assertEquals(200, client.get("/v1.0/me/mailFolders/inbox/messages", token).status());
        TestClient.Response send = client.send("POST", "/v1.0/me/sendMail", token,
                "{\"message\":{\"subject\":\"x\",\"toRecipients\":[{\"emailAddress\":{\"address\":\"" + BOB + "\"}}]}}");
        assertEquals(403, send.status());
        assertEquals("ErrorAccessDenied", send.errorCode());
    }

    @Test
    void aSharedMailboxNeedsFullAccessAndTheSharedScope() {
        String withoutShared = token(Set.of("Mail.Read"));
        String withShared = token(Set.of("Mail.Read", "Mail.Read.Shared"));
        String path = "/v1.0/users/" + SALES + "/mailFolders/inbox/messages";

        assertEquals(403, client.get(path, withShared).status(), "no FullAccess yet");
        sim.grantMailboxAccess(SALES, ADA);
        assertEquals(403, client.get(path, withoutShared).status(), "Mail.Read alone does not open a shared mailbox");
        assertEquals(200, client.get(path, withShared).status());
        assertEquals(403, client.get("/v1.0/users/" + BOB + "/mailFolders/inbox/messages", withShared).status());
    }

    @Test
    void appOnlyTokensCannotUseMe() {
        String appToken = client.accessToken(TENANT, CLIENT, SECRET);
        TestClient.Response me = client.get("/v1.0/me/messages", appToken);
        assertEquals(400, me.status());
        assertTrue(me.body().contains("/me request is only valid with delegated authentication flow."));
    }

    @Test
    void refreshTokensRotateAndRevocationEndsThem() {
        String first = sim.issueRefreshToken(TENANT, CLIENT, ADA, Set.of("Mail.Read"));
        TestClient.Response answer = refresh(first, "Mail.Read offline_access");
        assertEquals(200, answer.status());
        String second = answer.json().path("refresh_token").asText();
        assertTrue(second.length() > 20 && !second.equals(first));

        // the used one is retired; asking for more than was granted needs consent
        assertEquals(70008, refresh(first, "Mail.Read offline_access").json().path("error_codes").get(0).asInt());
        TestClient.Response more = refresh(second, "Mail.Read Mail.Send offline_access");
        assertEquals("invalid_grant", more.json().path("error").asText());
        assertEquals(65001, more.json().path("error_codes").get(0).asInt());

        // an admin revokes ada's sessions: the refresh token and her access token stop working
        String access = answer.json().path("access_token").asText();
        sim.revokeSignInSessions(TENANT, ADA);
        TestClient.Response revoked = refresh(second, "Mail.Read offline_access");
        assertEquals(400, revoked.status());
        assertEquals(50173, revoked.json().path("error_codes").get(0).asInt());
        assertEquals(401, client.get("/v1.0/me/messages", access).status());
    }
}

package io.github.outlook365.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The authorize endpoint's sign-in page and the authorization code grant with PKCE. */
class SignInTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final String TENANT = "contoso.onmicrosoft.com";
    static final String CLIENT = "web-app";
    static final String SECRET = "web-secret";
    static final String REDIRECT = "https://app.example.com/cb";
    static final String ADA = "ada@contoso.onmicrosoft.com";
    static final String VERIFIER = "a-verifier-of-at-least-43-characters-0123456789";

    private TestClient client;
    private Outlook365Simulator sim;

    @BeforeEach
    void given(Outlook365Simulator simulator) {
        sim = simulator;
        client = new TestClient(simulator);
        sim.registerWebApp(TENANT, CLIENT, SECRET, REDIRECT, null);
        sim.createMailbox(TENANT, ADA, "Ada Lovelace");
    }

    private String authorizeUrl(String redirect) throws Exception {
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(VERIFIER.getBytes(StandardCharsets.US_ASCII)));
        return "/organizations/oauth2/v2.0/authorize?client_id=" + CLIENT + "&response_type=code&redirect_uri="
               + TestClient.enc(redirect) + "&scope=" + TestClient.enc("openid offline_access Mail.Read")
               + "&state=s1&code_challenge=" + challenge + "&code_challenge_method=S256";
    }

    /** Opens the page, picks ada, accepts; returns the query of the redirect. */
    private Map<String, String> signIn() throws Exception {
        TestClient.Response page = client.get(authorizeUrl(REDIRECT), null);
        assertEquals(200, page.status(), page.body());
        assertTrue(page.body().contains("Ada Lovelace (" + ADA + ")"));
        StringBuilder form = new StringBuilder("login=" + TestClient.enc(ADA) + "&consent=accept");
        Matcher hidden = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")
                .matcher(page.body());
        while (hidden.find()) {
            form.append('&').append(hidden.group(1)).append('=')
                    .append(TestClient.enc(hidden.group(2).replace("&amp;", "&")));
        }
        TestClient.Response answer = client.send(HttpRequest.newBuilder(
                URI.create(sim.baseUrl() + "/organizations/oauth2/v2.0/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build());
        assertEquals(302, answer.status(), answer.body());
        URI location = URI.create(answer.header("Location"));
        assertTrue(location.toString().startsWith(REDIRECT + "?"));
        Map<String, String> query = new LinkedHashMap<>();
        for (String part : location.getRawQuery().split("&")) {
            String[] kv = part.split("=", 2);
            query.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return query;
    }

    private TestClient.Response redeem(String code, String verifier) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("grant_type", "authorization_code");
        fields.put("client_id", CLIENT);
        fields.put("client_secret", SECRET);
        fields.put("code", code);
        fields.put("redirect_uri", REDIRECT);
        fields.put("scope", "openid offline_access Mail.Read");
        fields.put("code_verifier", verifier);
        return client.tokenRequest("organizations", fields);
    }

    @Test
    void withResponseModeFormPostTheAnswerIsAPageThatPostsCodeAndStateToTheRedirectUri() throws Exception {
        // given the sign-in page opened with response_mode=form_post, as MSAL4J asks
        TestClient.Response page = client.get(authorizeUrl(REDIRECT) + "&response_mode=form_post", null);
        StringBuilder form = new StringBuilder("login=" + TestClient.enc(ADA) + "&consent=accept");
        Matcher hidden = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">")
                .matcher(page.body());
        while (hidden.find()) {
            form.append('&').append(hidden.group(1)).append('=').append(TestClient.enc(hidden.group(2)));
        }

        // when ada accepts
        TestClient.Response answer = client.send(HttpRequest.newBuilder(
                URI.create(sim.baseUrl() + "/organizations/oauth2/v2.0/authorize"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build());

        // then Entra's answer is a page whose form posts the code and the state to the redirect URI when it loads
        assertEquals(200, answer.status(), answer.body());
        assertTrue(answer.header("Content-Type").startsWith("text/html"), answer.header("Content-Type"));
        assertTrue(answer.body().contains("<form method=\"POST\" name=\"hiddenform\" action=\"" + REDIRECT + "\">"),
                answer.body());
        assertTrue(answer.body().contains("<input type=\"hidden\" name=\"state\" value=\"s1\" />"), answer.body());
        Matcher code = Pattern.compile("<input type=\"hidden\" name=\"code\" value=\"([^\"]+)\" />").matcher(answer.body());
        assertTrue(code.find(), answer.body());
        assertTrue(answer.body().contains("document.forms[0].submit()"), answer.body());
        assertEquals(200, redeem(code.group(1), VERIFIER).status());
    }

    @Test
    void theCodeIsRedeemedOnceWithTheRightVerifier() throws Exception {
        Map<String, String> callback = signIn();
        assertEquals("s1", callback.get("state"));

        TestClient.Response wrong = redeem(callback.get("code"), "another-verifier-0123456789-0123456789-abcdef");
        assertEquals(400, wrong.status());
        assertEquals(501481, wrong.json().path("error_codes").get(0).asInt());

        // a code is spent by its first redemption, even a failed one, as in Entra
        TestClient.Response again = redeem(callback.get("code"), VERIFIER);
        assertEquals(54005, again.json().path("error_codes").get(0).asInt());

        TestClient.Response good = redeem(signIn().get("code"), VERIFIER);
        assertEquals(200, good.status(), good.body());
        assertEquals(ADA, TestClient.jwtPayload(good.json().path("id_token").asText()).path("preferred_username").asText());
        assertEquals("Mail.Read", TestClient.jwtPayload(good.json().path("access_token").asText()).path("scp").asText());
        assertTrue(good.json().path("refresh_token").asText().length() > 20);
        assertTrue(good.json().hasNonNull("client_info"));
    }

    @Test
    void anUnregisteredRedirectUriIsRefusedOnThePage() throws Exception {
        TestClient.Response page = client.get(authorizeUrl("https://evil.example.com/cb"), null);
        assertEquals(400, page.status());
        assertTrue(page.body().contains("AADSTS50011"), page.body());
    }
}

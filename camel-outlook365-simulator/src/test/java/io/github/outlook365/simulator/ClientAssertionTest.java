package io.github.outlook365.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The certificate credential at the token endpoint. The assertions are built by hand here on purpose: to make each one
 * wrong in exactly one way (MSAL4J only ever builds good ones; the component's tests use it).
 */
class ClientAssertionTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final String TENANT = "contoso.onmicrosoft.com";
    static final String CLIENT = "0a1b2c3d-aaaa-bbbb-cccc-ddddeeeeffff";
    static final KeyPair KEY = keyPair();
    static final X509Certificate CERTIFICATE = certificate(KEY, Instant.now().minusSeconds(3600),
            Instant.now().plusSeconds(86_400));
    static final KeyPair OTHER_KEY = keyPair();

    private Outlook365Simulator sim;
    private TestClient client;

    @BeforeEach
    void given(Outlook365Simulator simulator) {
        sim = simulator;
        client = new TestClient(simulator);
        sim.registerApp(TENANT, CLIENT, CERTIFICATE);
    }

    /** One assertion: header and payload as MSAL4J writes them, then changed by the test. */
    final class Assertion {
        final ObjectNode header = Json.object();
        final ObjectNode payload = Json.object();
        KeyPair signer = KEY;

        Assertion() {
            long now = Instant.now().getEpochSecond();
            header.put("alg", "RS256");
            header.put("typ", "JWT");
            header.put("x5t", standardBase64(digest("SHA-1", CERTIFICATE)));
            header.put("x5t#S256", standardBase64(digest("SHA-256", CERTIFICATE)));
            payload.put("aud", sim.baseUrl() + "/" + TENANT + "/oauth2/v2.0/token");
            payload.put("iss", CLIENT);
            payload.put("sub", CLIENT);
            payload.put("jti", java.util.UUID.randomUUID().toString());
            payload.put("nbf", now);
            payload.put("exp", now + 600);
        }

        String signed() {
            String input = b64url(Json.bytes(header)) + "." + b64url(Json.bytes(payload));
            try {
                Signature signature;
                if ("PS256".equals(header.path("alg").asText())) {
                    signature = Signature.getInstance("RSASSA-PSS");
                    signature.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
                } else {
                    signature = Signature.getInstance("SHA256withRSA");
                }
                signature.initSign(signer.getPrivate());
                signature.update(input.getBytes(StandardCharsets.US_ASCII));
                return input + "." + b64url(signature.sign());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private TestClient.Response redeem(String assertion) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("grant_type", "client_credentials");
        fields.put("client_id", CLIENT);
        fields.put("scope", TestClient.GRAPH_SCOPE);
        fields.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        fields.put("client_assertion", assertion);
        return client.tokenRequest(TENANT, fields);
    }

    @Test
    void aGoodAssertionGetsAnAppOnlyToken() {
        TestClient.Response response = redeem(new Assertion().signed());
        assertEquals(200, response.status(), response.body());
        assertEquals(CLIENT, TestClient.jwtPayload(response.json().path("access_token").asText()).path("appid").asText());
        // and the assertion is masked in what the simulator recorded
        assertTrue(sim.requests().get(0).body().contains("client_assertion=***"));
    }

    @Test
    void ps256AndBase64UrlThumbprintsAreAcceptedToo() {
        Assertion assertion = new Assertion();
        assertion.header.put("alg", "PS256");
        assertion.header.remove("x5t");
        assertion.header.put("x5t#S256", b64url(digest("SHA-256", CERTIFICATE)));
        TestClient.Response response = redeem(assertion.signed());
        assertEquals(200, response.status(), response.body());
    }

    static Stream<Arguments> badAssertions() {
        return Stream.of(
                bad("signed by another key", a -> a.signer = OTHER_KEY, 700027,
                        "The provided signature value did not match"),
                bad("unknown certificate", a -> {
                    X509Certificate other = certificate(OTHER_KEY, Instant.now().minusSeconds(60),
                            Instant.now().plusSeconds(3600));
                    a.header.put("x5t", b64url(digest("SHA-1", other)));
                    a.header.put("x5t#S256", b64url(digest("SHA-256", other)));
                    a.signer = OTHER_KEY;
                }, 700027, "The key was not found"),
                bad("no thumbprint header", a -> {
                    a.header.remove("x5t");
                    a.header.remove("x5t#S256");
                }, 700027, "The key was not found"),
                bad("audience of another endpoint", a -> a.payload.put("aud", "https://login.microsoftonline.com/"
                        + TENANT + "/oauth2/v2.0/token"), 700023, "audience claim does not match"),
                bad("iss is not the client", a -> a.payload.put("iss", "someone-else"), 700021,
                        "doesn't match 'client_id'"),
                bad("sub is not the client", a -> a.payload.put("sub", "someone-else"), 700021,
                        "doesn't match 'client_id'"),
                bad("expired", a -> a.payload.put("exp", Instant.now().minusSeconds(60).getEpochSecond()), 700024,
                        "not within its valid time range"),
                bad("not yet valid", a -> a.payload.put("nbf", Instant.now().plusSeconds(3600).getEpochSecond()),
                        700024, "not within its valid time range"),
                bad("HS256", a -> a.header.put("alg", "HS256"), 50027, "signing algorithm 'HS256'"));
    }

    private static Arguments bad(String name, Consumer<Assertion> change, int code, String text) {
        return Arguments.of(name, change, code, text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badAssertions")
    void aBadAssertionIsRefusedWithEntrasCode(String name, Consumer<Assertion> change, int code, String text) {
        Assertion assertion = new Assertion();
        change.accept(assertion);
        TestClient.Response response = redeem(assertion.signed());
        assertEquals(401, response.status(), response.body());
        assertEquals("invalid_client", response.json().path("error").asText());
        assertEquals(code, response.json().path("error_codes").get(0).asInt());
        assertTrue(response.json().path("error_description").asText().startsWith("AADSTS" + code + ": "));
        assertTrue(response.json().path("error_description").asText().contains(text), response.body());
    }

    @Test
    void anExpiredCertificateIsRefusedWithItsDates() {
        // given an app whose registered certificate has expired
        KeyPair key = keyPair();
        Instant end = Instant.now().minusSeconds(86_400).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        X509Certificate expired = certificate(key, end.minusSeconds(86_400 * 30L), end);
        sim.registerApp(TENANT, CLIENT, expired);
        Assertion assertion = new Assertion();
        assertion.header.put("x5t", b64url(digest("SHA-1", expired)));
        assertion.header.put("x5t#S256", b64url(digest("SHA-256", expired)));
        assertion.signer = key;

        TestClient.Response response = redeem(assertion.signed());

        assertEquals(401, response.status());
        assertTrue(response.body().contains("AADSTS700027: Client assertion contains an invalid signature. [Reason -"
                + " The key used is expired."), response.body());
        assertTrue(response.body().contains("End=" + end), response.body());
    }

    @Test
    void anExpiredSecretIsRefusedWith7000222() {
        sim.registerApp(TENANT, "expired-secret-app", "old-secret", Instant.now().minusSeconds(1));
        TestClient.Response response = client.tokenRequest(TENANT, "expired-secret-app", "old-secret",
                TestClient.GRAPH_SCOPE);
        assertEquals(401, response.status());
        assertEquals("invalid_client", response.json().path("error").asText());
        assertEquals(7000222, response.json().path("error_codes").get(0).asInt());
    }

    @Test
    void aSecretIsNotACertificateAppsCredential() {
        TestClient.Response response = client.tokenRequest(TENANT, CLIENT, "guess", TestClient.GRAPH_SCOPE);
        assertEquals(401, response.status());
        assertEquals(7000215, response.json().path("error_codes").get(0).asInt());
    }

    private static KeyPair keyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, new SecureRandom());
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate certificate(KeyPair key, Instant from, Instant until) {
        try {
            X500Name name = new X500Name("CN=test-app");
            return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                    BigInteger.valueOf(System.nanoTime()), Date.from(from), Date.from(until), name, key.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(key.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] digest(String algorithm, X509Certificate certificate) {
        try {
            return MessageDigest.getInstance(algorithm).digest(certificate.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String standardBase64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}

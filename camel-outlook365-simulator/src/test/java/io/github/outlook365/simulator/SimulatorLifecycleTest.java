package io.github.outlook365.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Start, trust store, extension behaviour. */
class SimulatorLifecycleTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @Test
    void theExtensionResolvesTheSimulatorAndResetsItBeforeEachTest(Outlook365Simulator simulator) {
        // given
        assertSame(SIMULATOR.simulator(), simulator);

        // then: nothing left over from other tests
        assertTrue(simulator.requests().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> simulator.folderId("alice@contoso.com", "inbox"));
        assertTrue(simulator.baseUrl().matches("https://localhost:\\d+"));
        assertEquals(simulator.port(), Integer.parseInt(simulator.baseUrl().substring("https://localhost:".length())));

        // and: leave some state behind for the next test
        simulator.createMailbox("t", "alice@contoso.com", "Alice");
    }

    @Test
    void theServerSetsTcpNoDelaySoAnAnswerDoesNotWaitForADelayedAck() {
        // given: a simulator started (the extension started it)
        assertNotNull(SIMULATOR.simulator());

        // then: the JDK's server was told to set TCP_NODELAY on its sockets (else each answer's body waits up to 40 ms
        // for the client's delayed ACK of its headers)
        assertEquals("true", System.getProperty("sun.net.httpserver.nodelay"));
    }

    @Test
    void theWrittenTrustStoreTrustsTheServer(@TempDir Path dir) throws Exception {
        // given
        Outlook365Simulator simulator = SIMULATOR.simulator();
        Path file = simulator.writeTrustStore(dir.resolve("sub/truststore.p12"), "changeit".toCharArray());

        // when
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            trustStore.load(in, "changeit".toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        HttpResponse<String> response = HttpClient.newBuilder().sslContext(context).build().send(
                HttpRequest.newBuilder(URI.create(simulator.baseUrl() + "/_simulator/health")).build(),
                HttpResponse.BodyHandlers.ofString());

        // then
        assertEquals(200, response.statusCode());
        X509Certificate certificate = (X509Certificate) trustStore.getCertificate("outlook365-simulator");
        assertNotNull(certificate);
        assertEquals("CN=localhost", certificate.getSubjectX500Principal().getName());
        assertTrue(certificate.getSubjectAlternativeNames().stream()
                .anyMatch(san -> san.equals(List.of(2, "localhost"))));
        assertTrue(certificate.getSubjectAlternativeNames().stream()
                .anyMatch(san -> san.equals(List.of(7, "127.0.0.1"))));
        certificate.checkValidity();
    }

    @Test
    void aSecondSimulatorRunsOnItsOwnPortAndStops() throws Exception {
        // given
        Outlook365Simulator second = Outlook365Simulator.start();
        int port = second.port();

        // when
        second.close();
        second.close();

        // then
        assertTrue(port > 0);
        HttpClient client = HttpClient.newBuilder().sslContext(second.clientSslContext()).build();
        assertThrows(java.io.IOException.class, () -> client.send(
                HttpRequest.newBuilder(URI.create(second.baseUrl() + "/_simulator/health"))
                        .timeout(java.time.Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void mainDerivesDisplayNames() {
        assertEquals("Alice Smith", Outlook365SimulatorMain.displayName("alice.smith@contoso.com"));
    }

    @Test
    void theCommandLineRegistersAnAppWithOnlyTheApplicationPermissionsAnAdminGranted(@TempDir Path dir) throws Exception {
        // given the stand-alone simulator started as the README says, with two application permissions
        Path trust = dir.resolve("trust.p12");
        try (Outlook365Simulator simulator = Outlook365SimulatorMain.start("--port", "0", "--tenant", "contoso",
                "--client-id", "my-app", "--client-secret", "my-secret", "--roles", "Mail.Read,Mail.Send",
                "--mailbox", "ada@contoso.example", "--truststore", trust.toString(), "--truststore-password", "pw")) {
            // when the app asks for a token
            String token = new TestClient(simulator).accessToken("contoso", "my-app", "my-secret");

            // then the token carries exactly those roles, the mailbox exists and the trust store was written
            List<String> roles = new java.util.ArrayList<>();
            TestClient.jwtPayload(token).path("roles").forEach(r -> roles.add(r.asText()));
            assertEquals(java.util.Set.of("Mail.Read", "Mail.Send"), java.util.Set.copyOf(roles));
            assertEquals(200, new TestClient(simulator).get("/v1.0/users/ada@contoso.example/mailFolders/inbox", token)
                    .status());
            assertTrue(Files.size(trust) > 0);
        }
    }

    @Test
    void theCommandLineRegistersAWebAppForSignIns() throws Exception {
        try (Outlook365Simulator simulator = Outlook365SimulatorMain.start("--port", "0", "--tenant", "contoso",
                "--client-id", "web-app", "--client-secret", "web-secret", "--redirect-uri",
                "http://localhost:8080/provisioning_/callback", "--delegated-permissions", "User.Read Mail.Read")) {
            TestClient.Response page = new TestClient(simulator).get("/contoso/oauth2/v2.0/authorize?client_id=web-app"
                    + "&response_type=code&redirect_uri=" + TestClient.enc("http://localhost:8080/provisioning_/callback")
                    + "&scope=" + TestClient.enc("openid Mail.Read") + "&state=s&code_challenge=abc"
                    + "&code_challenge_method=S256", null);
            assertEquals(200, page.status(), page.body());
        }
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "--bogus | Unknown argument: --bogus",
            "--port | --port needs a value",
            "--client-id a --client-secret b | --client-id, --client-secret and --mailbox need --tenant",
            "--tenant t --client-id a | --client-id and --client-secret go together",
            "--tenant t --roles Mail.Read | --roles, --redirect-uri and --delegated-permissions need --client-id",
            "--tenant t --client-id a --client-secret b --redirect-uri http://x/cb --roles Mail.Read"
            + " | --roles is for an app-only registration: a web app (--redirect-uri) takes --delegated-permissions" })
    void aBadCommandLineSaysWhatIsWrong(String args, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Outlook365SimulatorMain.start(args.trim().split(" ")));
        assertEquals(message, e.getMessage());
    }

    @Nested
    class NestedTests {

        @Test
        void nestedClassesShareTheSimulator(Outlook365Simulator simulator) {
            assertSame(SIMULATOR.simulator(), simulator);
            assertTrue(simulator.requests().isEmpty());
        }
    }
}

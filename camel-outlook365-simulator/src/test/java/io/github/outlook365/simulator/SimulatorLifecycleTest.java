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

    @Nested
    class NestedTests {

        @Test
        void nestedClassesShareTheSimulator(Outlook365Simulator simulator) {
            assertSame(SIMULATOR.simulator(), simulator);
            assertTrue(simulator.requests().isEmpty());
        }
    }
}

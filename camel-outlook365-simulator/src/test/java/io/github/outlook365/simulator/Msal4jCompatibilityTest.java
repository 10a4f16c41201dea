package io.github.outlook365.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalServiceException;

/** MSAL4J, the component's token client, against the simulator's Entra endpoints. */
class Msal4jCompatibilityTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final String TENANT = "6a1c3f0e-0000-4000-8000-00000000cafe";

    private static ConfidentialClientApplication app(Outlook365Simulator sim, String secret) throws Exception {
        return ConfidentialClientApplication.builder("msal-client", ClientCredentialFactory.createFromSecret(secret))
                .authority(sim.baseUrl() + "/" + TENANT + "/")
                .instanceDiscovery(false)
                .sslSocketFactory(sim.clientSslContext().getSocketFactory())
                .build();
    }

    @Test
    void acquiresATokenThatGraphAccepts(Outlook365Simulator sim) throws Exception {
        // given
        sim.registerApp(TENANT, "msal-client", "msal-secret");
        sim.createMailbox(TENANT, "alice@contoso.com", "Alice");

        // when
        IAuthenticationResult result = app(sim, "msal-secret").acquireToken(ClientCredentialParameters
                .builder(Set.of("https://graph.microsoft.com/.default")).build()).get();
        TestClient.Response inbox = new TestClient(sim).get("/v1.0/users/alice@contoso.com/mailFolders/inbox",
                result.accessToken());

        // then
        assertEquals(200, inbox.status(), inbox.body());
        assertTrue(result.expiresOnDate().getTime() > System.currentTimeMillis() + 3_000_000L);
        assertEquals(1, sim.tokenRequests());
    }

    @Test
    void reportsEntraErrorsAsMsalServiceExceptions(Outlook365Simulator sim) throws Exception {
        // given
        sim.registerApp(TENANT, "msal-client", "msal-secret");

        // when
        ExecutionException e = assertThrows(ExecutionException.class, () -> app(sim, "wrong").acquireToken(
                ClientCredentialParameters.builder(Set.of("https://graph.microsoft.com/.default")).build()).get());

        // then
        MsalServiceException cause = (MsalServiceException) e.getCause();
        assertEquals("invalid_client", cause.errorCode());
        assertEquals(401, cause.statusCode());
        assertTrue(cause.getMessage().startsWith("AADSTS7000215"), cause.getMessage());
    }
}

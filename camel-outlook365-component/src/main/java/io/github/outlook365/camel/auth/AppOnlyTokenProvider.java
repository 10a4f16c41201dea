package io.github.outlook365.camel.auth;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * App-only tokens from the client-credentials grant, through MSAL4J, with the app's client secret
 * ({@code authMode=clientCredentials}) or its certificate ({@code authMode=clientCertificate}: MSAL4J signs the client
 * assertion). Holds the token it got and
 * asks Entra ID again only when it is within {@code refreshMargin} of expiry: N polls and sends within a token's
 * lifetime cost one token request, whatever MSAL's own cache does.
 */
public final class AppOnlyTokenProvider implements TokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(AppOnlyTokenProvider.class);

    private final ConfidentialClientApplication app;
    private final Set<String> scopes;
    private final String clientId;
    private final String tenantId;
    private final Duration refreshMargin;
    private final Duration timeout;
    private final Clock clock;
    private final CertificateCredential certificate;
    private final AtomicLong tokenRequests = new AtomicLong();
    private volatile AccessToken current;

    public AppOnlyTokenProvider(AuthSettings settings, IClientCredential credential, HttpClient http, Clock clock) {
        this.clientId = settings.clientId();
        this.tenantId = settings.tenantId();
        this.scopes = Set.of(settings.appOnlyScope());
        this.refreshMargin = settings.refreshMargin();
        this.timeout = settings.timeout();
        this.clock = clock;
        this.certificate = settings.certificate();
        this.app = ConfidentialClients.build(settings, credential, http, null);
    }

    /** The credential of an app-only mode: its client secret or its certificate. */
    public static IClientCredential credentialOf(AuthSettings settings) {
        return switch (settings.authMode()) {
            case clientCertificate -> ClientCredentialFactory.createFromCertificateChain(
                    settings.certificate().privateKey(), settings.certificate().chain());
            default -> ClientCredentialFactory.createFromSecret(settings.clientSecret());
        };
    }

    @Override
    public synchronized AccessToken token() {
        AccessToken held = current;
        if (held != null && held.isValidFor(refreshMargin, clock.instant())) {
            return held;
        }
        tokenRequests.incrementAndGet();
        ClientCredentialParameters parameters = ClientCredentialParameters.builder(scopes)
                // our held token decides when to ask again; MSAL's cache would hide the request from our count
                .skipCache(true)
                .build();
        try {
            IAuthenticationResult result = app.acquireToken(parameters).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            AccessToken token = new AccessToken(result.accessToken(), result.expiresOnDate().toInstant());
            LOG.debug("Got an app-only token for clientId {} in tenant {}, valid until {}", clientId, tenantId,
                    token.expiresAt());
            current = token;
            return token;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Outlook365AuthenticationException("interrupted while asking Entra ID for a token", null, null, null, e);
        } catch (TimeoutException e) {
            throw new Outlook365AuthenticationException(
                    "Entra ID did not answer a token request within " + timeout.toSeconds() + " s", null, null, null, null);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof MsalServiceException mse) {
                Outlook365AuthenticationException refused = EntraErrors.toException(mse, clientId, tenantId);
                if (certificate != null) {
                    // say which certificate was refused: that is what the admin looks for in the portal
                    throw new Outlook365AuthenticationException(refused.getMessage() + " (configured certificate: "
                                                                + certificate.describe() + ", valid until "
                                                                + certificate.notAfter() + ")",
                            refused.getError(), refused.getAadstsCode(), refused.getHttpStatus(), null);
                }
                throw refused;
            }
            throw new Outlook365AuthenticationException(
                    "could not reach Entra ID for a token for clientId '" + clientId + "': " + cause.getClass().getSimpleName()
                                                        + ": " + cause.getMessage(),
                    null, null, null, cause);
        }
    }

    @Override
    public synchronized void invalidate(AccessToken rejected) {
        if (current == rejected) {
            current = null;
        }
    }

    @Override
    public long tokenRequests() {
        return tokenRequests.get();
    }
}

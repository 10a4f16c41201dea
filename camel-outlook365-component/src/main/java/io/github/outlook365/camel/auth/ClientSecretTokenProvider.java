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
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalServiceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * App-only tokens from the client-credentials grant with a client secret, through MSAL4J. Holds the token it got and
 * asks Entra ID again only when it is within {@code refreshMargin} of expiry: N polls and sends within a token's
 * lifetime cost one token request, whatever MSAL's own cache does.
 */
public final class ClientSecretTokenProvider implements TokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(ClientSecretTokenProvider.class);

    private final ConfidentialClientApplication app;
    private final Set<String> scopes;
    private final String clientId;
    private final String tenantId;
    private final Duration refreshMargin;
    private final Duration timeout;
    private final Clock clock;
    private final AtomicLong tokenRequests = new AtomicLong();
    private volatile AccessToken current;

    public ClientSecretTokenProvider(AuthSettings settings, HttpClient http, Clock clock) {
        this.clientId = settings.clientId();
        this.tenantId = settings.tenantId();
        this.scopes = Set.of(settings.graphEndpoint() + "/.default");
        this.refreshMargin = settings.refreshMargin();
        this.timeout = settings.timeout();
        this.clock = clock;
        try {
            ConfidentialClientApplication.Builder builder = ConfidentialClientApplication
                    .builder(settings.clientId(), ClientCredentialFactory.createFromSecret(settings.clientSecret()))
                    .authority(settings.authorityHost() + "/" + settings.tenantId() + "/")
                    .httpClient(new MsalHttpClient(http, settings.timeout()));
            if (settings.customAuthorityHost()) {
                // a proxy or the simulator: MSAL must not ask login.microsoftonline.com whether this host is an authority
                builder.instanceDiscovery(false).validateAuthority(false);
            }
            this.app = builder.build();
        } catch (java.net.MalformedURLException e) {
            throw new IllegalArgumentException(
                    "authorityHost '" + settings.authorityHost() + "' with tenantId '" + settings.tenantId()
                                               + "' is not a valid URL: set authorityHost to e.g. https://login.microsoftonline.com",
                    e);
        }
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
                throw EntraErrors.toException(mse, clientId, tenantId);
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

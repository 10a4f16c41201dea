package io.github.outlook365.camel.auth;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import com.microsoft.aad.msal4j.AuthorizationCodeParameters;
import com.microsoft.aad.msal4j.AuthorizationRequestUrlParameters;
import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAccount;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;
import com.microsoft.aad.msal4j.ITokenCacheAccessContext;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.Prompt;
import com.microsoft.aad.msal4j.RefreshTokenParameters;
import com.microsoft.aad.msal4j.ResponseMode;
import com.microsoft.aad.msal4j.SilentParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delegated tokens (authMode=authorizationCode) through MSAL4J: a sign-in URL with state and a PKCE S256 challenge, the
 * code redeemed with its verifier, then tokens from MSAL's cache and refresh token (acquireTokenSilently). MSAL's
 * serialized cache lives in a {@link TokenStore}, so a restart needs no new sign-in; a {@code refreshToken} option
 * seeds a deployment that never had a browser.
 */
public final class DelegatedTokenProvider implements TokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(DelegatedTokenProvider.class);
    private static final Duration SIGN_IN_VALIDITY = Duration.ofMinutes(15);
    private static final SecureRandom RANDOM = new SecureRandom();
    // refusals only a new sign-in cures: expired or revoked refresh token, an unknown one
    private static final Set<String> FINAL_REFUSALS = Set.of("70008", "50173", "9002313", "700082");

    /** A sign-in link and the state that will come back with its code. */
    public record SignInRequest(String url, String state) {
    }

    /** Who signed in. */
    public record SignedIn(String username, String tenantId, String scopes) {
    }

    private record PendingSignIn(String codeVerifier, Instant expiresAt) {
    }

    private final ConfidentialClientApplication app;
    private final DelegatedSettings delegated;
    private final Set<String> scopes;
    private final String clientId;
    private final String tenantId;
    private final String connectionId;
    private final String authority;
    private final Duration timeout;
    private final Duration refreshMargin;
    private final Clock clock;
    private final TokenStore store;
    private final Map<String, PendingSignIn> pending = new ConcurrentHashMap<>();
    private final AtomicLong tokenRequests = new AtomicLong();
    private volatile AccessToken current;
    private volatile boolean forceRefresh;
    private volatile boolean seedUsed;
    private volatile Outlook365AuthenticationException refused;

    public DelegatedTokenProvider(AuthSettings settings, TokenStore store, HttpClient http, Clock clock) {
        this.delegated = settings.delegated();
        this.clientId = settings.clientId();
        this.tenantId = settings.tenantId();
        this.connectionId = settings.authorityHost() + "|" + settings.tenantId() + "|" + settings.clientId();
        this.authority = settings.authorityHost() + "/" + settings.tenantId() + "/";
        this.timeout = settings.timeout();
        this.refreshMargin = settings.refreshMargin();
        this.clock = clock;
        this.store = store;
        Set<String> all = new LinkedHashSet<>(delegated.scopes());
        all.addAll(DelegatedSettings.SIGN_IN_SCOPES);
        this.scopes = Set.copyOf(all);
        this.app = ConfidentialClients.build(settings, ClientCredentialFactory.createFromSecret(settings.clientSecret()),
                http, new StoreBackedCache());
        // read the store now: a tampered or wrongly keyed store stops the route at start, it is never ignored
        String stored = store.load(connectionId);
        if (stored != null) {
            app.tokenCache().deserialize(stored);
            LOG.debug("Loaded the token cache of {} from {}", connectionId, store);
        }
    }

    /** Persists MSAL's cache whenever MSAL changed it (new tokens, rotated refresh token). */
    private final class StoreBackedCache implements ITokenCacheAccessAspect {
        @Override
        public void beforeCacheAccess(ITokenCacheAccessContext context) {
            // the cache was loaded once at start and is only changed through this application
        }

        @Override
        public void afterCacheAccess(ITokenCacheAccessContext context) {
            if (context.hasCacheChanged()) {
                try {
                    store.save(connectionId, context.tokenCache().serialize());
                } catch (RuntimeException e) {
                    LOG.error("Could not save the token cache to {}: after a restart someone will have to sign in again"
                              + " ({})", store, e.getMessage());
                }
            }
        }
    }

    /** A new sign-in link: state and PKCE verifier are kept here until the callback (or 15 minutes). */
    public SignInRequest authorizationUrl() {
        purgeExpired();
        String state = random(24);
        String verifier = random(48);
        String challenge;
        try {
            challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        pending.put(state, new PendingSignIn(verifier, clock.instant().plus(SIGN_IN_VALIDITY)));
        AuthorizationRequestUrlParameters parameters = AuthorizationRequestUrlParameters
                .builder(delegated.redirectUri().toString(), scopes)
                .state(state)
                .codeChallenge(challenge)
                .codeChallengeMethod("S256")
                .responseMode(ResponseMode.QUERY)
                .prompt(Prompt.SELECT_ACCOUNT)
                .build();
        return new SignInRequest(app.getAuthorizationRequestUrl(parameters).toString(), state);
    }

    /**
     * Redeems the code of a sign-in callback. The state must be one this connection handed out and not yet used.
     *
     * @throws IllegalArgumentException for a wrong, expired or reused state, or a missing code
     */
    public SignedIn completeAuthorization(String code, String state) {
        if (state == null || state.isBlank()) {
            throw new IllegalArgumentException("the sign-in callback has no state: the request did not come from a"
                                               + " sign-in link of this connection; start again with"
                                               + " outlook365:connection/authorizationUrl");
        }
        PendingSignIn signIn = pending.remove(state);
        if (signIn == null || clock.instant().isAfter(signIn.expiresAt())) {
            throw new IllegalArgumentException("the sign-in callback's state is not one this connection is waiting for"
                                               + " (forged, already used or older than " + SIGN_IN_VALIDITY.toMinutes()
                                               + " minutes): start again with outlook365:connection/authorizationUrl");
        }
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("the sign-in callback has no code: start again with"
                                               + " outlook365:connection/authorizationUrl");
        }
        AuthorizationCodeParameters parameters = AuthorizationCodeParameters.builder(code, delegated.redirectUri())
                .scopes(scopes)
                .codeVerifier(signIn.codeVerifier())
                .build();
        IAuthenticationResult result = await(app.acquireToken(parameters), "redeem the sign-in code");
        IAccount account = result.account();
        synchronized (this) {
            // one connection, one user: whoever signed in before is forgotten, and so is a refusal of their grant
            for (IAccount other : await(app.getAccounts(), "read the token cache")) {
                if (account != null && !other.homeAccountId().equals(account.homeAccountId())) {
                    await(app.removeAccount(other), "forget the previous account");
                }
            }
            refused = null;
            forceRefresh = false;
            remember(result);
        }
        LOG.info("Signed in to {} as {}", clientId, account != null ? account.username() : "(unknown account)");
        return new SignedIn(account != null ? account.username() : null,
                result.tenantProfile() != null && result.tenantProfile().getClaims() != null
                        && result.tenantProfile().getClaims().get("tid") != null
                        ? String.valueOf(result.tenantProfile().getClaims().get("tid")) : tenantId,
                result.scopes());
    }

    @Override
    public synchronized AccessToken token() {
        AccessToken held = current;
        if (held != null && !forceRefresh && held.isValidFor(refreshMargin, clock.instant())) {
            return held;
        }
        if (refused != null) {
            // Entra refused the grant for good (expired or revoked): asking again on every poll would only hammer the
            // login endpoint; a new sign-in clears this
            throw new Outlook365AuthenticationException(refused.getMessage(), refused.getError(),
                    refused.getAadstsCode(), refused.getHttpStatus(), null);
        }
        try {
            return refresh();
        } catch (Outlook365AuthenticationException e) {
            if (e.getAadstsCode() != null && FINAL_REFUSALS.contains(e.getAadstsCode())) {
                refused = e;
                current = null;
            }
            throw e;
        }
    }

    private AccessToken refresh() {
        IAuthenticationResult result;
        Set<IAccount> accounts = await(app.getAccounts(), "read the token cache");
        if (!accounts.isEmpty()) {
            IAccount account = accounts.iterator().next();
            try {
                // the authority again: MSAL would otherwise rebuild it from the account's environment, a host
                // without its port (wrong behind a proxy on another port, and for the simulator)
                SilentParameters parameters = SilentParameters.builder(scopes, account).authorityUrl(authority)
                        .forceRefresh(forceRefresh).build();
                tokenRequests.incrementAndGet();
                result = await(app.acquireTokenSilently(parameters), "refresh the token");
            } catch (java.net.MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        } else if (delegated.refreshToken() != null && !seedUsed) {
            tokenRequests.incrementAndGet();
            try {
                result = await(app.acquireToken(RefreshTokenParameters.builder(scopes, delegated.refreshToken()).build()),
                        "redeem the configured refreshToken");
            } catch (Outlook365AuthenticationException e) {
                // spent only when Entra ID answered and refused it; after a network error, a timeout, a 5xx or a 429
                // the seed was not redeemed and is tried again at the next attempt
                if (e.needsPerson() && !Integer.valueOf(429).equals(e.getHttpStatus())) {
                    seedUsed = true;
                }
                throw e;
            }
            seedUsed = true;
        } else {
            throw new Outlook365AuthenticationException("no user has signed in to this connection (clientId '" + clientId
                                                        + "', tenant '" + tenantId + "') yet: open the link from"
                                                        + " outlook365:connection/authorizationUrl and complete the"
                                                        + " sign-in, or set refreshToken",
                    "interaction_required", null, null, null);
        }
        forceRefresh = false;
        return remember(result);
    }

    private AccessToken remember(IAuthenticationResult result) {
        AccessToken token = new AccessToken(result.accessToken(), result.expiresOnDate().toInstant());
        current = token;
        return token;
    }

    @Override
    public synchronized void invalidate(AccessToken rejected) {
        if (current == rejected) {
            current = null;
            forceRefresh = true;
        }
    }

    @Override
    public long tokenRequests() {
        return tokenRequests.get();
    }

    /** The account signed in, or null. */
    public String signedInUser() {
        Set<IAccount> accounts = await(app.getAccounts(), "read the token cache");
        return accounts.isEmpty() ? null : accounts.iterator().next().username();
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Outlook365AuthenticationException("interrupted while trying to " + what, null, null, null, e);
        } catch (TimeoutException e) {
            throw new Outlook365AuthenticationException("Entra ID did not answer within " + timeout.toSeconds()
                                                        + " s when trying to " + what, null, null, null, null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof MsalServiceException mse) {
                throw EntraErrors.toException(mse, clientId, tenantId);
            }
            throw new Outlook365AuthenticationException("could not " + what + " for clientId '" + clientId + "': "
                                                        + cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                    null, null, null, cause);
        }
    }

    private void purgeExpired() {
        Instant now = clock.instant();
        pending.values().removeIf(p -> now.isAfter(p.expiresAt()));
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}

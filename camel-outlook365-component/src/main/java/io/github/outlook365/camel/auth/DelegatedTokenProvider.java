package io.github.outlook365.camel.auth;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
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
import io.github.outlook365.camel.support.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Delegated tokens (authMode=authorizationCode) through MSAL4J: a sign-in URL with state and a PKCE S256 challenge, the
 * code redeemed with its verifier, then tokens from MSAL's cache and refresh token (acquireTokenSilently). MSAL's
 * serialized cache lives in a {@link TokenStore}, so a restart needs no new sign-in; a {@code refreshToken} option
 * seeds a deployment that never had a browser.
 * <p>
 * The sign-in faces the network, so it is guarded (OAuth 2.0 Security BCP): starting one needs the one-time setup
 * token this provider announces on the {@code outlook365.setup} logger (unless {@code requireSetupToken=false}); each
 * sign-in is bound to the browser that started it ({@link PendingSignIns}, {@link SignInCookie}); a sign-in as someone
 * the connection does not expect ({@code expectedAccount}, {@code expectedTenant}), or as another user than the one it
 * has, is refused and changes nothing ({@code allowAccountSwitch} permits the latter). Links that are published (health,
 * JMX, alerts) are the sign-in page's, {@link #signInLink()}: never an authorize URL with a live state.
 */
public final class DelegatedTokenProvider implements TokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(DelegatedTokenProvider.class);
    // the one place the setup token is written: route it to a log only the operators read
    private static final Logger SETUP = LoggerFactory.getLogger("outlook365.setup");
    // refusals only a new sign-in cures: expired or revoked refresh token, an unknown one
    private static final Set<String> FINAL_REFUSALS = Set.of("70008", "50173", "9002313", "700082");

    /**
     * A sign-in just started: the authorize URL to send the browser to, its state, and the Set-Cookie header value
     * that binds the sign-in to that browser.
     */
    public record SignInRequest(String url, String state, String setCookie) {
    }

    /** Who signed in. */
    public record SignedIn(String username, String tenantId, String scopes) {
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
    private final PendingSignIns pending;
    private final AtomicLong tokenRequests = new AtomicLong();
    private volatile AccessToken current;
    private volatile boolean forceRefresh;
    private volatile boolean seedUsed;
    private volatile Outlook365AuthenticationException refused;
    private volatile String setupToken = PendingSignIns.random(24);
    // the connections that share this sign-in (a user's own mailbox and the shared ones they open) hear of each sign-in
    private final List<Consumer<String>> signInListeners = new CopyOnWriteArrayList<>();
    // anyone who reaches the sign-in page or its callback can cause these: at most a line a minute each, with a count
    private final RateLimitedLog refusedStarts = new RateLimitedLog(LOG, Level.WARN,
            "sign-in pages refused for want of the setup token");
    private final RateLimitedLog refusedCallbacks = new RateLimitedLog(LOG, Level.WARN,
            "sign-in callbacks refused (no state, a state not waited for, another browser, no code)");
    private final RateLimitedLog failedCallbacks = new RateLimitedLog(LOG, Level.WARN,
            "sign-in callbacks with an error from Entra ID");
    private final RateLimitedLog refusedUsers = new RateLimitedLog(LOG, Level.WARN,
            "sign-ins refused for the user who signed in");

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
        this.pending = new PendingSignIns(clock);
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

    /**
     * Starts a sign-in for the browser asking: state and PKCE verifier are kept here until the callback (at most 10
     * minutes, at most 20 waiting), and the returned cookie binds the sign-in to that browser.
     *
     * @param  givenSetupToken        the setup token the person brought (the {@code setupToken} query parameter)
     * @throws SignInRefusedException (403) without the current setup token, unless requireSetupToken=false
     */
    public SignInRequest startSignIn(String givenSetupToken) {
        if (delegated.signIn().requireSetupToken() && !setupTokenMatches(givenSetupToken)) {
            throw refused(refusedStarts, 403, "this sign-in page needs the setup token: open the sign-in link from"
                                              + " the application's log (logger outlook365.setup, 'Outlook 365"
                                              + " sign-in for ...: open " + signInLink() + "?setupToken=...'). The"
                                              + " token changes after each completed sign-in and at each start"
                                              + " (option requireSetupToken)");
        }
        PendingSignIns.Started started = pending.start();
        AuthorizationRequestUrlParameters parameters = AuthorizationRequestUrlParameters
                .builder(delegated.redirectUri().toString(), scopes)
                .state(started.state())
                .codeChallenge(started.codeChallenge())
                .codeChallengeMethod("S256")
                // Entra posts the code back in a form (Microsoft's recommendation for web apps, and MSAL4J's only
                // mode now): it stays out of URLs, browser history and proxy logs
                .responseMode(ResponseMode.FORM_POST)
                .prompt(Prompt.SELECT_ACCOUNT)
                .build();
        return new SignInRequest(app.getAuthorizationRequestUrl(parameters).toString(), started.state(),
                SignInCookie.set(started.state(), started.binding(), delegated.redirectUri()));
    }

    /**
     * Redeems the code of a sign-in callback. The state must be one this connection handed out and not yet used, to the
     * browser whose cookies are {@code cookieHeader}; the user who signed in must be one the connection accepts.
     *
     * @throws SignInRefusedException for a wrong, expired or reused state, another browser, a missing code (nothing
     *                                is redeemed), or a user the connection does not accept (redeemed, then
     *                                forgotten: the connection keeps whom it had)
     */
    public SignedIn completeAuthorization(String code, String state, String cookieHeader) {
        if (state == null || state.isBlank()) {
            throw refused(refusedCallbacks, 400, "the sign-in callback has no state: the request did not come from a"
                                                 + " sign-in this connection started; start again at the sign-in page"
                                                 + " (/provisioning_/signin)");
        }
        String verifier;
        try {
            verifier = pending.take(state, SignInCookie.find(cookieHeader, state));
        } catch (SignInRefusedException e) {
            throw refused(refusedCallbacks, e.getHttpStatus(), e.getMessage());
        }
        if (code == null || code.isBlank()) {
            throw refused(refusedCallbacks, 400, "the sign-in callback has no code: start again at the sign-in page"
                                                 + " (/provisioning_/signin)");
        }
        AuthorizationCodeParameters parameters = AuthorizationCodeParameters.builder(code, delegated.redirectUri())
                .scopes(scopes)
                .codeVerifier(verifier)
                .build();
        IAccount account;
        IAuthenticationResult result;
        String user;
        String tenant;
        // one lock with token(): no refresh may pick up a user this sign-in is about to refuse
        synchronized (this) {
            Set<IAccount> before = await(app.getAccounts(), "read the token cache");
            result = await(app.acquireToken(parameters), "redeem the sign-in code");
            account = result.account();
            user = account != null ? account.username() : null;
            // the signed-in user's directory: the ID token's tid (Entra signed it; MSAL checked where it came from)
            tenant = Permissions.claim(result.idToken(), "tid");
            if (tenant == null) {
                tenant = Permissions.claim(result.accessToken(), "tid");
            }
            String refusal = refusal(before, account, user, tenant);
            if (refusal != null) {
                if (account != null && before.stream().noneMatch(a -> a.homeAccountId().equals(account.homeAccountId()))) {
                    await(app.removeAccount(account), "forget the refused sign-in");
                }
                refusedUsers.log("Refused a sign-in to {} as {}: {}", clientId, UntrustedText.clean(user), refusal);
                throw new SignInRefusedException(409, refusal);
            }
            // one connection, one user: a switch allowed by allowAccountSwitch forgets the one before
            for (IAccount other : before) {
                if (account != null && !other.homeAccountId().equals(account.homeAccountId())) {
                    await(app.removeAccount(other), "forget the previous account");
                }
            }
            refused = null;
            forceRefresh = false;
            remember(result);
            // a completed sign-in ends every other one waiting, and the setup token that started it
            pending.clear();
            setupToken = PendingSignIns.random(24);
        }
        // the setup token just used is spent; its successor is written when a sign-in is needed again (BROKEN), at the
        // next start, or when an operator asks (JMX operation inviteSignIn): not after every sign-in, where it would be
        // a live token in the log that nobody needs
        LOG.info("Signed in to {} as {}", clientId, user != null ? UntrustedText.clean(user) : "(unknown account)");
        signInListeners.forEach(listener -> listener.accept(user));
        return new SignedIn(user, tenant != null ? tenant : tenantId, result.scopes());
    }

    /**
     * A sign-in callback that brings Entra ID's error instead of a code (the person declined, consent is missing, or
     * anyone made up the request): nothing is redeemed. The parameters come from whoever sent the browser here, so they
     * are cleaned of line breaks and control characters.
     *
     * @return the refusal to throw, already logged (at most once a minute, with a count of the rest)
     */
    public SignInRefusedException callbackError(String error, String description) {
        return refused(failedCallbacks, 400, "the sign-in did not complete: Entra ID answered "
                                             + UntrustedText.clean(error)
                                             + (description != null ? " (" + UntrustedText.clean(firstLine(description))
                                                                      + ")" : "")
                                             + "; start again at the sign-in page (" + signInLink()
                                             + "), or have an admin consent (outlook365:connection/adminConsentUrl)");
    }

    /** Writes the counts of refusals not logged yet: the component stops. */
    public void flushRefusalLogs() {
        refusedStarts.flush();
        refusedCallbacks.flush();
        failedCallbacks.flush();
        refusedUsers.flush();
    }

    /** A refusal of the sign-in page or callback, logged through its kind's limiter. */
    private SignInRefusedException refused(RateLimitedLog kind, int status, String message) {
        kind.log("Refused a sign-in request to {} ({}): {}", clientId, status, message);
        return new SignInRefusedException(status, message);
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).trim();
    }

    /** Why the user who just signed in is not accepted, or null when accepted. */
    private String refusal(Set<IAccount> before, IAccount account, String user, String tenant) {
        DelegatedSettings.SignInPolicy policy = delegated.signIn();
        String who = user != null ? UntrustedText.clean(user) : "an account without a user name";
        if (policy.expectedAccount() != null && (user == null || !user.equalsIgnoreCase(policy.expectedAccount()))) {
            return "the sign-in was refused: " + who + " signed in, but this connection accepts only "
                   + policy.expectedAccount() + " (option expectedAccount). Sign out of Microsoft in this browser,"
                   + " open the sign-in page again and sign in as " + policy.expectedAccount();
        }
        if (policy.expectedTenant() != null && (tenant == null || !tenant.equalsIgnoreCase(policy.expectedTenant()))) {
            return "the sign-in was refused: " + who + " of tenant " + UntrustedText.clean(tenant) + " signed in, but"
                   + " this connection accepts only users of tenant " + policy.expectedTenant()
                   + " (option expectedTenant). Sign in with an account of that tenant";
        }
        if (!policy.allowAccountSwitch() && account != null && !before.isEmpty()
                && before.stream().noneMatch(a -> a.homeAccountId().equals(account.homeAccountId()))) {
            String previous = UntrustedText.clean(before.iterator().next().username());
            return "the sign-in was refused: this connection is signed in as " + previous + ", and " + who
                   + " signed in; its routes would silently work on another mailbox. Sign in as " + previous
                   + ", or, to change the user on purpose, set allowAccountSwitch=true (or delete the token store)"
                   + " and sign in again";
        }
        return null;
    }

    private boolean setupTokenMatches(String given) {
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                setupToken.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The sign-in page, {@code signin} next to the redirect URI (https://host/provisioning_/signin for
     * https://host/provisioning_/callback): the link health, JMX, events and alerts carry. It holds no state and no
     * setup token.
     */
    public String signInLink() {
        return delegated.redirectUri().resolve("signin").toString();
    }

    /** The redirect URI sign-ins come back to. */
    public java.net.URI redirectUri() {
        return delegated.redirectUri();
    }

    /**
     * Writes the sign-in link with the current setup token to the {@code outlook365.setup} logger, the one place it
     * appears (a person needs it to start a sign-in; health, JMX and alerts show the link without it). The connection
     * calls it at its start and whenever it turns BROKEN; the JMX operation {@code inviteSignIn} on request. A completed
     * sign-in spends the token without writing the next one.
     */
    public void inviteSignIn(String why) {
        String connection = clientId + "@" + tenantId;
        if (delegated.signIn().requireSetupToken()) {
            SETUP.info("Outlook 365 sign-in for {} ({}): open {}?setupToken={} in a browser; the setup token works until"
                       + " someone completes a sign-in", connection, why, signInLink(), setupToken);
        } else {
            SETUP.info("Outlook 365 sign-in for {} ({}): open {} in a browser (requireSetupToken=false: the setup routes"
                       + " must be protected otherwise)", connection, why, signInLink());
        }
    }

    /** Hears of each completed sign-in, with the user's name: a connection then works again. */
    public void addSignInListener(Consumer<String> listener) {
        signInListeners.add(listener);
    }

    /** Sign-ins started and not yet completed (at most 20, each for at most 10 minutes). */
    public int pendingSignIns() {
        return pending.size();
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
            throw new NotSignedInException("nobody has signed in to this connection (clientId '" + clientId + "', tenant '"
                                           + tenantId + "') yet: open the sign-in page " + signInLink() + " with the"
                                           + " setup token from the log (logger outlook365.setup) and sign in, or set"
                                           + " refreshToken");
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

}

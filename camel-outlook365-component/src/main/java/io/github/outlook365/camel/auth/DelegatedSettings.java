package io.github.outlook365.camel.auth;

import java.net.URI;
import java.util.Set;

/**
 * What authMode=authorizationCode needs beyond the app-only settings.
 *
 * @param scopes       the Graph permissions asked for, by short name (Mail.Read, ...); openid, profile and
 *                     offline_access are always added
 * @param refreshToken a refresh token to start from (headless deployments), or null
 * @param tokenStore   a file path, "#beanName" of a {@link TokenStore}, or null (memory only)
 * @param signIn       who may sign in, and how a sign-in starts
 */
public record DelegatedSettings(URI redirectUri, Set<String> scopes, String refreshToken, String tokenStore,
        String tokenStoreKey, SignInPolicy signIn) {

    /**
     * Who may sign in to the connection and how a sign-in starts.
     *
     * @param expectedAccount    the only user (UPN) who may sign in, or null for anyone
     * @param expectedTenant     the only tenant (directory id) whose users may sign in, or null for any
     * @param allowAccountSwitch whether a sign-in as another user than the connection's replaces it (else refused)
     * @param requireSetupToken  whether starting a sign-in needs the setup token the log shows
     */
    public record SignInPolicy(String expectedAccount, String expectedTenant, boolean allowAccountSwitch,
            boolean requireSetupToken) {

        /** Anyone may sign in once; another user never replaces the first; the setup token is required. */
        public static SignInPolicy defaults() {
            return new SignInPolicy(null, null, false, true);
        }
    }

    /** Always asked for: an id token (who signed in) and a refresh token. */
    public static final Set<String> SIGN_IN_SCOPES = Set.of("openid", "profile", "offline_access");

    @Override
    public String toString() {
        // never the refresh token or the store key
        return "DelegatedSettings[redirectUri=" + redirectUri + ", scopes=" + scopes + ", tokenStore=" + tokenStore
               + (refreshToken != null ? ", refreshToken=***" : "") + ", signIn=" + signIn + "]";
    }
}

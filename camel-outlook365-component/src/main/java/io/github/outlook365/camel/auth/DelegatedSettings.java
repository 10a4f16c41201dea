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
 */
public record DelegatedSettings(URI redirectUri, Set<String> scopes, String refreshToken, String tokenStore,
        String tokenStoreKey) {

    /** Always asked for: an id token (who signed in) and a refresh token. */
    public static final Set<String> SIGN_IN_SCOPES = Set.of("openid", "profile", "offline_access");

    @Override
    public String toString() {
        // never the refresh token or the store key
        return "DelegatedSettings[redirectUri=" + redirectUri + ", scopes=" + scopes + ", tokenStore=" + tokenStore
               + (refreshToken != null ? ", refreshToken=***" : "") + "]";
    }
}

package io.github.outlook365.camel.auth;

import java.time.Duration;

/**
 * What a token provider needs, resolved from the configuration (environment defaults applied).
 *
 * @param certificate         the certificate credential of authMode=clientCertificate, else null
 * @param delegated           the sign-in settings of authMode=authorizationCode, else null
 * @param customAuthorityHost true when authorityHost was overridden (a proxy or the simulator), so MSAL skips instance
 *                            discovery against Microsoft's hosts
 */
public record AuthSettings(AuthMode authMode, String clientId, String clientSecret, CertificateCredential certificate,
        String tenantId, String authorityHost,
        String graphEndpoint, boolean customAuthorityHost, Duration refreshMargin, Duration timeout,
        DelegatedSettings delegated) {

    /** The app-only scope: {graphEndpoint}/.default, the Graph of the environment (or the override). */
    public String appOnlyScope() {
        return graphEndpoint + "/.default";
    }

    @Override
    public String toString() {
        // never print the secret
        return "AuthSettings[authMode=" + authMode + ", clientId=" + clientId + ", tenantId=" + tenantId
               + (certificate != null ? ", certificate=" + certificate.thumbprint() : "")
               + (delegated != null ? ", " + delegated : "")
               + ", authorityHost=" + authorityHost + ", graphEndpoint=" + graphEndpoint + "]";
    }
}

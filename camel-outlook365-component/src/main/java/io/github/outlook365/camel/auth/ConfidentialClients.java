package io.github.outlook365.camel.auth;

import java.net.MalformedURLException;
import java.net.http.HttpClient;

import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.ITokenCacheAccessAspect;

/**
 * Builds the MSAL4J application of a connection the same way for every mode: the authority from authorityHost and
 * tenantId, the connection's HTTP client, and no instance discovery against Microsoft when the host was overridden.
 */
final class ConfidentialClients {

    private ConfidentialClients() {
    }

    static ConfidentialClientApplication build(AuthSettings settings, IClientCredential credential, HttpClient http,
                                               ITokenCacheAccessAspect cache) {
        try {
            ConfidentialClientApplication.Builder builder = ConfidentialClientApplication
                    .builder(settings.clientId(), credential)
                    .authority(settings.authorityHost() + "/" + settings.tenantId() + "/")
                    .httpClient(new MsalHttpClient(http, settings.timeout()));
            if (settings.customAuthorityHost()) {
                // a proxy or the simulator: MSAL must not ask login.microsoftonline.com whether this host is an authority
                builder.instanceDiscovery(false).validateAuthority(false);
            }
            if (cache != null) {
                builder.setTokenCacheAccessAspect(cache);
            }
            return builder.build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(
                    "authorityHost '" + settings.authorityHost() + "' with tenantId '" + settings.tenantId()
                                               + "' is not a valid URL: set authorityHost to e.g. https://login.microsoftonline.com",
                    e);
        }
    }
}

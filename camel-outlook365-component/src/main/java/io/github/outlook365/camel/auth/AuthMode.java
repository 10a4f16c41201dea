package io.github.outlook365.camel.auth;

/**
 * How the component proves who it is to Microsoft Entra ID.
 */
public enum AuthMode {
    /**
     * App-only: OAuth 2.0 client-credentials grant with the app registration's client secret.
     */
    clientCredentials,
    /**
     * App-only: OAuth 2.0 client-credentials grant with a client assertion signed by the app registration's certificate
     * (MSAL4J builds and signs it).
     */
    clientCertificate,
    /**
     * Delegated ("bring your own OAuth app"): a user signs in once in a browser (authorization code with PKCE and
     * state), then refresh tokens keep the connection going; it acts as that user.
     */
    authorizationCode;

    /** True for the app-only modes, where the app acts as itself and needs an account. */
    public boolean appOnly() {
        return this != authorizationCode;
    }
}

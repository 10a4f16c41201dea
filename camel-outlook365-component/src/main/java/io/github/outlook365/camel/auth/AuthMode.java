package io.github.outlook365.camel.auth;

/**
 * How the component proves who it is to Microsoft Entra ID.
 */
public enum AuthMode {
    /**
     * App-only: OAuth 2.0 client-credentials grant with the app registration's client secret.
     */
    clientCredentials
}

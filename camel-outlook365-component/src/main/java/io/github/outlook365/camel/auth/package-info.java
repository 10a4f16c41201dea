/**
 * Signing in to Microsoft Entra ID, always through MSAL4J: app-only with a client secret or a certificate
 * ({@link io.github.outlook365.camel.auth.AppOnlyTokenProvider}), delegated with the authorization-code flow, PKCE and
 * rotating refresh tokens kept in a token store ({@link io.github.outlook365.camel.auth.DelegatedTokenProvider}).
 * Also the table of what Entra ID's AADSTS codes mean ({@link io.github.outlook365.camel.auth.EntraErrors}), and what
 * a token grants against what an operation needs ({@link io.github.outlook365.camel.auth.Permissions},
 * {@link io.github.outlook365.camel.auth.GraphPermission}). No secret, token or key leaves this package in a message.
 */
package io.github.outlook365.camel.auth;

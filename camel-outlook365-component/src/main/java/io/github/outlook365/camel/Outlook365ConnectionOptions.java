package io.github.outlook365.camel;

import io.github.outlook365.camel.auth.AuthMode;
import io.github.outlook365.camel.auth.CloudEnvironment;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The connection options: who signs in where, and how the connection calls Graph. They apply to every trigger and
 * action, and are the base of the endpoint's options ({@link Outlook365Configuration}), as camel-netty's
 * configuration extends its server bootstrap configuration.
 * <p>
 * Used as a bean, this is a named connection (YAML {@code beans:} or Java) for endpoints with
 * {@code connection=#name}: it accepts the connection options only. Every endpoint that names the same bean shares
 * one connection: one token store, one Graph client, one throttle budget, one state; trigger and action options stay
 * on the endpoint.
 *
 * <pre>
 * - beans:
 *     - name: sales
 *       type: io.github.outlook365.camel.Outlook365ConnectionOptions
 *       properties:
 *         tenantId: "{{env:SALES_TENANT_ID}}"
 *         clientId: "{{env:SALES_CLIENT_ID}}"
 *         clientSecret: "{{env:SALES_CLIENT_SECRET}}"
 *         account: sales@contoso.com
 * - route:
 *     from:
 *       uri: outlook365:mail/received?connection=#sales
 * </pre>
 */
// no @UriParams here: Camel's tooling would read the option connection (of this type) as a group of nested options;
// the endpoint's configuration, which extends this class, carries the annotation and these fields with it
public class Outlook365ConnectionOptions implements Cloneable {

    @UriParam(label = "common,security", defaultValue = "clientCredentials")
    private AuthMode authMode = AuthMode.clientCredentials;

    @UriParam(label = "common,security")
    private String clientId;

    @UriParam(label = "common,security", secret = true)
    private String clientSecret;

    @UriParam(label = "common,security", secret = true)
    private String certificate;

    @UriParam(label = "common,security")
    private String certificateFile;

    @UriParam(label = "common,security", secret = true)
    private String certificatePassword;

    @UriParam(label = "common,security")
    private String redirectUri;

    @UriParam(label = "common,security")
    private String scopes;

    @UriParam(label = "common,security", secret = true)
    private String refreshToken;

    @UriParam(label = "common,security")
    private String tokenStore;

    @UriParam(label = "common,security", secret = true)
    private String tokenStoreKey;

    @UriParam(label = "common,security")
    private String expectedAccount;

    @UriParam(label = "common,security")
    private String expectedTenant;

    @UriParam(label = "common,security", defaultValue = "false")
    private boolean allowAccountSwitch;

    @UriParam(label = "common,security", defaultValue = "true")
    private boolean requireSetupToken = true;

    @UriParam(label = "common,security")
    private String tenantId;

    @UriParam(label = "common")
    private String account;

    @UriParam(label = "common", defaultValue = "office365")
    private CloudEnvironment environment = CloudEnvironment.office365;

    @UriParam(label = "common,advanced")
    private String authorityHost;

    @UriParam(label = "common,advanced")
    private String graphEndpoint;

    @UriParam(label = "common,advanced,security")
    private SSLContextParameters sslContextParameters;

    @UriParam(label = "common,advanced", defaultValue = "4")
    private int maxRetries = 4;

    @UriParam(label = "common,advanced", defaultValue = "60000", javaType = "long")
    private long maxRetryDelay = 60_000;

    @UriParam(label = "common,advanced", defaultValue = "60000", javaType = "long")
    private long requestTimeout = 60_000;

    @UriParam(label = "common,advanced", defaultValue = "4")
    private int maxConcurrentRequests = 4;

    @UriParam(label = "common,advanced", defaultValue = "5000", javaType = "long")
    private long reconnectDelay = 5_000;

    @UriParam(label = "common,advanced", defaultValue = "300000", javaType = "long")
    private long reconnectMaxDelay = 300_000;

    @UriParam(label = "common,advanced", defaultValue = "30")
    private int certificateExpiryWarningDays = 30;

    public AuthMode getAuthMode() {
        return authMode;
    }

    /**
     * How the component signs in to Microsoft Entra ID. clientCredentials: app-only, with the app registration's client
     * secret (needs clientId, clientSecret, tenantId and account). clientCertificate: app-only, with a certificate of
     * the app registration (needs clientId, certificate or certificateFile, certificatePassword, tenantId and account).
     * authorizationCode: delegated, a user signs in once in a browser and the connection acts as that user (needs
     * clientId, clientSecret and redirectUri; tenantId defaults to common; account optional, for a shared mailbox).
     */
    public void setAuthMode(AuthMode authMode) {
        this.authMode = authMode;
    }

    public String getClientId() {
        return clientId;
    }

    /**
     * The Application (client) ID of the app registration in Microsoft Entra ID.
     */
    public void setClientId(String clientId) {
        this.clientId = clientId;
    }

    public String getClientSecret() {
        return clientSecret;
    }

    /**
     * The client secret's Value (not its Secret ID) from 'Certificates & secrets' of the app registration. Use a
     * property placeholder such as {{env:OUTLOOK365_CLIENT_SECRET}} rather than writing it into a route.
     */
    public void setClientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
    }

    public String getCertificate() {
        return certificate;
    }

    /**
     * authMode=clientCertificate: the app's certificate with its private key, as the base64 of a PKCS#12 (.pfx) file
     * (e.g. the output of base64 -w0 app.pfx). Use a property placeholder such as {{env:OUTLOOK365_CERTIFICATE}}. The
     * certificate itself (.cer) must be uploaded under 'Certificates & secrets' of the app registration.
     */
    public void setCertificate(String certificate) {
        this.certificate = certificate;
    }

    public String getCertificateFile() {
        return certificateFile;
    }

    /**
     * authMode=clientCertificate: path of a PKCS#12 (.pfx) file holding the app's certificate and its private key,
     * instead of certificate.
     */
    public void setCertificateFile(String certificateFile) {
        this.certificateFile = certificateFile;
    }

    public String getCertificatePassword() {
        return certificatePassword;
    }

    /**
     * authMode=clientCertificate: the password of the PKCS#12 (.pfx); leave it empty for a file without one.
     */
    public void setCertificatePassword(String certificatePassword) {
        this.certificatePassword = certificatePassword;
    }

    public String getRedirectUri() {
        return redirectUri;
    }

    /**
     * authMode=authorizationCode: where Microsoft sends the browser back after sign-in, with the code and state (e.g.
     * https://camel.example.com/provisioning_/callback). Must be registered exactly so under 'Authentication' (Web
     * platform) of the app registration.
     */
    public void setRedirectUri(String redirectUri) {
        this.redirectUri = redirectUri;
    }

    public String getScopes() {
        return scopes;
    }

    /**
     * authMode=authorizationCode: the delegated Microsoft Graph permissions to ask the user for, separated by spaces or
     * commas (openid, profile and offline_access are always added). Default: User.Read Mail.ReadWrite Mail.Send
     * Calendars.ReadWrite, plus their .Shared variants when account names a shared mailbox.
     */
    public void setScopes(String scopes) {
        this.scopes = scopes;
    }

    public String getRefreshToken() {
        return refreshToken;
    }

    /**
     * authMode=authorizationCode: a refresh token to start from when the token store is still empty, for a deployment
     * without a browser (e.g. obtained once with the sign-in routes elsewhere). Used once; the rotated tokens then live
     * in the token store.
     */
    public void setRefreshToken(String refreshToken) {
        this.refreshToken = refreshToken;
    }

    public String getTokenStore() {
        return tokenStore;
    }

    /**
     * authMode=authorizationCode: where the signed-in user's tokens persist across restarts: a file path (encrypted
     * with AES-GCM under tokenStoreKey, readable only by its owner), or #beanName of an
     * io.github.outlook365.camel.auth.TokenStore (a vault, a database). Without it tokens live in memory only and
     * someone must sign in again after each restart.
     */
    public void setTokenStore(String tokenStore) {
        this.tokenStore = tokenStore;
    }

    public String getTokenStoreKey() {
        return tokenStoreKey;
    }

    /**
     * authMode=authorizationCode: the key (at least 16 characters) that encrypts the token store file. Keep it out of
     * files, e.g. {{env:OUTLOOK365_TOKEN_STORE_KEY}}; with another key the file cannot be read.
     */
    public void setTokenStoreKey(String tokenStoreKey) {
        this.tokenStoreKey = tokenStoreKey;
    }

    public String getExpectedAccount() {
        return expectedAccount;
    }

    /**
     * authMode=authorizationCode: the only user who may sign in to the connection, by user principal name (the address
     * the user signs in with); a sign-in as anyone else is refused with a page that says so, and changes nothing.
     * Connection-wide: set it on the component or the connection bean.
     */
    public void setExpectedAccount(String expectedAccount) {
        this.expectedAccount = expectedAccount;
    }

    public String getExpectedTenant() {
        return expectedTenant;
    }

    /**
     * authMode=authorizationCode: the only tenant whose users may sign in, as its Directory (tenant) ID (the tid of the
     * sign-in); useful with tenantId=common, where users of any organisation can sign in to a multi-tenant app.
     * Connection-wide: set it on the component or the connection bean.
     */
    public void setExpectedTenant(String expectedTenant) {
        this.expectedTenant = expectedTenant;
    }

    public boolean isAllowAccountSwitch() {
        return allowAccountSwitch;
    }

    /**
     * authMode=authorizationCode: whether a sign-in as another user than the one the connection has replaces that user
     * (and so the mailbox the routes work on). By default such a sign-in is refused and the connection keeps its user:
     * only that user can sign in again. Connection-wide: set it on the component or the connection bean.
     */
    public void setAllowAccountSwitch(boolean allowAccountSwitch) {
        this.allowAccountSwitch = allowAccountSwitch;
    }

    public boolean isRequireSetupToken() {
        return requireSetupToken;
    }

    /**
     * authMode=authorizationCode: whether starting a sign-in (outlook365:connection/authorizationUrl, the
     * /provisioning_/signin route) needs the setup token the application writes to its log at start and when the
     * connection needs a sign-in (logger outlook365.setup; it changes after each completed sign-in). Turn it off only
     * when the setup routes are protected otherwise (camel.server.authentication, a reverse proxy with its own login).
     * Connection-wide: set it on the component or the connection bean.
     */
    public void setRequireSetupToken(boolean requireSetupToken) {
        this.requireSetupToken = requireSetupToken;
    }

    public String getTenantId() {
        return tenantId;
    }

    /**
     * The Directory (tenant) ID, or a verified domain such as contoso.onmicrosoft.com. App-only modes need a real
     * tenant: common and organizations are refused. With authMode=authorizationCode it defaults to common (a user of
     * any organisation may sign in); set it for a single-tenant app registration.
     */
    public void setTenantId(String tenantId) {
        this.tenantId = tenantId;
    }

    public String getAccount() {
        return account;
    }

    /**
     * The mailbox to work on: the user principal name (UPN) or object id of a user, or the address of a shared mailbox.
     * Required for the triggers in the app-only modes. A mail or calendar action of an app-only mode without it acts on
     * the mailbox each exchange names in header CamelOutlook365Account (the triggers set it: the mailbox the mail came
     * from); set, it always wins over the header. With authMode=authorizationCode it is optional: without it the
     * connection works on the signed-in user's own mailbox (/me), whatever the header says; with it, on a shared
     * mailbox the user may open.
     */
    public void setAccount(String account) {
        this.account = account;
    }

    public CloudEnvironment getEnvironment() {
        return environment;
    }

    /**
     * The Microsoft cloud: office365 (global), usGovL4 (GCC High), usGovL5 (DoD) or china (21Vianet). Decides the
     * sign-in host and the Graph endpoint.
     */
    public void setEnvironment(CloudEnvironment environment) {
        this.environment = environment;
    }

    public String getAuthorityHost() {
        return authorityHost;
    }

    /**
     * Overrides the sign-in host the environment implies, e.g. https://login.microsoftonline.com (for a proxy, or the
     * simulator in tests). Must be https.
     */
    public void setAuthorityHost(String authorityHost) {
        this.authorityHost = authorityHost;
    }

    public String getGraphEndpoint() {
        return graphEndpoint;
    }

    /**
     * Overrides the Microsoft Graph endpoint the environment implies, e.g. https://graph.microsoft.com. Must be https
     * (plain http only on a loopback address).
     */
    public void setGraphEndpoint(String graphEndpoint) {
        this.graphEndpoint = graphEndpoint;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    /**
     * TLS settings for calls to Entra ID and Graph, e.g. a trust store holding a corporate proxy's certificate.
     */
    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public int getMaxRetries() {
        return maxRetries;
    }

    /**
     * How often a throttled (429) or unavailable (503, 504) Graph request, or one that failed on the network, is
     * retried before the error reaches the route. Graph's Retry-After is honoured up to maxRetryDelay. A request that
     * sends or creates something (sendMail, reply, forward, move, copy, ...) is retried only when it provably did not
     * reach Graph (the connection could not be made) or Graph did not process it (429); after a timeout or a 5xx it
     * fails with io.github.outlook365.camel.graph.GraphOutcomeUnknownException, whose message says what to check,
     * since repeating it could send the mail twice. createEvent is retried: it carries a transactionId.
     */
    public void setMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    public long getMaxRetryDelay() {
        return maxRetryDelay;
    }

    /**
     * Cap in milliseconds of the wait between retries: of the exponential backoff, and of Graph's Retry-After. A
     * Retry-After longer than this is not waited for: the call fails at once with a GraphException (status 429 or 503)
     * saying so, and a trigger tries again at its next poll. A trigger's read throttled within this cap (429, or 503
     * with Retry-After) does not wait on the poll thread the app's triggers share: that mailbox's polls pause until
     * Retry-After ends and go on from its cursor, neither a failed poll nor a trouble of the mailbox; an action waits.
     */
    public void setMaxRetryDelay(long maxRetryDelay) {
        this.maxRetryDelay = maxRetryDelay;
    }

    public long getRequestTimeout() {
        return requestTimeout;
    }

    /**
     * Deadline in milliseconds of one HTTP request to Entra ID or Graph, its whole answer included: a server that sends
     * the headers and then stalls fails the request after this long. A streamed download (an attachment, an .eml) fails
     * when no data arrives for this long, however long the whole download takes.
     */
    public void setRequestTimeout(long requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public int getMaxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    /**
     * Most Graph requests in flight at once per mailbox, across every endpoint of the connection. Exchange Online
     * allows 4; a higher value only earns 429s.
     */
    public void setMaxConcurrentRequests(int maxConcurrentRequests) {
        this.maxConcurrentRequests = maxConcurrentRequests;
    }

    public long getReconnectDelay() {
        return reconnectDelay;
    }

    /**
     * Milliseconds before the first new token attempt once the connection is BROKEN or its token endpoint failed
     * (DEGRADED); each further failure doubles the wait up to reconnectMaxDelay. Meanwhile triggers pause and actions
     * fail fast: at most one token request per step. Connection-wide: the first endpoint that opens the connection
     * decides, so set it on the component.
     */
    public void setReconnectDelay(long reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    public long getReconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    /**
     * The longest wait in milliseconds between two token attempts of a BROKEN or DEGRADED connection (the cap of the
     * doubling backoff; 5 minutes by default).
     */
    public void setReconnectMaxDelay(long reconnectMaxDelay) {
        this.reconnectMaxDelay = reconnectMaxDelay;
    }

    public int getCertificateExpiryWarningDays() {
        return certificateExpiryWarningDays;
    }

    /**
     * How many days before the certificate of authMode=clientCertificate expires the connection warns: a
     * CERTIFICATE_EXPIRING event on outlook365:connection/events, a warning in the log and in the health check's
     * details.
     */
    public void setCertificateExpiryWarningDays(int certificateExpiryWarningDays) {
        this.certificateExpiryWarningDays = certificateExpiryWarningDays;
    }

    @Override
    public String toString() {
        // never the secret
        return getClass().getSimpleName() + "[authMode=" + authMode + ", clientId=" + clientId + ", tenantId="
               + tenantId + ", account=" + account + "]";
    }

    /** A copy of these options (beans such as sslContextParameters are shared, not copied). */
    public Outlook365ConnectionOptions copyOptions() {
        try {
            return (Outlook365ConnectionOptions) clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}

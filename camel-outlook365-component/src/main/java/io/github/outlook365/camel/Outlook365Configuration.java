package io.github.outlook365.camel;

import io.github.outlook365.camel.auth.AuthMode;
import io.github.outlook365.camel.auth.CloudEnvironment;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * Every option of the outlook365 component. Set them on the component ({@code camel.component.outlook365.*}) for the
 * connection every endpoint shares, and override per endpoint in its URI.
 */
@UriParams
public class Outlook365Configuration implements Cloneable {

    // ---------------------------------------------------------------- connection

    @UriParam(label = "common,security", defaultValue = "clientCredentials", enums = "clientCredentials,clientCertificate,authorizationCode")
    private String authMode = AuthMode.clientCredentials.name();

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

    // authentication options: add above this line

    @UriParam(label = "common,security")
    private String tenantId;

    @UriParam(label = "common")
    private String account;

    @UriParam(label = "common", defaultValue = "office365", enums = "office365,usGovL4,usGovL5,china")
    private String environment = CloudEnvironment.office365.name();

    @UriParam(label = "advanced")
    private String authorityHost;

    @UriParam(label = "advanced")
    private String graphEndpoint;

    @UriParam(label = "advanced,security")
    private SSLContextParameters sslContextParameters;

    @UriParam(label = "advanced", defaultValue = "4")
    private int maxRetries = 4;

    @UriParam(label = "advanced", defaultValue = "60000", javaType = "long")
    private long maxRetryDelay = 60_000;

    @UriParam(label = "advanced", defaultValue = "60000", javaType = "long")
    private long requestTimeout = 60_000;

    @UriParam(label = "advanced", defaultValue = "4")
    private int maxConcurrentRequests = 4;

    // ---------------------------------------------------------------- triggers

    @UriParam(label = "consumer", defaultValue = "inbox")
    private String folder = "inbox";

    @UriParam(label = "consumer")
    private String since;

    @UriParam(label = "consumer", defaultValue = "100")
    private int maxMessagesPerPoll = 100;

    @UriParam(label = "consumer,advanced", defaultValue = "50")
    private int pageSize = 50;

    @UriParam(label = "consumer,advanced")
    private String stateDirectory;

    @UriParam(label = "consumer,advanced")
    private String stateKey;

    @UriParam(label = "consumer,advanced")
    private StateRepository<String, String> stateRepository;

    @UriParam(label = "consumer,advanced")
    private IdempotentRepository idempotentRepository;

    // ---------------------------------------------------------------- calendar: add above this line

    // ---------------------------------------------------------------- actions

    @UriParam(label = "producer")
    private String to;

    @UriParam(label = "producer")
    private String cc;

    @UriParam(label = "producer")
    private String bcc;

    @UriParam(label = "producer")
    private String subject;

    @UriParam(label = "producer", enums = "text,html", defaultValue = "text")
    private String contentType = "text";

    @UriParam(label = "producer", enums = "low,normal,high")
    private String importance;

    @UriParam(label = "producer", defaultValue = "true")
    private boolean saveToSentItems = true;

    // ---------------------------------------------------------------- mail actions: add above this line

    public Outlook365Configuration copy() {
        try {
            return (Outlook365Configuration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getAuthMode() {
        return authMode;
    }

    /**
     * How the component signs in to Microsoft Entra ID. clientCredentials: app-only, with the app registration's client
     * secret (needs clientId, clientSecret, tenantId and account). clientCertificate: app-only, with a certificate of the
     * app registration (needs clientId, certificate or certificateFile, certificatePassword, tenantId and account).
     * authorizationCode: delegated, a user signs in once in a browser and the connection acts as that user (needs
     * clientId, clientSecret and redirectUri; tenantId defaults to common; account optional, for a shared mailbox).
     */
    public void setAuthMode(String authMode) {
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
     * The client secret's Value (not its Secret ID) from 'Certificates & secrets' of the app registration. Use a property
     * placeholder such as {{env:OUTLOOK365_CLIENT_SECRET}} rather than writing it into a route.
     */
    public void setClientSecret(String clientSecret) {
        this.clientSecret = clientSecret;
    }

    public String getCertificate() {
        return certificate;
    }

    /**
     * authMode=clientCertificate: the app's certificate with its private key, as the base64 of a PKCS#12 (.pfx) file
     * (e.g. the output of base64 -w0 app.pfx). Use a property placeholder such as {{env:OUTLOOK365_CERTIFICATE}}.
     * The certificate itself (.cer) must be uploaded under 'Certificates & secrets' of the app registration.
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

    // authentication getters and setters: add above this line

    public String getTenantId() {
        return tenantId;
    }

    /**
     * The Directory (tenant) ID, or a verified domain such as contoso.onmicrosoft.com. App-only modes need a real tenant:
     * common and organizations are refused. With authMode=authorizationCode it defaults to common (a user of any
     * organisation may sign in); set it for a single-tenant app registration.
     */
    public void setTenantId(String tenantId) {
        this.tenantId = tenantId;
    }

    public String getAccount() {
        return account;
    }

    /**
     * The mailbox to work on: the user principal name (UPN) or object id of a user, or the address of a shared mailbox.
     * Required for app-only modes. With authMode=authorizationCode it is optional: without it the connection works on
     * the signed-in user's own mailbox (/me); with it, on a shared mailbox the user may open.
     */
    public void setAccount(String account) {
        this.account = account;
    }

    public String getEnvironment() {
        return environment;
    }

    /**
     * The Microsoft cloud: office365 (global), usGovL4 (GCC High), usGovL5 (DoD) or china (21Vianet). Decides the
     * sign-in host and the Graph endpoint.
     */
    public void setEnvironment(String environment) {
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
     * How often a throttled (429) or unavailable (503, 504) Graph request, or one that failed on the network, is retried
     * before the error reaches the route. Graph's Retry-After is always honoured.
     */
    public void setMaxRetries(int maxRetries) {
        this.maxRetries = maxRetries;
    }

    public long getMaxRetryDelay() {
        return maxRetryDelay;
    }

    /**
     * Cap in milliseconds of the exponential backoff between retries when Graph gives no Retry-After.
     */
    public void setMaxRetryDelay(long maxRetryDelay) {
        this.maxRetryDelay = maxRetryDelay;
    }

    public long getRequestTimeout() {
        return requestTimeout;
    }

    /**
     * Timeout in milliseconds of one HTTP request to Entra ID or Graph.
     */
    public void setRequestTimeout(long requestTimeout) {
        this.requestTimeout = requestTimeout;
    }

    public int getMaxConcurrentRequests() {
        return maxConcurrentRequests;
    }

    /**
     * Most Graph requests in flight at once per mailbox, across every endpoint of the connection. Exchange Online allows
     * 4; a higher value only earns 429s.
     */
    public void setMaxConcurrentRequests(int maxConcurrentRequests) {
        this.maxConcurrentRequests = maxConcurrentRequests;
    }

    // calendar getters and setters: add above this line

    public String getFolder() {
        return folder;
    }

    /**
     * Mail folder a mail trigger watches: a well-known name (inbox, sentitems, drafts, archive, deleteditems, junkemail)
     * or a folder id.
     */
    public void setFolder(String folder) {
        this.folder = folder;
    }

    public String getSince() {
        return since;
    }

    /**
     * Backlog for a new trigger: an ISO-8601 instant (e.g. 2026-01-31T00:00:00Z); on its first start the trigger fires
     * for every message received since then. Without it, a new trigger fires only for mail that arrives after it
     * started. Ignored once the trigger has a stored cursor.
     */
    public void setSince(String since) {
        this.since = since;
    }

    public int getMaxMessagesPerPoll() {
        return maxMessagesPerPoll;
    }

    /**
     * Most exchanges one poll creates; the rest of the round follows on the next polls, before the cursor moves.
     */
    public void setMaxMessagesPerPoll(int maxMessagesPerPoll) {
        this.maxMessagesPerPoll = maxMessagesPerPoll;
    }

    public int getPageSize() {
        return pageSize;
    }

    /**
     * Items per Graph page in a delta round (Prefer: odata.maxpagesize).
     */
    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    public String getStateDirectory() {
        return stateDirectory;
    }

    /**
     * Directory where triggers keep their cursors and the ids they delivered, so a restart resumes with nothing lost
     * and nothing twice. Default: .camel-outlook365 in the user's home directory. Not used when stateRepository and
     * idempotentRepository are both given.
     */
    public void setStateDirectory(String stateDirectory) {
        this.stateDirectory = stateDirectory;
    }

    public String getStateKey() {
        return stateKey;
    }

    /**
     * Name under which a trigger keeps its cursor and dedup ids. Default: derived from tenant, account, trigger and
     * folder, so every route watching the same folder with the same key shares one cursor; give routes that must each
     * see every message their own key.
     */
    public void setStateKey(String stateKey) {
        this.stateKey = stateKey;
    }

    public StateRepository<String, String> getStateRepository() {
        return stateRepository;
    }

    /**
     * Where triggers keep their cursor (the Graph delta link), instead of a file under stateDirectory.
     */
    public void setStateRepository(StateRepository<String, String> stateRepository) {
        this.stateRepository = stateRepository;
    }

    public IdempotentRepository getIdempotentRepository() {
        return idempotentRepository;
    }

    /**
     * Where triggers remember the ids they delivered (dedup on replay), instead of a file under stateDirectory.
     */
    public void setIdempotentRepository(IdempotentRepository idempotentRepository) {
        this.idempotentRepository = idempotentRepository;
    }

    public String getTo() {
        return to;
    }

    /**
     * Default recipients of mail/send, separated by ; (header CamelOutlook365To overrides).
     */
    public void setTo(String to) {
        this.to = to;
    }

    public String getCc() {
        return cc;
    }

    /**
     * Default Cc recipients of mail/send, separated by ; (header CamelOutlook365Cc overrides).
     */
    public void setCc(String cc) {
        this.cc = cc;
    }

    public String getBcc() {
        return bcc;
    }

    /**
     * Default Bcc recipients of mail/send, separated by ; (header CamelOutlook365Bcc overrides).
     */
    public void setBcc(String bcc) {
        this.bcc = bcc;
    }

    public String getSubject() {
        return subject;
    }

    /**
     * Default subject of mail/send (header CamelOutlook365Subject overrides).
     */
    public void setSubject(String subject) {
        this.subject = subject;
    }

    public String getContentType() {
        return contentType;
    }

    /**
     * Whether a text body given to mail/send is text or html (header CamelOutlook365ContentType overrides).
     */
    public void setContentType(String contentType) {
        this.contentType = contentType;
    }

    public String getImportance() {
        return importance;
    }

    /**
     * Importance of mail sent by mail/send: low, normal or high (header CamelOutlook365Importance overrides).
     */
    public void setImportance(String importance) {
        this.importance = importance;
    }

    public boolean isSaveToSentItems() {
        return saveToSentItems;
    }

    /**
     * Whether mail/send keeps a copy in the mailbox's Sent Items.
     */
    public void setSaveToSentItems(boolean saveToSentItems) {
        this.saveToSentItems = saveToSentItems;
    }

    // mail action getters and setters: add above this line
}

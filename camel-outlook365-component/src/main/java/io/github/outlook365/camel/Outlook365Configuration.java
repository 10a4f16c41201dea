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

    // ---------------------------------------------------------------- connection lifecycle

    @UriParam(label = "advanced", defaultValue = "5000", javaType = "long")
    private long reconnectDelay = 5_000;

    @UriParam(label = "advanced", defaultValue = "300000", javaType = "long")
    private long reconnectMaxDelay = 300_000;

    @UriParam(label = "advanced", defaultValue = "30")
    private int certificateExpiryWarningDays = 30;

    @UriParam(label = "common")
    private Outlook365ConnectionOptions connection;

    // connection lifecycle options: add above this line

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

    @UriParam(label = "common")
    private String calendar;

    @UriParam(label = "common")
    private String timeZone;

    @UriParam(label = "consumer", defaultValue = "7")
    private int pastDays = 7;

    @UriParam(label = "consumer", defaultValue = "90")
    private int futureDays = 90;

    @UriParam(label = "consumer", defaultValue = "15")
    private int minutesBefore = 15;

    @UriParam(label = "producer", defaultValue = "100")
    private int limit = 100;

    @UriParam(label = "producer", enums = "accept,decline,tentative")
    private String response;

    @UriParam(label = "producer")
    private String comment;

    @UriParam(label = "producer", defaultValue = "true")
    private boolean sendResponse = true;

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

    @UriParam(label = "producer")
    private String destinationFolder;

    @UriParam(label = "producer", enums = "flagged,complete,notFlagged", defaultValue = "flagged")
    private String flagStatus = "flagged";

    @UriParam(label = "producer")
    private String dueDateTime;

    @UriParam(label = "producer")
    private String categories;

    @UriParam(label = "producer")
    private String parentFolder;

    @UriParam(label = "producer")
    private String search;

    @UriParam(label = "producer", defaultValue = "100")
    private int top = 100;

    @UriParam(label = "common", enums = "text,html")
    private String bodyContentType;

    @UriParam(label = "consumer")
    private String from;

    @UriParam(label = "consumer")
    private String subjectContains;

    @UriParam(label = "consumer")
    private boolean onlyWithAttachments;

    @UriParam(label = "consumer")
    private boolean unreadOnly;

    @UriParam(label = "consumer")
    private String filter;

    @UriParam(label = "consumer")
    private boolean markAsRead;

    @UriParam(label = "consumer")
    private boolean includeAttachments;

    @UriParam(label = "producer")
    private String replyTo;

    @UriParam(label = "producer", enums = "disabled,alwaysEnabled,scheduled", defaultValue = "alwaysEnabled")
    private String autoReplyStatus = "alwaysEnabled";

    @UriParam(label = "producer", enums = "none,contactsOnly,all", defaultValue = "all")
    private String externalAudience = "all";

    @UriParam(label = "producer")
    private String scheduledStartDateTime;

    @UriParam(label = "producer")
    private String scheduledEndDateTime;

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

    public Outlook365ConnectionOptions getConnection() {
        return connection;
    }

    /**
     * A named connection: a bean of type io.github.outlook365.camel.Outlook365ConnectionOptions (YAML beans: or Java)
     * holding the connection options (authMode, tenantId, clientId, clientSecret, account, ...), e.g.
     * connection=#sales. It replaces the connection options of the component and of the URI; every endpoint naming the
     * same bean shares one connection, one token store, one throttle budget and one state.
     */
    public void setConnection(Outlook365ConnectionOptions connection) {
        this.connection = connection;
    }

    // connection lifecycle getters and setters: add above this line

    public String getCalendar() {
        return calendar;
    }

    /**
     * Calendar the calendar triggers watch and createEvent/listEvents use: its name (e.g. Projects) or id. Empty: the
     * mailbox's default calendar.
     */
    public void setCalendar(String calendar) {
        this.calendar = calendar;
    }

    public String getTimeZone() {
        return timeZone;
    }

    /**
     * Time zone of the event times Graph answers with (Prefer: outlook.timezone) and of date-times given without a zone:
     * an IANA name (Europe/Paris) or a Windows name (W. Europe Standard Time). Empty: answers in UTC, and date-times
     * without a zone are refused.
     */
    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public int getPastDays() {
        return pastDays;
    }

    /**
     * Calendar triggers (created, updated, deleted) watch events from this many days in the past.
     */
    public void setPastDays(int pastDays) {
        this.pastDays = pastDays;
    }

    public int getFutureDays() {
        return futureDays;
    }

    /**
     * Calendar triggers watch events up to this many days ahead; listEvents lists this far ahead when no end is given.
     */
    public void setFutureDays(int futureDays) {
        this.futureDays = futureDays;
    }

    public int getMinutesBefore() {
        return minutesBefore;
    }

    /**
     * calendar/startingSoon fires this many minutes before an event occurrence starts.
     */
    public void setMinutesBefore(int minutesBefore) {
        this.minutesBefore = minutesBefore;
    }

    public int getLimit() {
        return limit;
    }

    /**
     * Most events calendar/listEvents returns (it follows Graph's pages up to this many).
     */
    public void setLimit(int limit) {
        this.limit = limit;
    }

    public String getResponse() {
        return response;
    }

    /**
     * How calendar/respond answers an invitation: accept, decline or tentative (header CamelOutlook365Response wins).
     */
    public void setResponse(String response) {
        this.response = response;
    }

    public String getComment() {
        return comment;
    }

    /**
     * Text sent along: above the quoted message by mail/reply, mail/replyAll and mail/forward (a text body is used when
     * neither option nor header is given), and with calendar/respond, cancelEvent and forwardEvent. Header
     * CamelOutlook365Comment overrides it.
     */
    public void setComment(String comment) {
        this.comment = comment;
    }

    public boolean isSendResponse() {
        return sendResponse;
    }

    /**
     * Whether calendar/respond tells the organizer (false: only the own calendar changes).
     */
    public void setSendResponse(boolean sendResponse) {
        this.sendResponse = sendResponse;
    }

    // calendar getters and setters: add above this line

    public String getFolder() {
        return folder;
    }

    /**
     * Mail folder a mail trigger watches and mail/list lists: a well-known name (inbox, sentitems, drafts, archive,
     * deleteditems, junkemail), a display-name path such as Inbox/Invoices, or a folder id. mail/sent always watches
     * Sent Items.
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
     * Items per Graph page in a delta round (Prefer: odata.maxpagesize), and per page that mail/list reads.
     */
    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    public String getStateDirectory() {
        return stateDirectory;
    }

    /**
     * Directory where triggers keep their cursors and the ids they delivered (a directory per trigger, owner-only), so a
     * restart resumes with nothing lost and nothing twice. One process at a time uses it: a second one on the same
     * directory fails at its start. Give it a local directory of its own. Default: .camel-outlook365 in the user's home
     * directory. Not used when stateRepository and idempotentRepository are both given.
     */
    public void setStateDirectory(String stateDirectory) {
        this.stateDirectory = stateDirectory;
    }

    public String getStateKey() {
        return stateKey;
    }

    /**
     * Name under which a trigger keeps its cursor and dedup ids. Default: derived from trigger, tenant, account and
     * folder (or calendar), so a trigger finds its state again after a restart. Two running triggers cannot share a
     * key: give each route that watches the same folder its own key (each then sees every message).
     */
    public void setStateKey(String stateKey) {
        this.stateKey = stateKey;
    }

    public StateRepository<String, String> getStateRepository() {
        return stateRepository;
    }

    /**
     * Where triggers keep their cursor (the Graph delta link) and documents, instead of files under stateDirectory:
     * keys are the stateKey and stateKey/part. The component starts it if it is not started yet and then stops it when
     * the component stops.
     */
    public void setStateRepository(StateRepository<String, String> stateRepository) {
        this.stateRepository = stateRepository;
    }

    public IdempotentRepository getIdempotentRepository() {
        return idempotentRepository;
    }

    /**
     * Where triggers remember the ids they delivered (dedup on replay), instead of a file under stateDirectory: keys are
     * stateKey#id. Started and stopped by the component as stateRepository is. One that also implements
     * HorizonIdempotentRepository forgets the ids a trigger's cursor has passed; a plain one keeps what its own policy
     * keeps.
     */
    public void setIdempotentRepository(IdempotentRepository idempotentRepository) {
        this.idempotentRepository = idempotentRepository;
    }

    public String getTo() {
        return to;
    }

    /**
     * Default recipients of mail/send, separated by ; (header CamelOutlook365To overrides); on mail/forward the
     * recipients. On a mail trigger and mail/list: only messages addressed to one of these (any match).
     */
    public void setTo(String to) {
        this.to = to;
    }

    public String getCc() {
        return cc;
    }

    /**
     * Default Cc recipients of mail/send, separated by ; (header CamelOutlook365Cc overrides). On a mail trigger and
     * mail/list: only messages with one of these in Cc (any match).
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
     * Importance of mail sent by mail/send: low, normal or high (header CamelOutlook365Importance overrides). On a mail
     * trigger and mail/list: only messages of this importance.
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

    public String getDestinationFolder() {
        return destinationFolder;
    }

    /**
     * Folder that mail/move and mail/copy put the message in: a well-known name (inbox, archive, deleteditems, ...), a
     * display-name path such as Inbox/Invoices, or a folder id (header CamelOutlook365DestinationFolder overrides).
     */
    public void setDestinationFolder(String destinationFolder) {
        this.destinationFolder = destinationFolder;
    }

    public String getFlagStatus() {
        return flagStatus;
    }

    /**
     * What mail/flag sets: flagged (default), complete or notFlagged.
     */
    public void setFlagStatus(String flagStatus) {
        this.flagStatus = flagStatus;
    }

    public String getDueDateTime() {
        return dueDateTime;
    }

    /**
     * Due date of the follow-up flag mail/flag sets: an ISO-8601 date-time with offset (2026-02-01T17:00:00Z) or a date
     * (2026-02-01) (header CamelOutlook365DueDateTime overrides).
     */
    public void setDueDateTime(String dueDateTime) {
        this.dueDateTime = dueDateTime;
    }

    public String getCategories() {
        return categories;
    }

    /**
     * Categories mail/setCategories gives the message, separated by ; (header CamelOutlook365Categories, a ; list or a
     * List, overrides). An empty list clears them.
     */
    public void setCategories(String categories) {
        this.categories = categories;
    }

    public String getParentFolder() {
        return parentFolder;
    }

    /**
     * Folder under which mail/createFolder creates, and whose subfolders mail/listFolders lists: a well-known name, a
     * display-name path or an id. Default: the top of the mailbox.
     */
    public void setParentFolder(String parentFolder) {
        this.parentFolder = parentFolder;
    }

    public String getSearch() {
        return search;
    }

    /**
     * Search words for mail/list (Graph's $search: subject, body and sender), e.g. invoice or from:ada@contoso.com.
     * Graph does not combine $search with $filter: with search set, the other filters are applied locally.
     */
    public void setSearch(String search) {
        this.search = search;
    }

    public int getTop() {
        return top;
    }

    /**
     * Most messages mail/list returns; it follows Graph's pages until it has that many.
     */
    public void setTop(int top) {
        this.top = top;
    }

    public String getBodyContentType() {
        return bodyContentType;
    }

    /**
     * text or html: the body format in which triggers, mail/get and mail/list deliver messages (Graph converts, through
     * Prefer: outlook.body-content-type). Default: as the message was written.
     */
    public void setBodyContentType(String bodyContentType) {
        this.bodyContentType = bodyContentType;
    }

    public String getFrom() {
        return from;
    }

    /**
     * Mail triggers and mail/list: only messages from one of these addresses, separated by ; (any match).
     */
    public void setFrom(String from) {
        this.from = from;
    }

    public String getSubjectContains() {
        return subjectContains;
    }

    /**
     * Mail triggers and mail/list: only messages whose subject contains this text (case-insensitive).
     */
    public void setSubjectContains(String subjectContains) {
        this.subjectContains = subjectContains;
    }

    public boolean isOnlyWithAttachments() {
        return onlyWithAttachments;
    }

    /**
     * Mail triggers and mail/list: only messages with attachments.
     */
    public void setOnlyWithAttachments(boolean onlyWithAttachments) {
        this.onlyWithAttachments = onlyWithAttachments;
    }

    public boolean isUnreadOnly() {
        return unreadOnly;
    }

    /**
     * Mail triggers and mail/list: only messages not read yet (when the trigger sees them).
     */
    public void setUnreadOnly(boolean unreadOnly) {
        this.unreadOnly = unreadOnly;
    }

    public String getFilter() {
        return filter;
    }

    /**
     * Mail triggers and mail/list: an OData filter on the message, e.g. importance eq 'high' and
     * contains(subject,'invoice'), or categories/any(c:c eq 'Red'). Graph's message delta filters only on
     * receivedDateTime, so triggers apply it themselves; mail/list does too.
     */
    public void setFilter(String filter) {
        this.filter = filter;
    }

    public boolean isMarkAsRead() {
        return markAsRead;
    }

    /**
     * Mail triggers: mark each message read once the route succeeded on it.
     */
    public void setMarkAsRead(boolean markAsRead) {
        this.markAsRead = markAsRead;
    }

    public String getReplyTo() {
        return replyTo;
    }

    /**
     * Where replies to mail of mail/send and mail/createDraft should go, separated by ; (header CamelOutlook365ReplyTo
     * overrides).
     */
    public void setReplyTo(String replyTo) {
        this.replyTo = replyTo;
    }

    public boolean isIncludeAttachments() {
        return includeAttachments;
    }

    /**
     * Mail triggers: deliver each message's file attachments as Camel attachments (camel-attachments'
     * AttachmentMessage), downloaded to temporary files that are deleted when the exchange completes.
     */
    public void setIncludeAttachments(boolean includeAttachments) {
        this.includeAttachments = includeAttachments;
    }

    public String getAutoReplyStatus() {
        return autoReplyStatus;
    }

    /**
     * What mail/setAutomaticReplies sets: alwaysEnabled (default), scheduled (between scheduledStartDateTime and
     * scheduledEndDateTime) or disabled.
     */
    public void setAutoReplyStatus(String autoReplyStatus) {
        this.autoReplyStatus = autoReplyStatus;
    }

    public String getExternalAudience() {
        return externalAudience;
    }

    /**
     * Who outside the organisation gets the automatic reply of mail/setAutomaticReplies: all (default), contactsOnly or
     * none.
     */
    public void setExternalAudience(String externalAudience) {
        this.externalAudience = externalAudience;
    }

    public String getScheduledStartDateTime() {
        return scheduledStartDateTime;
    }

    /**
     * Start of scheduled automatic replies (mail/setAutomaticReplies with autoReplyStatus=scheduled): an ISO-8601
     * date-time with offset.
     */
    public void setScheduledStartDateTime(String scheduledStartDateTime) {
        this.scheduledStartDateTime = scheduledStartDateTime;
    }

    public String getScheduledEndDateTime() {
        return scheduledEndDateTime;
    }

    /**
     * End of scheduled automatic replies: an ISO-8601 date-time with offset, after scheduledStartDateTime.
     */
    public void setScheduledEndDateTime(String scheduledEndDateTime) {
        this.scheduledEndDateTime = scheduledEndDateTime;
    }

    // mail action getters and setters: add above this line
}

package io.github.outlook365.camel;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

import io.github.outlook365.camel.connection.ConnectionSettings;
import io.github.outlook365.camel.connection.LifecycleSettings;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.trigger.TriggerState;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.EndpointServiceLocation;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.ScheduledPollEndpoint;

/**
 * Outlook 365 mail triggers and actions over Microsoft Graph.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "outlook365", title = "Outlook 365", syntax = "outlook365:resource/action",
             category = { Category.MAIL, Category.CLOUD }, headersClass = Outlook365Constants.class)
public class Outlook365Endpoint extends ScheduledPollEndpoint implements EndpointServiceLocation {

    /** Triggers poll once a minute unless told otherwise: new mail within a minute, few requests per mailbox. */
    static final long DEFAULT_DELAY = 60_000;
    /** Most characters of an accounts= value the endpoint's key keeps as written ({@link #getEndpointKey()}). */
    static final int KEY_ACCOUNTS_LENGTH = 256;

    @UriPath(enums = "mail,calendar,connection")
    @Metadata(required = true)
    private String resource;

    @UriPath(enums = "received,sent,flagged,send,reply,replyAll,forward,createDraft,sendDraft,get,list,move,copy,archive,delete,markRead,markUnread,flag,setCategories,listFolders,createFolder,getAttachments,downloadAttachment,exportEml,setAutomaticReplies,created,updated,deleted,startingSoon,invitationReceived,responseReceived,createEvent,updateEvent,getEvent,listEvents,deleteEvent,cancelEvent,respond,forwardEvent,listCalendars,findMeetingTimes,authorizationUrl,completeAuthorization,adminConsentUrl,check,receiveNotification,events")
    @Metadata(required = true)
    private String action;

    @UriParam
    private Outlook365Configuration configuration;

    private ConnectionSettings settings;
    private LifecycleSettings lifecycle;
    private Outlook365Operation groupOperation;
    private volatile String endpointKey;

    public Outlook365Endpoint(String uri, Outlook365Component component, Outlook365Configuration configuration) {
        super(uri, component);
        this.configuration = configuration;
        setDelay(DEFAULT_DELAY);
    }

    @Override
    public Outlook365Component getComponent() {
        return (Outlook365Component) super.getComponent();
    }

    /**
     * The key Camel names this endpoint by (its MBean): the URI, with a long {@code accounts=} list said as its number of
     * mailboxes and a digest of the list. Camel masks secrets in the key with a regular expression whose cost grows
     * with the square of the URI's length (a route on 1,000 mailboxes spent 2 to 4 s of its start in it), and a name of
     * tens of kilobytes serves no one in JMX tooling; the mailboxes are listed by the route's trigger instead.
     */
    @Override
    public String getEndpointKey() {
        String key = endpointKey;
        if (key == null) {
            key = shortKey(super.getEndpointKey());
            endpointKey = key;
        }
        return key;
    }

    static String shortKey(String key) {
        int query = key.indexOf('?');
        if (query < 0) {
            return key;
        }
        int at = query;
        while (at >= 0) {
            int start = at + 1;
            int end = key.indexOf('&', start);
            if (end < 0) {
                end = key.length();
            }
            if (key.startsWith("accounts=", start) && end - start - "accounts=".length() > KEY_ACCOUNTS_LENGTH) {
                String value = key.substring(start + "accounts=".length(), end);
                String said = accountsInKey(value);
                return key.substring(0, start) + "accounts=" + said + key.substring(end);
            }
            at = end < key.length() ? end : -1;
        }
        return key;
    }

    private static String accountsInKey(String value) {
        // the value as the URI holds it, maybe percent-encoded: only counted and digested
        long mailboxes = java.util.Arrays.stream(value.split("(?i)[,;]|%2C|%3B")).filter(a -> !a.isBlank()).count();
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return mailboxes + "-mailboxes-" + java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        if (operation() == null) {
            throw new IllegalArgumentException("outlook365:" + operationName() + " is not known: triggers are "
                                               + Outlook365Operations.triggers() + ", actions are "
                                               + Outlook365Operations.actions());
        }
        // every connection option is checked when the route is created, before anything is sent
        // a named connection (connection=#bean) brings its own connection options
        Outlook365ConnectionOptions source = configuration.getConnection() != null ? configuration.getConnection()
                : configuration;
        List<String> accounts = configuration.accountList();
        if (configuration.getAccounts() != null && !configuration.getAccounts().isBlank()) {
            if (!operation().isTrigger()) {
                throw new IllegalArgumentException("option accounts is for triggers (from): outlook365:" + operationName()
                                                   + " is an action; give it one mailbox with account, or a header");
            }
            if (accounts.isEmpty()) {
                throw new IllegalArgumentException("option accounts='" + configuration.getAccounts() + "' names no"
                                                   + " mailbox: give addresses separated by , e.g."
                                                   + " helpdesk@contoso.com,sales@contoso.com");
            }
            // the route's own connection options are checked with its first mailbox; each mailbox gets an endpoint
            source = withAccount(source, accounts.get(0));
        }
        String group = configuration.getAccountsGroup();
        if (group != null && !group.isBlank()) {
            if (!operation().isTrigger()) {
                throw new IllegalArgumentException("option accountsGroup is for triggers (from): outlook365:"
                                                   + operationName() + " is an action; give it one mailbox with account,"
                                                   + " or a header");
            }
            if (!accounts.isEmpty()) {
                throw new IllegalArgumentException("options accountsGroup and accounts cannot be used together on"
                                                   + " outlook365:" + operationName() + ": remove one of them");
            }
            if (configuration.getAccountsGroupRefresh() < 0) {
                throw new IllegalArgumentException("option accountsGroupRefresh=" + configuration.getAccountsGroupRefresh()
                                                   + " must be 0 (read the members only at the start) or more"
                                                   + " milliseconds, e.g. 900000 (15 minutes)");
            }
            // the group is read on the app's connection; each member gets an endpoint of its own
            if (source.getAccount() == null || source.getAccount().isBlank()) {
                source = withAccount(source, group.trim());
            }
            groupOperation = Outlook365Operation.action(operationName() + "?accountsGroup",
                    io.github.outlook365.camel.auth.GraphPermission.GROUP_MEMBER_READ_ALL, () -> null);
        }
        // an app-only mail or calendar action may leave account unset: each exchange then names its mailbox (header
        // CamelOutlook365Account, set by the triggers), see Outlook365Producer
        settings = ConnectionSettings.of(source, actsOnEachExchangesMailbox());
        lifecycle = LifecycleSettings.of(source);
    }

    /** Whether this endpoint is a mail or calendar action: those may take their mailbox from each exchange. */
    private boolean actsOnEachExchangesMailbox() {
        return !operation().isTrigger() && (operationName().startsWith("mail/") || operationName().startsWith("calendar/"));
    }

    @Override
    public Producer createProducer() throws Exception {
        Outlook365Operation operation = operation();
        if (operation.isTrigger()) {
            throw new IllegalArgumentException("outlook365:" + operation.name() + " is a trigger: use it in from(...); the"
                                               + " actions for to(...) are " + Outlook365Operations.actions());
        }
        return operation.createProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        Outlook365Operation operation = operation();
        if (!operation.isTrigger()) {
            throw new IllegalArgumentException("outlook365:" + operation.name() + " is an action: use it in to(...); the"
                                               + " triggers for from(...) are " + Outlook365Operations.triggers());
        }
        if (!configuration.accountList().isEmpty()) {
            // one route, many mailboxes: a trigger per mailbox on an endpoint of its own
            MailboxesConsumer mailboxes = new MailboxesConsumer(this, processor, configuration.accountList());
            configureConsumer(mailboxes);
            return mailboxes;
        }
        if (groupOperation != null) {
            // one route, the mailboxes of a group's members, read again every accountsGroupRefresh
            MailboxesConsumer mailboxes = new MailboxesConsumer(this, processor, new GroupMembers(this));
            configureConsumer(mailboxes);
            return mailboxes;
        }
        Consumer consumer = operation.createConsumer(this, processor);
        // every trigger takes Camel's consumer options (delay, initialDelay, bridgeErrorHandler, ...) from here
        configureConsumer(consumer);
        return consumer;
    }

    /**
     * Opens the connection this endpoint uses (or joins it: endpoints of equal connection options share one) and checks
     * that its token grants the Graph permission of the endpoint's trigger or action. Throws when it does not, with the
     * admin consent link. The triggers and actions call it from their start; while Camel starts routes the check is
     * left to the start of the route that uses the endpoint ({@link RoutePermissions}), because Camel also starts the
     * producers of switched-off routes then. A trigger or action started on its own (a ProducerTemplate, toD) is
     * checked here, before it runs.
     */
    public Outlook365Connection openCheckedConnection() {
        Outlook365Connection connection = connection();
        if (!getCamelContext().getRouteController().isStartingRoutes()) {
            connection.requirePermissions(null, List.of(operation()));
        }
        return connection;
    }

    /**
     * The permission check of option accountsGroup (reading the group's members: GroupMember.Read.All), or null when
     * the option is not set; {@link RoutePermissions} checks it with the trigger's own.
     */
    Outlook365Operation groupOperation() {
        return groupOperation;
    }

    /** The connection this endpoint uses, unchecked: {@link RoutePermissions} checks a route's operations at once. */
    Outlook365Connection connection() {
        return getComponent().connection(settings, lifecycle);
    }

    private static Outlook365ConnectionOptions withAccount(Outlook365ConnectionOptions options, String account) {
        Outlook365ConnectionOptions copy = options.copyOptions();
        copy.setAccount(account);
        return copy;
    }

    /**
     * This endpoint for one mailbox of option accounts: the same options and consumer options but the account (and a
     * state key of its own if stateKey is set). Not registered with the context: its trigger belongs to this
     * endpoint's route.
     */
    Outlook365Endpoint forAccount(String account) throws Exception {
        Outlook365Configuration copy = configuration.copy();
        copy.setAccounts(null);
        copy.setAccountsGroup(null);
        copy.setAccount(account);
        if (copy.getConnection() != null) {
            copy.setConnection(withAccount(copy.getConnection(), account));
        }
        if (copy.getStateKey() != null && !copy.getStateKey().isBlank()) {
            copy.setStateKey(copy.getStateKey() + "/" + account.toLowerCase(Locale.ROOT));
        }
        // a short URI of its own: the route's names every mailbox, and Camel sanitizes a URI wherever it shows one
        Outlook365Endpoint child = new Outlook365Endpoint("outlook365://" + operationName() + "?account="
                                                          + account, getComponent(), copy);
        child.setResource(resource);
        child.setAction(action);
        child.setDelay(getDelay());
        child.setInitialDelay(getInitialDelay());
        child.setTimeUnit(getTimeUnit());
        child.setUseFixedDelay(isUseFixedDelay());
        child.setGreedy(isGreedy());
        child.setRepeatCount(getRepeatCount());
        child.setRunLoggingLevel(getRunLoggingLevel());
        child.setSendEmptyMessageWhenIdle(isSendEmptyMessageWhenIdle());
        // the route's trigger (MailboxesConsumer) is the one scheduled poller of its mailboxes: it polls them, idle ones
        // in $batch requests, once every one has taken its baseline
        child.setStartScheduler(false);
        child.setBackoffMultiplier(getBackoffMultiplier());
        child.setBackoffIdleThreshold(getBackoffIdleThreshold());
        child.setBackoffErrorThreshold(getBackoffErrorThreshold());
        child.setScheduledExecutorService(getScheduledExecutorService());
        if (getPollStrategy() != null) {
            child.setPollStrategy(getPollStrategy());
        }
        child.setExceptionHandler(getExceptionHandler());
        child.setBridgeErrorHandler(isBridgeErrorHandler());
        child.init();
        return child;
    }

    /** The scheduler the triggers of this endpoint's app share ({@code triggerThreads} threads). */
    public ScheduledExecutorService triggerScheduler() {
        return getComponent().triggerScheduler(settings, configuration.getTriggerThreads());
    }

    /** How much later than its initialDelay a trigger of this endpoint's app polls first: spreads a start's polls. */
    public long nextStagger(long delay) {
        return getComponent().nextStagger(settings, delay);
    }

    /** Cursor and dedup store of a trigger of this endpoint; the trigger closes it when it stops. */
    public TriggerState triggerState(String trigger, String scope) {
        String key = configuration.getStateKey();
        if (key == null || key.isBlank()) {
            key = (trigger + "/" + settings.auth().tenantId() + "/" + settings.account() + "/" + scope)
                    .toLowerCase(Locale.ROOT);
        }
        return getComponent().stateStores().open(key, configuration.getStateDirectory(),
                configuration.getStateRepository(), configuration.getIdempotentRepository(),
                configuration.getStateDataSource(), getCamelContext());
    }

    /** The trigger or action this endpoint's URI names, or null. */
    Outlook365Operation operation() {
        return Outlook365Operations.find(operationName());
    }

    String operationName() {
        return (resource == null ? "" : resource.trim().toLowerCase(Locale.ROOT)) + "/"
               + (action == null ? "" : action.trim());
    }

    /** The endpoint's connection options, checked. */
    public ConnectionSettings connectionSettings() {
        return settings;
    }

    @Override
    public String getServiceUrl() {
        return settings == null ? null : settings.auth().graphEndpoint();
    }

    @Override
    public String getServiceProtocol() {
        return "https";
    }

    @Override
    public Map<String, String> getServiceMetadata() {
        if (settings == null) {
            return null;
        }
        if (settings.account() == null) {
            return Map.of("clientId", settings.auth().clientId(), "tenantId", settings.auth().tenantId());
        }
        return Map.of("clientId", settings.auth().clientId(), "tenantId", settings.auth().tenantId(), "account",
                settings.account());
    }

    public String getResource() {
        return resource;
    }

    /**
     * What the endpoint works on: mail, calendar or connection.
     */
    public void setResource(String resource) {
        this.resource = resource;
    }

    public String getAction() {
        return action;
    }

    /**
     * The trigger (used in from) or action (used in to) of the resource: mail triggers received, sent, flagged; calendar
     * triggers created, updated, deleted, startingSoon, invitationReceived, responseReceived; the rest are actions. See
     * docs/mail.md, docs/calendar.md and docs/authentication.md for each one's options, body and headers.
     */
    public void setAction(String action) {
        this.action = action;
    }

    public Outlook365Configuration getConfiguration() {
        return configuration;
    }

    /**
     * The endpoint's options.
     */
    public void setConfiguration(Outlook365Configuration configuration) {
        this.configuration = configuration;
    }
}

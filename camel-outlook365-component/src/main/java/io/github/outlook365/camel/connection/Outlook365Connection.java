package io.github.outlook365.camel.connection;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import io.github.outlook365.camel.Outlook365ConnectionOptions;
import io.github.outlook365.camel.Outlook365Exception;
import io.github.outlook365.camel.Outlook365Operation;
import io.github.outlook365.camel.auth.AccessToken;
import io.github.outlook365.camel.auth.AuthSettings;
import io.github.outlook365.camel.auth.GraphPermission;
import io.github.outlook365.camel.auth.Permissions;
import io.github.outlook365.camel.auth.DelegatedSettings;
import io.github.outlook365.camel.auth.DelegatedTokenProvider;
import io.github.outlook365.camel.auth.EncryptedFileTokenStore;
import io.github.outlook365.camel.auth.MemoryTokenStore;
import io.github.outlook365.camel.auth.TokenStore;
import io.github.outlook365.camel.auth.TokenProvider;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.RetryPolicy;
import io.github.outlook365.camel.trigger.TriggerLeadership;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a tenant's mailbox, shared by every endpoint whose connection settings are equal. In the app-only
 * modes the token provider, HTTP client, Graph client and state are those of the app ({@link AppConnection}), shared
 * by all its mailboxes; a delegated connection has its own (its signed-in user's session is shared by sign-in key).
 */
public final class Outlook365Connection {

    private static final Logger LOG = LoggerFactory.getLogger(Outlook365Connection.class);

    private final ConnectionSettings settings;
    private final TokenProvider rawTokens;
    private final TokenProvider tokens;
    private final GraphClient graph;
    private final ConnectionLifecycle lifecycle;
    private final Set<String> permissionsChecked;
    private final AppConnection app;
    // the triggers of this connection (app-only: of its app) whose state a cluster shares (stateDataSource), by state
    // key: the health check shows which node leads each
    private final Map<String, TriggerLeadership> leaderships;
    // where the account came from, for messages: the option, or the header of the exchange of a mailbox view
    private final String accountSource;

    public Outlook365Connection(CamelContext camelContext, ConnectionSettings settings) throws Exception {
        this(camelContext, settings, LifecycleSettings.of(new Outlook365ConnectionOptions()),
                new ConcurrentHashMap<>(), null);
    }

    /**
     * @param signIns the delegated sessions of the component by {@link ConnectionSettings#signInKey()}: a connection to a
     *                shared mailbox uses the session someone signed in to through another connection of the same app
     * @param app     for the app-only modes, what the mailboxes of the app share (token, HTTP and Graph client, state);
     *                null opens one for this connection alone
     */
    public Outlook365Connection(CamelContext camelContext, ConnectionSettings settings, LifecycleSettings lifecycleSettings,
                                Map<String, DelegatedTokenProvider> signIns, AppConnection app) throws Exception {
        this.settings = settings;
        this.accountSource = "option account";
        if (settings.auth().authMode().appOnly()) {
            this.app = app != null ? app : new AppConnection(camelContext, settings, lifecycleSettings);
            this.app.addMailbox(settings.account());
            this.rawTokens = this.app.rawTokens();
            this.lifecycle = this.app.lifecycle();
            this.tokens = this.app.tokens();
            this.graph = this.app.graph();
            this.permissionsChecked = this.app.permissionsChecked();
            this.leaderships = this.app.leaderships();
            return;
        }
        this.app = null;
        this.permissionsChecked = ConcurrentHashMap.newKeySet();
        this.leaderships = new ConcurrentHashMap<>();
        HttpClient client = AppConnection.httpClient(camelContext, settings);
        DelegatedTokenProvider delegatedTokens = signIns.computeIfAbsent(settings.signInKey(),
                k -> new DelegatedTokenProvider(settings.auth(), tokenStore(camelContext, settings.auth().delegated()),
                        client, Clock.systemUTC()));
        this.rawTokens = delegatedTokens;
        this.lifecycle = new ConnectionLifecycle(settings.displayName(), lifecycleSettings, settings.auth().certificate(),
                this::consentUrl, Clock.systemUTC());
        DelegatedTokenProvider delegated = delegatedTokens;
        // a sign-in through any connection of this app and user makes this one work again
        delegated.addSignInListener(lifecycle::signedIn);
        // whenever a person must sign in, the setup log says where, with the setup token
        lifecycle.addListener(event -> {
            if (event.state() == ConnectionState.BROKEN && ConnectionEvent.STATE_CHANGED.equals(event.type())) {
                delegated.inviteSignIn("connection " + settings.displayName() + (event.firstSignIn()
                        ? ": nobody has signed in yet" : " needs it: " + event.reason()));
            }
        });
        if (delegated.signedInUser() == null && settings.auth().delegated().refreshToken() == null) {
            // a first start: the application runs and waits for the sign-in instead of failing
            lifecycle.awaitSignIn();
        } else {
            delegated.inviteSignIn("to sign in again; another user is refused unless allowAccountSwitch=true");
        }
        this.tokens = lifecycle.guard(rawTokens);
        RetryPolicy retry = new RetryPolicy(settings.maxRetries(), Duration.ofSeconds(1), settings.maxRetryDelay());
        this.graph = new GraphClient(client, tokens, settings.auth().graphEndpoint(), retry,
                settings.maxConcurrentRequests(), settings.auth().timeout());
        graph.setOutcomes(lifecycle.graphOutcomes());
    }

    /** A view of an app-only connection on another mailbox: see {@link #forMailbox}. */
    private Outlook365Connection(Outlook365Connection base, String account, String accountSource) {
        this.settings = base.settings.withAccount(account);
        this.accountSource = accountSource;
        this.app = base.app;
        this.rawTokens = base.rawTokens;
        this.lifecycle = base.lifecycle;
        this.tokens = base.tokens;
        this.graph = base.graph;
        this.permissionsChecked = base.permissionsChecked;
        this.leaderships = base.leaderships;
    }

    /**
     * This app-only connection on the mailbox {@code account}, for one exchange: a light view that shares everything of
     * the app (token, token gate, HTTP and Graph client, state, permissions checked, which are app-wide roles) and is
     * registered nowhere, so mailboxes named by exchanges cost nothing that stays. The Graph client keeps its
     * in-flight budget per mailbox by each request's mailbox, so the view's calls count against {@code account}'s.
     *
     * @param source where the account came from, for messages, e.g. {@code header CamelOutlook365Account}
     */
    public Outlook365Connection forMailbox(String account, String source) {
        if (app == null) {
            throw new IllegalStateException("a delegated connection acts on its signed-in user's mailbox: "
                                            + settings.displayName());
        }
        return new Outlook365Connection(this, account, source);
    }

    /** Where {@link #account()} came from, for messages: {@code option account}, or the header of a mailbox view. */
    public String accountSource() {
        return accountSource;
    }

    /** What the mailboxes of an app-only connection's app share; null for a delegated connection. */
    public AppConnection app() {
        return app;
    }

    /**
     * The link that fixes a BROKEN connection: the sign-in page (/provisioning_/signin next to the redirect URI) for
     * authMode=authorizationCode, the admin consent link for the app-only modes. Never an authorize URL with a state:
     * this link goes to health checks, JMX, events and alerts, where anyone who reads it could complete a live one.
     */
    public String consentUrl() {
        DelegatedTokenProvider delegated = delegated();
        return delegated != null ? delegated.signInLink() : Permissions.adminConsentUrl(settings.auth());
    }

    /** The connection's state machine: CONNECTED, DEGRADED or BROKEN, its events and its token gate. */
    /** A trigger of this connection runs on a state shared by a cluster; null forgets it (the trigger stopped). */
    public void leadership(String stateKey, TriggerLeadership leadership) {
        if (leadership == null) {
            leaderships.remove(stateKey);
        } else {
            leaderships.put(stateKey, leadership);
        }
    }

    /** The running triggers of this connection whose state a cluster shares, by state key. */
    public Map<String, TriggerLeadership> leaderships() {
        return Map.copyOf(leaderships);
    }

    public ConnectionLifecycle lifecycle() {
        return lifecycle;
    }

    /**
     * One token attempt whatever the backoff says (connection/check, the reconnect operation); the outcome updates
     * the state.
     */
    public AccessToken attemptToken() {
        return lifecycle.attempt(rawTokens);
    }

    /** The token store of a delegated connection: a bean (#name), an encrypted file, or memory. */
    private static TokenStore tokenStore(CamelContext camelContext, DelegatedSettings delegated) {
        String store = delegated.tokenStore();
        if (store == null) {
            LOG.warn("No tokenStore is set: the signed-in user's tokens live in memory only, and someone must sign in"
                     + " again after each restart");
            return new MemoryTokenStore();
        }
        if (store.startsWith("#")) {
            String name = store.startsWith("#bean:") ? store.substring(6) : store.substring(1);
            TokenStore bean = camelContext.getRegistry().lookupByNameAndType(name, TokenStore.class);
            if (bean == null) {
                throw new IllegalArgumentException("option tokenStore='" + store + "': there is no bean '" + name
                                                   + "' of type " + TokenStore.class.getName() + " in the registry");
            }
            return bean;
        }
        return new EncryptedFileTokenStore(Path.of(store), delegated.tokenStoreKey());
    }

    /**
     * Stops a route at its start when the connection's token lacks a Graph permission one of its triggers or actions
     * needs (roles of an app-only token, scp of a delegated one), naming the route, each operation, the permission and
     * the admin consent link. A delegated connection nobody signed in to yet is checked once someone did (the first
     * token request says so).
     *
     * @param routeId    the route that starts, or null for a trigger or action started on its own (a ProducerTemplate)
     * @param operations its operations on this connection, e.g. {@code mail/received}, {@code mail/send}
     */
    public void requirePermissions(String routeId, Collection<Outlook365Operation> operations) {
        AuthSettings auth = settings.auth();
        boolean delegatedMode = !auth.authMode().appOnly();
        List<Outlook365Operation> unchecked = operations.stream().distinct()
                .filter(o -> o.permission() != GraphPermission.NONE && !permissionsChecked.contains(o.name())).toList();
        if (unchecked.isEmpty()) {
            return;
        }
        if (delegatedMode && delegated().signedInUser() == null && auth.delegated().refreshToken() == null) {
            return;
        }
        AccessToken token;
        try {
            token = tokens.token();
        } catch (RuntimeException e) {
            ConnectionFailures.Failure failure = ConnectionFailures.classify(e);
            boolean waits = e instanceof ConnectionUnavailableException
                            || failure != null && (failure.state() == ConnectionState.DEGRADED || delegatedMode);
            if (!waits) {
                // an app-only credential Entra ID refuses (an expired secret, a wrong certificate) is a configuration
                // to fix before anything can run: the start fails, saying what to do
                throw e;
            }
            // already BROKEN, Entra ID or Graph having an outage, or a delegated sign-in that needs a person (the state
            // machine has just said so): the route starts, its actions fail fast with the state and its triggers wait;
            // the permissions are checked when the route starts again. A start must not bring the application down
            // for what its setup and recovery routes (which must run for it) or time fix.
            LOG.warn("{} starts on a connection that is {}: {}; its permissions are checked when it starts again",
                    routeId != null ? "Route " + routeId
                            : unchecked.stream().map(o -> "outlook365:" + o.name()).collect(Collectors.joining(", ")),
                    lifecycle.state(), e.getMessage());
            return;
        }
        String user = delegatedMode ? Permissions.claim(token.value(), "upn") : null;
        boolean shared = delegatedMode && settings.account() != null && user != null
                && !settings.account().equalsIgnoreCase(user);
        Set<String> granted = Permissions.granted(token.value());
        List<String> lacking = new ArrayList<>();
        for (Outlook365Operation operation : unchecked) {
            for (Permissions.Need need : Permissions.missing(
                    Permissions.needed(operation.name(), operation.permission(), delegatedMode, shared), granted)) {
                String alternatives = need.satisfiedBy().size() > 1
                        ? " (or " + need.satisfiedBy().stream().filter(p -> !p.equals(need.permission())).sorted()
                                .collect(Collectors.joining(", ")) + ")"
                        : "";
                lacking.add("outlook365:" + operation.name() + " needs the Microsoft Graph " + need.kind()
                            + " permission " + need.permission() + alternatives);
            }
        }
        if (lacking.isEmpty()) {
            unchecked.forEach(o -> permissionsChecked.add(o.name()));
            return;
        }
        String who = delegatedMode ? "the token of " + user + " (clientId '" + auth.clientId() + "')"
                : "the app-only token of clientId '" + auth.clientId() + "' in tenant '" + auth.tenantId() + "'";
        String fix = delegatedMode
                ? "add " + (lacking.size() > 1 ? "them" : "it") + " to the app registration's delegated permissions and"
                  + " to scopes, then sign in again, or have an admin consent for the organisation: "
                : "an admin must add " + (lacking.size() > 1 ? "them" : "it") + " under 'API permissions' (Application"
                  + " permissions) of the app registration and grant admin consent: ";
        throw new Outlook365Exception((routeId != null ? "Route " + routeId + " cannot start: " : "")
                                      + String.join("; ", lacking) + ", which " + who + " does not grant (it grants: "
                                      + (granted.isEmpty() ? "nothing" : String.join(", ", granted)) + "): " + fix
                                      + Permissions.adminConsentUrl(auth)
                                      + (routeId != null ? ". A route that should not run can stay switched off"
                                                           + " (autoStartup: false); outlook365:connection/check lists"
                                                           + " what each route needs" : ""));
    }

    /** The delegated token provider (sign-in links, code redemption), or null for the app-only modes. */
    public DelegatedTokenProvider delegated() {
        return rawTokens instanceof DelegatedTokenProvider d ? d : null;
    }

    public GraphClient graph() {
        return graph;
    }

    /** The connection's tokens, behind its token gate: refused at once while BROKEN before the next backoff step. */
    public TokenProvider tokens() {
        return tokens;
    }

    public ConnectionSettings settings() {
        return settings;
    }

    public String account() {
        return settings.account();
    }

    /** {@code /v1.0/users/{account}}: where this connection's mailbox lives in Graph. */
    public String mailboxPath() {
        return GraphClient.mailboxPath(settings.account());
    }

    /** {@code /v1.0/users/{account}/messages/{id}}: one message of the mailbox. */
    public String messagePath(String messageId) {
        return mailboxPath() + "/messages/" + GraphClient.encodePathSegment(messageId);
    }

    /** {@code /v1.0/users/{account}/events/{id}}: one event (or occurrence) of the mailbox's calendars. */
    public String eventPath(String eventId) {
        return mailboxPath() + "/events/" + GraphClient.encodePathSegment(eventId);
    }

    @Override
    public String toString() {
        return "Outlook365Connection[" + settings.displayName() + "]";
    }
}

package io.github.outlook365.camel;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import io.github.outlook365.camel.auth.DelegatedTokenProvider;
import io.github.outlook365.camel.connection.AppConnection;
import io.github.outlook365.camel.connection.ConnectionObservers;
import io.github.outlook365.camel.connection.ConnectionSettings;
import io.github.outlook365.camel.connection.ConnectionState;
import io.github.outlook365.camel.connection.LifecycleSettings;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.trigger.PushNotifications;
import io.github.outlook365.camel.trigger.TriggerScheduler;
import io.github.outlook365.camel.trigger.TriggerStateStores;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.HealthCheckComponent;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.util.concurrent.CamelThreadFactory;

/**
 * The {@code outlook365:} component: Outlook 365 mail triggers and actions over Microsoft Graph. Its options
 * ({@code camel.component.outlook365.*}) are the defaults of every endpoint; endpoints with equal connection options
 * share one connection (one token, one Graph client, one throttle budget per mailbox).
 */
@Component("outlook365")
public class Outlook365Component extends HealthCheckComponent {

    @Metadata
    private Outlook365Configuration configuration = new Outlook365Configuration();

    private final Map<String, Outlook365Connection> connections = new ConcurrentHashMap<>();
    private final Map<String, DelegatedTokenProvider> signIns = new ConcurrentHashMap<>();
    private final TriggerStateStores stateStores = new TriggerStateStores();
    private PushNotifications pushNotifications;
    private final Map<String, AppConnection> apps = new ConcurrentHashMap<>();
    private final Map<String, ScheduledExecutorService> triggerSchedulers = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> staggers = new ConcurrentHashMap<>();
    static final long STAGGER_STEP_MILLIS = 5;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        String[] parts = remaining.split("/");
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException("'" + uri + "' is not an outlook365 URI: use outlook365:<resource>/<action>,"
                                               + " e.g. outlook365:mail/received or outlook365:mail/send");
        }
        if (parameters.containsKey("certificate")) {
            // Camel masks password-, secret- and token-like options where it shows a URI, but not this one: the key
            // material would reach logs and tooling. Never show the value here either.
            throw new IllegalArgumentException("option certificate cannot be set in an endpoint URI (Camel would show"
                                               + " the key material wherever it shows the URI): set it on the component,"
                                               + " camel.component.outlook365.certificate = {{env:OUTLOOK365_CERTIFICATE}},"
                                               + " or use certificateFile");
        }
        if (parameters.containsKey("accountsGroup") && (parameters.containsKey("account")
                || parameters.containsKey("accounts"))) {
            throw new IllegalArgumentException("options accountsGroup and " + (parameters.containsKey("accounts")
                    ? "accounts" : "account") + " cannot be used together on " + parts[0] + "/" + parts[1]
                                               + ": accountsGroup names the mailboxes (its members); remove "
                                               + (parameters.containsKey("accounts") ? "accounts" : "account"));
        }
        Outlook365Endpoint endpoint = new Outlook365Endpoint(uri, this, configuration.copy());
        endpoint.setResource(parts[0]);
        endpoint.setAction(parts[1]);
        checkFixedValues(parameters);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /**
     * Refuses a value that is not one of an option's fixed values (authMode, environment, importance, ...), naming the
     * values there are, before Camel's conversion refuses it less clearly.
     */
    private void checkFixedValues(Map<String, Object> parameters) {
        if (!(getEndpointPropertyConfigurer() instanceof PropertyConfigurerGetter options)) {
            return;
        }
        parameters.forEach((name, value) -> {
            Class<?> type = options.getOptionType(name, true);
            if (type != null && type.isEnum() && value instanceof String text && !text.startsWith("#")) {
                EnumValues.check(type, text, "option " + name);
            }
        });
    }

    /**
     * The shared connection for these settings, opened on first use. In the app-only modes the connections of one app
     * (equal options but the account) share one {@link AppConnection}, with one health check and one JMX view.
     */
    synchronized Outlook365Connection connection(ConnectionSettings settings, LifecycleSettings lifecycle) {
        Outlook365Connection existing = connections.get(settings.key());
        if (existing != null) {
            return existing;
        }
        Outlook365Connection connection;
        boolean appOnly = settings.auth().authMode().appOnly();
        AppConnection app = appOnly ? apps.get(settings.appKey()) : null;
        boolean newApp = appOnly && app == null;
        try {
            if (newApp) {
                app = new AppConnection(getCamelContext(), settings, lifecycle);
            }
            connection = new Outlook365Connection(getCamelContext(), settings, lifecycle, signIns, app);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new Outlook365Exception("cannot open the connection " + settings.displayName() + ": " + e.getMessage(), e);
        }
        if (appOnly && !newApp) {
            // another mailbox of an app already shown: no further health check or MBean
            connections.put(settings.key(), connection);
            return connection;
        }
        retireReplaced(connection);
        if (newApp) {
            apps.put(settings.appKey(), app);
        }
        connections.put(settings.key(), connection);
        ConnectionObservers.register(getCamelContext(), connection);
        return connection;
    }

    /**
     * A connection to the same app and tenant (and mailbox, if delegated) with other credentials (a replaced secret or
     * certificate, a new sign-in configuration) replaces an older one that is BROKEN: its health check and JMX view go,
     * and in the app-only modes every mailbox connection of the old app, so a BROKEN connection nobody uses any more
     * does not keep the readiness DOWN. Runs only when a new app or delegated connection opens, never per mailbox.
     */
    private void retireReplaced(Outlook365Connection replacement) {
        String identity = identity(replacement.settings());
        List<Outlook365Connection> retired = new ArrayList<>();
        connections.values().removeIf(old -> {
            if (old.lifecycle().state() == ConnectionState.BROKEN && identity.equals(identity(old.settings()))) {
                retired.add(old);
                return true;
            }
            return false;
        });
        Set<String> unregistered = new HashSet<>();
        for (Outlook365Connection old : retired) {
            if (unregistered.add(old.lifecycle().name())) {
                ConnectionObservers.unregister(getCamelContext(), old);
            }
            if (old.app() != null) {
                apps.values().remove(old.app());
            }
        }
    }

    private static String identity(ConnectionSettings settings) {
        String name = settings.auth().authMode().appOnly() ? settings.appName() : settings.displayName();
        return settings.auth().authMode() + "|" + settings.auth().authorityHost() + "|" + settings.auth().graphEndpoint()
               + "|" + name.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The scheduler of the triggers of one app (its {@link ConnectionSettings#appKey()}): the triggers of a thousand
     * mailboxes poll on {@code triggerThreads} threads, not on a thread each. Its threads are named by Camel's
     * ExecutorServiceManager (its thread name pattern), and a thread on which a JVM error escaped a route is replaced
     * ({@link TriggerScheduler}); shut down when the component stops, a trigger that stops only cancels its task.
     */
    public synchronized ScheduledExecutorService triggerScheduler(ConnectionSettings settings, int threads) {
        ScheduledExecutorService scheduler = triggerSchedulers.get(settings.appKey());
        if (scheduler == null) {
            String who = settings.auth().authMode().appOnly() ? settings.appName() : settings.displayName();
            String pattern = getCamelContext().getExecutorServiceManager().getThreadNamePattern();
            scheduler = new TriggerScheduler(threads,
                    new CamelThreadFactory(pattern, "outlook365-triggers " + who, true));
            triggerSchedulers.put(settings.appKey(), scheduler);
        }
        return scheduler;
    }

    /**
     * How long the next trigger of an app waits, beyond its initialDelay, before its first poll: a few milliseconds
     * more for each trigger, so that a thousand triggers started at once do not poll in one burst (spread over at most
     * {@code spread} milliseconds).
     */
    public long nextStagger(ConnectionSettings settings, long spread) {
        long n = staggers.computeIfAbsent(settings.appKey(), k -> new AtomicLong()).getAndIncrement();
        return spread <= 0 ? 0 : (n * STAGGER_STEP_MILLIS) % spread;
    }

    /** The connections opened so far (for tooling and tests). */
    public java.util.Collection<Outlook365Connection> connections() {
        return java.util.List.copyOf(connections.values());
    }

    TriggerStateStores stateStores() {
        return stateStores;
    }

    /**
     * The component's Graph change notifications: which subscription belongs to which trigger, shared by the triggers
     * with notification=webhook and the receiver (outlook365:connection/receiveNotification).
     */
    public synchronized PushNotifications pushNotifications() {
        if (pushNotifications == null) {
            pushNotifications = new PushNotifications(getCamelContext());
        }
        return pushNotifications;
    }

    @Override
    public void setCamelContext(CamelContext context) {
        super.setCamelContext(context);
        // camel-main's start-up summary masks by a keyword list, not by secret = true: name our secrets there before
        // it prints camel.component.outlook365.* (the component is created before its options are set and logged)
        SecretOptions.registerSensitiveKeywords(context);
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        // the Graph permissions of a route's triggers and actions are checked when that route starts
        getCamelContext().addLifecycleStrategy(new RoutePermissions(this));
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // a camel.main.additionalSensitiveKeywords applied after this component was created replaced ours
        SecretOptions.registerSensitiveKeywords(getCamelContext());
        ServiceHelper.startService(stateStores);
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (this) {
            if (pushNotifications != null) {
                pushNotifications.shutdown();
            }
        }
        ServiceHelper.stopService(stateStores);
        Set<String> unregistered = new HashSet<>();
        for (Outlook365Connection c : connections.values()) {
            if (unregistered.add(c.lifecycle().name())) {
                ConnectionObservers.unregister(getCamelContext(), c);
            }
        }
        signIns.values().forEach(DelegatedTokenProvider::flushRefusalLogs);
        connections.clear();
        apps.clear();
        staggers.clear();
        triggerSchedulers.values().forEach(ScheduledExecutorService::shutdownNow);
        triggerSchedulers.clear();
        signIns.clear();
        super.doStop();
    }

    public Outlook365Configuration getConfiguration() {
        return configuration;
    }

    /**
     * The options every endpoint starts from.
     */
    public void setConfiguration(Outlook365Configuration configuration) {
        this.configuration = configuration;
    }
}

package io.github.outlook365.camel.connection;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLContext;

import io.github.outlook365.camel.auth.AppOnlyTokenProvider;
import io.github.outlook365.camel.auth.Permissions;
import io.github.outlook365.camel.auth.TokenProvider;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.RetryPolicy;
import io.github.outlook365.camel.trigger.TriggerLeadership;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * What the mailboxes of one app share in the app-only modes ({@code clientCredentials}, {@code clientCertificate}): one
 * MSAL client and one token per (cloud, tenant, app, credential), one HTTP client, one token gate and one state
 * ({@link ConnectionLifecycle}, named {@code clientId@tenant}), one Graph client. An app-only token reads every
 * mailbox the app may read, so a thousand mailboxes cost one token request, not a thousand.
 * <p>
 * What Graph keeps per mailbox stays per mailbox: the Graph client's concurrency budget ({@code maxConcurrentRequests}
 * in flight per mailbox), and here a trouble record per mailbox (its last failure, until a call for it succeeds again),
 * which the one health check and the one JMX view of the app list. The records are bounded by the mailboxes in use.
 */
public final class AppConnection {

    /** How many mailboxes in trouble the health check and the JMX view name; the count says how many there are. */
    public static final int TROUBLE_SHOWN = 20;

    private final String name;
    private final AppOnlyTokenProvider rawTokens;
    private final ConnectionLifecycle lifecycle;
    private final TokenProvider tokens;
    private final GraphClient graph;
    private final Set<String> permissionsChecked = ConcurrentHashMap.newKeySet();
    private final Set<String> mailboxes = ConcurrentHashMap.newKeySet();
    private final Map<String, MailboxTrouble> trouble = new ConcurrentHashMap<>();
    private final Map<String, TriggerLeadership> leaderships = new ConcurrentHashMap<>();

    /** The last failure of a mailbox's Graph calls, kept until a call for it succeeds again. */
    public record MailboxTrouble(String mailbox, String reason, Instant since) {
    }

    public AppConnection(CamelContext camelContext, ConnectionSettings settings, LifecycleSettings lifecycleSettings)
            throws Exception {
        if (!settings.auth().authMode().appOnly()) {
            throw new IllegalArgumentException("an app connection is for the app-only modes, not authMode="
                                               + settings.auth().authMode());
        }
        this.name = settings.appName();
        HttpClient client = httpClient(camelContext, settings);
        this.rawTokens = new AppOnlyTokenProvider(settings.auth(), AppOnlyTokenProvider.credentialOf(settings.auth()),
                client, Clock.systemUTC());
        this.lifecycle = new ConnectionLifecycle(name, lifecycleSettings, settings.auth().certificate(),
                () -> Permissions.adminConsentUrl(settings.auth()), Clock.systemUTC());
        this.tokens = lifecycle.guard(rawTokens);
        RetryPolicy retry = new RetryPolicy(settings.maxRetries(), Duration.ofSeconds(1), settings.maxRetryDelay());
        this.graph = new GraphClient(client, tokens, settings.auth().graphEndpoint(), retry,
                settings.maxConcurrentRequests(), settings.auth().timeout());
        GraphClient.Outcomes state = lifecycle.graphOutcomes();
        graph.setOutcomes(new GraphClient.Outcomes() {
            @Override
            public void succeeded() {
                state.succeeded();
            }

            @Override
            public void failed(RuntimeException failure) {
                state.failed(failure);
            }

            @Override
            public void succeeded(String mailbox) {
                state.succeeded();
                if (mailbox != null && !trouble.isEmpty()) {
                    trouble.remove(mailbox.toLowerCase(Locale.ROOT));
                }
            }

            @Override
            public void failed(String mailbox, RuntimeException failure) {
                state.failed(failure);
                if (mailbox != null) {
                    String key = mailbox.toLowerCase(Locale.ROOT);
                    // one record per mailbox in use: bounded by the mailboxes the routes name
                    if (mailboxes.contains(key) || trouble.size() < 10_000) {
                        trouble.put(key, new MailboxTrouble(mailbox, String.valueOf(failure.getMessage()),
                                Instant.now()));
                    }
                }
            }
        });
    }

    /** Threads of a connection's HTTP client at most: they only hand answers on (the client's selector does the I/O). */
    static final int HTTP_THREADS = 4;

    /**
     * The HTTP client of a connection: no redirects, the connection's TLS parameters, and a small pool of Camel's for
     * its work (the JDK's default pool grows a thread per request in flight and keeps them a minute: 16 mailboxes
     * starting at a time left 16 more threads behind).
     */
    static HttpClient httpClient(CamelContext camelContext, ConnectionSettings settings) throws Exception {
        String who = settings.auth().authMode().appOnly() ? settings.appName() : settings.displayName();
        java.util.concurrent.ExecutorService pool = camelContext.getExecutorServiceManager().newThreadPool(
                AppConnection.class, "outlook365-http " + who,
                new org.apache.camel.spi.ThreadPoolProfile() {
                    {
                        setId("outlook365-http");
                        setPoolSize(HTTP_THREADS);
                        setMaxPoolSize(HTTP_THREADS);
                        setKeepAliveTime(30L);
                        setTimeUnit(java.util.concurrent.TimeUnit.SECONDS);
                        setAllowCoreThreadTimeOut(true);
                        setMaxQueueSize(-1);
                        setRejectedPolicy(org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy.CallerRuns);
                    }
                });
        HttpClient.Builder http = HttpClient.newBuilder()
                .executor(pool)
                .connectTimeout(Duration.ofSeconds(Math.min(30, settings.auth().timeout().toSeconds() + 1)))
                .followRedirects(HttpClient.Redirect.NEVER);
        SSLContextParameters ssl = settings.sslContextParameters();
        if (ssl != null) {
            SSLContext context = ssl.createSSLContext(camelContext);
            http.sslContext(context);
        }
        return http.build();
    }

    /** A mailbox a connection of this app reads or writes. */
    void addMailbox(String account) {
        if (account != null) {
            mailboxes.add(account.toLowerCase(Locale.ROOT));
        }
    }

    /** {@code clientId@tenant}. */
    public String name() {
        return name;
    }

    public AppOnlyTokenProvider rawTokens() {
        return rawTokens;
    }

    public ConnectionLifecycle lifecycle() {
        return lifecycle;
    }

    /** The tokens behind the app's token gate. */
    public TokenProvider tokens() {
        return tokens;
    }

    public GraphClient graph() {
        return graph;
    }

    /** The operations whose Graph permission the app's token was found to grant (app roles are app-wide). */
    Set<String> permissionsChecked() {
        return permissionsChecked;
    }

    /** The triggers of the app's mailboxes whose state a cluster shares, by state key (see the health check). */
    Map<String, TriggerLeadership> leaderships() {
        return leaderships;
    }

    /** How many mailboxes the app's connections use. */
    public int mailboxCount() {
        return mailboxes.size();
    }

    /** How many mailboxes are in trouble now. */
    public int troubleCount() {
        return trouble.size();
    }

    /** The mailboxes in trouble, the most recent first, at most {@link #TROUBLE_SHOWN}. */
    public List<MailboxTrouble> trouble() {
        List<MailboxTrouble> all = new ArrayList<>(trouble.values());
        all.sort(Comparator.comparing(MailboxTrouble::since).reversed());
        return all.size() > TROUBLE_SHOWN ? List.copyOf(all.subList(0, TROUBLE_SHOWN)) : all;
    }

    @Override
    public String toString() {
        return "AppConnection[" + name + ", " + mailboxes.size() + " mailboxes]";
    }
}

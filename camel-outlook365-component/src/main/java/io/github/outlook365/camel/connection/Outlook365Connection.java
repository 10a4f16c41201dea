package io.github.outlook365.camel.connection;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import io.github.outlook365.camel.auth.AppOnlyTokenProvider;
import io.github.outlook365.camel.auth.DelegatedSettings;
import io.github.outlook365.camel.auth.DelegatedTokenProvider;
import io.github.outlook365.camel.auth.EncryptedFileTokenStore;
import io.github.outlook365.camel.auth.MemoryTokenStore;
import io.github.outlook365.camel.auth.TokenStore;
import io.github.outlook365.camel.auth.TokenProvider;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.RetryPolicy;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection to a tenant's mailbox: one HTTP client, one token provider and one Graph client (with its throttle
 * budget), shared by every endpoint whose connection settings are equal.
 */
public final class Outlook365Connection {

    private static final Logger LOG = LoggerFactory.getLogger(Outlook365Connection.class);

    private final ConnectionSettings settings;
    private final TokenProvider tokens;
    private final GraphClient graph;

    public Outlook365Connection(CamelContext camelContext, ConnectionSettings settings) throws Exception {
        this.settings = settings;
        HttpClient.Builder http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(Math.min(30, settings.auth().timeout().toSeconds() + 1)))
                .followRedirects(HttpClient.Redirect.NEVER);
        SSLContextParameters ssl = settings.sslContextParameters();
        if (ssl != null) {
            SSLContext context = ssl.createSSLContext(camelContext);
            http.sslContext(context);
        }
        HttpClient client = http.build();
        this.tokens = switch (settings.auth().authMode()) {
            case clientCredentials, clientCertificate -> new AppOnlyTokenProvider(settings.auth(),
                    AppOnlyTokenProvider.credentialOf(settings.auth()), client, Clock.systemUTC());
            case authorizationCode -> new DelegatedTokenProvider(settings.auth(),
                    tokenStore(camelContext, settings.auth().delegated()), client, Clock.systemUTC());
        };
        RetryPolicy retry = new RetryPolicy(settings.maxRetries(), Duration.ofSeconds(1), settings.maxRetryDelay());
        this.graph = new GraphClient(client, tokens, settings.auth().graphEndpoint(), retry,
                settings.maxConcurrentRequests(), settings.auth().timeout());
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

    /** The delegated token provider (sign-in links, code redemption), or null for the app-only modes. */
    public DelegatedTokenProvider delegated() {
        return tokens instanceof DelegatedTokenProvider d ? d : null;
    }

    public GraphClient graph() {
        return graph;
    }

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

    @Override
    public String toString() {
        return "Outlook365Connection[" + settings.displayName() + "]";
    }
}

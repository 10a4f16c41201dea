package io.github.outlook365.camel.connection;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import io.github.outlook365.camel.auth.AppOnlyTokenProvider;
import io.github.outlook365.camel.auth.TokenProvider;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.RetryPolicy;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * One connection to a tenant's mailbox: one HTTP client, one token provider and one Graph client (with its throttle
 * budget), shared by every endpoint whose connection settings are equal.
 */
public final class Outlook365Connection {

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
        };
        RetryPolicy retry = new RetryPolicy(settings.maxRetries(), Duration.ofSeconds(1), settings.maxRetryDelay());
        this.graph = new GraphClient(client, tokens, settings.auth().graphEndpoint(), retry,
                settings.maxConcurrentRequests(), settings.auth().timeout());
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

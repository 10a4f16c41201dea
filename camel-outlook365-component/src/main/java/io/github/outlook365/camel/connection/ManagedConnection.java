package io.github.outlook365.camel.connection;

import java.time.Instant;

import io.github.outlook365.camel.auth.DelegatedTokenProvider;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
import org.apache.camel.api.management.ManagedResource;

/**
 * The JMX view of one connection (camel-management): state and since when, last error, when the token and the
 * certificate expire, Graph request counters; operations check, reconnect and inviteSignIn. Nothing secret in it.
 */
@ManagedResource(description = "An Outlook 365 connection: its state and Graph counters")
public final class ManagedConnection {

    private final Outlook365Connection connection;

    public ManagedConnection(Outlook365Connection connection) {
        this.connection = connection;
    }

    @ManagedAttribute(description = "The connection: clientId@tenant for an app-only one, clientId@tenant/account for a delegated one")
    public String getName() {
        return connection.lifecycle().name();
    }

    @ManagedAttribute(description = "The authentication mode")
    public String getAuthMode() {
        return connection.settings().auth().authMode().name();
    }

    @ManagedAttribute(description = "CONNECTED, DEGRADED or BROKEN")
    public String getState() {
        return connection.lifecycle().state().name();
    }

    @ManagedAttribute(description = "Since when the connection is in its state (ISO-8601)")
    public String getSince() {
        return text(connection.lifecycle().since());
    }

    @ManagedAttribute(description = "Why the connection is in its state (empty when CONNECTED)")
    public String getReason() {
        return nullToEmpty(connection.lifecycle().reason());
    }

    @ManagedAttribute(description = "The last failure seen, with its OAuth error and AADSTS code")
    public String getLastError() {
        ConnectionFailures.Failure last = connection.lifecycle().lastFailure();
        return last == null ? "" : last.reason();
    }

    @ManagedAttribute(description = "The AADSTS code of the last token failure")
    public String getLastAadstsCode() {
        ConnectionFailures.Failure last = connection.lifecycle().lastFailure();
        return last == null ? "" : nullToEmpty(last.aadstsCode());
    }

    @ManagedAttribute(description = "The link that fixes a BROKEN connection")
    public String getConsentUrl() {
        return nullToEmpty(connection.lifecycle().consentUrlNow());
    }

    @ManagedAttribute(description = "When the held access token expires")
    public String getTokenExpiresAt() {
        return text(connection.lifecycle().tokenExpiresAt());
    }

    @ManagedAttribute(description = "When the certificate of authMode=clientCertificate expires")
    public String getCertificateExpiresAt() {
        return text(connection.lifecycle().certificateExpiresAt());
    }

    @ManagedAttribute(description = "Graph requests sent")
    public long getRequests() {
        return connection.graph().requestCount();
    }

    @ManagedAttribute(description = "Graph requests answered 429")
    public long getThrottled() {
        return connection.graph().throttledCount();
    }

    @ManagedAttribute(description = "Graph requests retried")
    public long getRetries() {
        return connection.graph().retryCount();
    }

    @ManagedAttribute(description = "Token requests sent to Entra ID")
    public long getTokenRequests() {
        return connection.tokens().tokenRequests();
    }

    @ManagedAttribute(description = "Mailboxes the connection's app reads and writes (1 for a delegated connection)")
    public int getMailboxes() {
        AppConnection app = connection.app();
        return app == null ? 1 : app.mailboxCount();
    }

    @ManagedAttribute(description = "Mailboxes whose last Graph call failed (throttled, refused, unreachable)")
    public int getMailboxesInTrouble() {
        AppConnection app = connection.app();
        return app == null ? 0 : app.troubleCount();
    }

    @ManagedAttribute(description = "The mailboxes in trouble, the most recent first (at most 20): mailbox, since, reason")
    public String getTrouble() {
        AppConnection app = connection.app();
        if (app == null) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (AppConnection.MailboxTrouble t : app.trouble()) {
            text.append(text.length() == 0 ? "" : "\n").append(t.mailbox()).append(" since ").append(t.since())
                    .append(": ").append(t.reason());
        }
        return text.toString();
    }

    @ManagedOperation(description = "Asks for a token now and returns the state")
    public String check() {
        try {
            connection.attemptToken();
        } catch (RuntimeException e) {
            // the state says it
        }
        return getState();
    }

    @ManagedOperation(description = "Ends the backoff wait: the next token request goes to Entra ID now; returns the state")
    public String reconnect() {
        connection.lifecycle().openGate();
        return check();
    }

    @ManagedOperation(description = "authorizationCode: writes the sign-in link with a valid setup token to the log"
                                    + " (logger outlook365.setup), for a sign-in while the connection works (a completed"
                                    + " sign-in spends the token); returns where to look, never the token")
    public String inviteSignIn() {
        DelegatedTokenProvider delegated = connection.delegated();
        if (delegated == null) {
            return "connection " + connection.lifecycle().name() + " is app-only (authMode="
                   + connection.settings().auth().authMode() + "): nobody signs in to it";
        }
        delegated.inviteSignIn("asked for over JMX");
        return "the sign-in link with its setup token is in the application's log (logger outlook365.setup)";
    }

    private static String text(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}

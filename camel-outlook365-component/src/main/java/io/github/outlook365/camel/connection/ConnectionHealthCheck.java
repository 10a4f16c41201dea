package io.github.outlook365.camel.connection;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * The readiness check of one connection (of one app, for the app-only modes, whose details count its mailboxes and
 * name those in trouble): DOWN while BROKEN (with the reason and the link that fixes it), UP while
 * CONNECTED or DEGRADED (which recovers by itself); the details show the state, when the token and the certificate
 * expire, and the last error; for each trigger whose state a cluster shares (stateDataSource), this node, the node that
 * leads it, its leadership epoch and whether this node was fenced off. Nothing secret in it.
 */
public final class ConnectionHealthCheck implements HealthCheck {

    private final Outlook365Connection connection;
    private final String id;
    private boolean enabled = true;

    public ConnectionHealthCheck(Outlook365Connection connection) {
        this.connection = connection;
        this.id = idOf(connection);
    }

    /** {@code outlook365-connection-<clientId@tenant>} (app-only) or {@code ...-<clientId@tenant/account>}. */
    public static String idOf(Outlook365Connection connection) {
        return "outlook365-connection-" + connection.lifecycle().name();
    }

    @Override
    public String getGroup() {
        return "outlook365";
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public boolean isReadiness() {
        return true;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public Result call(Map<String, Object> options) {
        ConnectionLifecycle lifecycle = connection.lifecycle();
        HealthCheckResultBuilder builder = HealthCheckResultBuilder.on(this);
        ConnectionState state = lifecycle.state();
        builder.detail("connection", lifecycle.name());
        builder.detail("state", state.name());
        builder.detail("since", String.valueOf(lifecycle.since()));
        builder.detail("authMode", connection.settings().auth().authMode().name());
        if (lifecycle.tokenExpiresAt() != null) {
            builder.detail("tokenExpiresAt", lifecycle.tokenExpiresAt().toString());
        }
        if (lifecycle.certificateExpiresAt() != null) {
            builder.detail("certificateExpiresAt", lifecycle.certificateExpiresAt().toString());
        }
        ConnectionEvent warning = lifecycle.certificateWarning();
        if (warning != null) {
            builder.detail("certificateWarning", warning.reason());
        }
        ConnectionFailures.Failure last = lifecycle.lastFailure();
        if (last != null) {
            builder.detail("lastError", last.reason());
            builder.detail("lastErrorAt", String.valueOf(lifecycle.lastFailureAt()));
            if (last.aadstsCode() != null) {
                builder.detail("aadstsCode", last.aadstsCode());
            }
        }
        if (lifecycle.nextAttempt() != null) {
            builder.detail("nextTokenAttempt", lifecycle.nextAttempt().toString());
        }
        AppConnection app = connection.app();
        if (app != null) {
            // one check per app, however many mailboxes: those in trouble are named (at most 20), not checked one by one
            builder.detail("mailboxes", app.mailboxCount());
            builder.detail("mailboxesInTrouble", app.troubleCount());
            List<AppConnection.MailboxTrouble> trouble = app.trouble();
            if (!trouble.isEmpty()) {
                builder.detail("trouble", trouble.stream().map(t -> t.mailbox() + " since " + t.since() + ": " + t.reason())
                        .collect(Collectors.joining("; ")));
            }
        }
        // triggers on a state a cluster shares: which node leads each (this one, or the one that took it over)
        connection.leaderships().forEach((key, leadership) -> {
            builder.detail("trigger." + key + ".node", leadership.node());
            builder.detail("trigger." + key + ".leaderNode", leadership.leaderNode());
            builder.detail("trigger." + key + ".leaderEpoch", leadership.leaderEpoch());
            builder.detail("trigger." + key + ".fenced", leadership.fenced());
        });
        if (state == ConnectionState.BROKEN) {
            String link = lifecycle.consentUrlNow();
            if (link != null) {
                builder.detail("consentUrl", link);
            }
            // the link in the message too: a health endpoint shows the message where it hides the details
            return builder.down().message("connection " + lifecycle.name() + " is BROKEN: " + lifecycle.reason()
                                          + (link != null ? "; fix it here: " + link : "")).build();
        }
        if (state == ConnectionState.DEGRADED) {
            builder.message("connection " + lifecycle.name() + " is DEGRADED: " + lifecycle.reason());
        }
        return builder.up().build();
    }
}

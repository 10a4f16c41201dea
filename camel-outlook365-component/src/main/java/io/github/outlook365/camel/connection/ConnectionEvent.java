package io.github.outlook365.camel.connection;

import java.time.Instant;

/**
 * A change of a connection's state (type STATE_CHANGED), or a warning that its certificate expires soon (type
 * CERTIFICATE_EXPIRING, state unchanged). The body of each {@code outlook365:connection/events} exchange; nothing
 * secret in it.
 *
 * @param connection    the connection's name: clientId@tenant/account
 * @param type          STATE_CHANGED or CERTIFICATE_EXPIRING
 * @param state         the state now
 * @param previousState the state before
 * @param reason        why, in a sentence
 * @param error         the OAuth error (invalid_grant, ...), or null
 * @param aadstsCode    the AADSTS code without prefix, or null
 * @param consentUrl    the link that fixes a BROKEN connection: a sign-in link (delegated) or the admin consent link
 * @param time          when
 */
public record ConnectionEvent(String connection, String type, ConnectionState state, ConnectionState previousState,
        String reason, String error, String aadstsCode, String consentUrl, Instant time) {

    public static final String STATE_CHANGED = "STATE_CHANGED";
    public static final String CERTIFICATE_EXPIRING = "CERTIFICATE_EXPIRING";
}

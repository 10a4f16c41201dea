package io.github.outlook365.camel.connection;

import java.time.Instant;

/**
 * A change of a connection's state (type STATE_CHANGED), a warning that its certificate expires soon (type
 * CERTIFICATE_EXPIRING, state unchanged), or a trigger's word about one item (TRIGGER_ITEM_PARKED,
 * TRIGGER_ITEM_DROPPED; state unchanged). The body of each {@code outlook365:connection/events} exchange; nothing
 * secret in it.
 *
 * @param connection    the connection's name: clientId@tenant/account
 * @param type          STATE_CHANGED, CERTIFICATE_EXPIRING, TRIGGER_ITEM_PARKED or TRIGGER_ITEM_DROPPED
 * @param state         the state now
 * @param previousState the state before
 * @param reason        why, in a sentence
 * @param error         the OAuth error (invalid_grant, ...), or null
 * @param aadstsCode    the AADSTS code without prefix, or null
 * @param consentUrl    the link that fixes a BROKEN connection: a sign-in link (delegated) or the admin consent link
 * @param time          when
 * @param trigger       the trigger a TRIGGER_ITEM_* event is about (e.g. mail/received), else null
 * @param itemId        the Graph id of the item a TRIGGER_ITEM_* event is about (a message, an event), else null
 * @param firstSignIn   true on the two state changes of a first start of a delegated connection: BROKEN because nobody
 *                      has signed in yet (nothing failed: the application waits for its first sign-in), and CONNECTED
 *                      when that first sign-in completed; false on every other event
 */
public record ConnectionEvent(String connection, String type, ConnectionState state, ConnectionState previousState,
        String reason, String error, String aadstsCode, String consentUrl, Instant time, String trigger, String itemId,
        boolean firstSignIn) {

    public static final String STATE_CHANGED = "STATE_CHANGED";
    public static final String CERTIFICATE_EXPIRING = "CERTIFICATE_EXPIRING";
    /** A trigger parked an item whose exchanges kept failing: it moved on, and retries the item later. */
    public static final String TRIGGER_ITEM_PARKED = "TRIGGER_ITEM_PARKED";
    /** A trigger gave up on a parked item (more items parked than it keeps): the item does not fire again. */
    public static final String TRIGGER_ITEM_DROPPED = "TRIGGER_ITEM_DROPPED";

    /** A state change or a certificate warning: about the connection, not one trigger's item. */
    public ConnectionEvent(String connection, String type, ConnectionState state, ConnectionState previousState,
                           String reason, String error, String aadstsCode, String consentUrl, Instant time) {
        this(connection, type, state, previousState, reason, error, aadstsCode, consentUrl, time, null, null, false);
    }

    /** A trigger's word about one item. */
    public ConnectionEvent(String connection, String type, ConnectionState state, ConnectionState previousState,
                           String reason, String error, String aadstsCode, String consentUrl, Instant time, String trigger,
                           String itemId) {
        this(connection, type, state, previousState, reason, error, aadstsCode, consentUrl, time, trigger, itemId, false);
    }
}

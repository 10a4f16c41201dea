package io.github.outlook365.camel;

import io.github.outlook365.camel.graph.GraphException;

/**
 * What one {@code outlook365:<resource>/<action>} does, run by {@link Outlook365Producer}. An action reads what the
 * route gives (ids, headers, body, options) through {@link ActionExchange}, which applies one order to all of them,
 * and calls Graph through it.
 * <p>
 * A new action implements this (or its resource's interface, such as {@code MailAction}) and is registered, with the
 * Graph permission it needs, in its resource's {@code *Operations} list.
 */
public interface Outlook365Action {

    /**
     * Runs when the route starts, before the first exchange: checks the endpoint's options (a bad one throws
     * IllegalArgumentException naming it) and may keep what every exchange shares. Nothing is sent to Graph here.
     */
    default void validate(Outlook365Endpoint endpoint) throws Exception {
    }

    /** Does the action on one exchange. */
    void process(ActionExchange exchange) throws Exception;

    /**
     * The {@code Prefer} value every Graph request of this action carries (a body format, a time zone), from the
     * endpoint's options; null for none.
     */
    default String preference(Outlook365Configuration configuration) {
        return null;
    }

    /**
     * Turns a refusal of Graph that only this kind of action understands (a message that is gone, a meeting the
     * account organizes) into an error that says what to do; {@code e} itself when there is nothing to add. The
     * refusals every action shares (no such mailbox, a missing permission) are explained before this is asked.
     */
    default RuntimeException explain(GraphException e, ActionExchange exchange) {
        return e;
    }
}

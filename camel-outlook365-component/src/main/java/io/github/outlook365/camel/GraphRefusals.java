package io.github.outlook365.camel;

import io.github.outlook365.camel.auth.GraphPermission;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.graph.GraphException;

/**
 * Graph's refusals that mean the same whatever asked: the account is no mailbox, or the app lacks a permission. Every
 * action, and the triggers, explain them with these words.
 */
public final class GraphRefusals {

    private GraphRefusals() {
    }

    /** Whether Graph says the account names no mailbox it can work on. */
    public static boolean isNotAMailbox(GraphException e) {
        return "ErrorInvalidUser".equalsIgnoreCase(e.getCode()) || "MailboxNotEnabledForRESTAPI".equalsIgnoreCase(e.getCode());
    }

    /** The account (the option, or the header an action took it from) names no mailbox of the tenant. */
    public static Outlook365Exception notAMailbox(GraphException e, Outlook365Connection connection) {
        return new Outlook365Exception(connection.accountSource() + "='" + connection.account() + "' is not a mailbox in"
                                       + " tenant '"
                                       + connection.settings().auth().tenantId() + "' (" + e.getCode() + "): give the user"
                                       + " principal name of a user with an Exchange Online mailbox, or a shared"
                                       + " mailbox's address (request-id " + e.getRequestId() + ")", e);
    }

    /**
     * Graph answered 403: the app may not do it on the mailbox.
     *
     * @param doing what was refused, e.g. {@code use outlook365:mail/send on} or {@code read mail of}
     */
    public static Outlook365Exception accessDenied(GraphException e, Outlook365Connection connection, String doing,
                                                   GraphPermission permission) {
        String kind = connection.settings().auth().authMode().appOnly() ? "application" : "delegated";
        return new Outlook365Exception("the app may not " + doing + " mailbox '" + connection.account() + "' ("
                                       + e.getCode() + "): an admin must grant the " + kind + " permission "
                                       + permission.describe() + " of Microsoft Graph and consent to it; with an"
                                       + " application access policy the mailbox must be in its scope (request-id "
                                       + e.getRequestId() + ")", e);
    }
}

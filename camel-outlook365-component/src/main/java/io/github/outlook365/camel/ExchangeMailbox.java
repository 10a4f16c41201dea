package io.github.outlook365.camel;

import java.util.regex.Pattern;

import io.github.outlook365.camel.connection.Outlook365Connection;
import org.apache.camel.Exchange;

/**
 * The mailbox an action acts on, exchange by exchange. An action's option {@code account} (on the endpoint, the
 * component or a {@code connection=#bean}) always wins: a route that reads a shared mailbox and sends its alerts from a
 * notifications mailbox keeps doing so. A mail or calendar action of an app-only mode that sets no account acts on the
 * mailbox named by header {@code CamelOutlook365Account}, which every trigger sets to the mailbox its item came from:
 * so {@code from("outlook365:mail/received?accounts=a@x,b@x").to("outlook365:mail/markRead")} marks each mail read in
 * its own mailbox. A delegated connection acts as its signed-in user and ignores the header.
 * <p>
 * The mailbox of an exchange is a light view of the action's connection ({@link Outlook365Connection#forMailbox}),
 * made for the exchange and kept nowhere: it shares the app's token, HTTP and Graph client; the Graph client counts its
 * calls against that mailbox's in-flight budget. The Graph permission is checked once for the app (app roles are
 * app-wide), when the route starts.
 * <p>
 * Camel's HTTP components drop inbound {@code Camel*} headers (their default header filter strategy), so a caller of an
 * HTTP route cannot name the mailbox through this header; a route that sets it from untrusted input decides for itself.
 */
final class ExchangeMailbox {

    /** A user's object id as Graph accepts it in {@code /users/{id}}. */
    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** local@domain: a user principal name or a mail address, no white space. */
    private static final Pattern ADDRESS = Pattern.compile("[^@\\s\\p{Cntrl}/\\\\]+@[^@\\s\\p{Cntrl}/\\\\]+");
    private static final int SHOWN = 100;

    private ExchangeMailbox() {
    }

    /**
     * The connection the exchange's action calls Graph through: {@code connection} itself when it names a mailbox or is
     * delegated, else a view on the mailbox of header CamelOutlook365Account.
     *
     * @param action the action as a route names it, for messages
     * @throws IllegalArgumentException when the header is needed and is absent or names no plausible mailbox
     */
    static Outlook365Connection of(Outlook365Connection connection, Exchange exchange, String action) {
        if (connection.account() != null || connection.app() == null) {
            return connection;
        }
        Object raw = exchange.getMessage().getHeader(Outlook365Constants.ACCOUNT);
        if (raw == null) {
            throw new IllegalArgumentException(action + " has no mailbox to act on: its endpoint sets no option account,"
                                               + " so it acts on the mailbox named by header "
                                               + Outlook365Constants.ACCOUNT + " (every outlook365 trigger sets it),"
                                               + " which this exchange does not have; set option account on the action,"
                                               + " or the header");
        }
        String value = exchange.getMessage().getHeader(Outlook365Constants.ACCOUNT, String.class);
        String mailbox = value == null ? "" : value.trim();
        if (!GUID.matcher(mailbox).matches() && !ADDRESS.matcher(mailbox).matches()) {
            // the value may come from anywhere a route took it: control characters and line breaks are not echoed
            String shown = value == null ? "" : io.github.outlook365.camel.auth.UntrustedText.clean(
                    value.length() > SHOWN ? value.substring(0, SHOWN) + "..." : value);
            throw new IllegalArgumentException("header " + Outlook365Constants.ACCOUNT + "='" + shown + "' is not a"
                                               + " mailbox: " + action + " (no option account) acts on the mailbox this"
                                               + " header names; give a user principal name or mail address such as"
                                               + " ada@contoso.com, or a user's object id (a GUID), or set option"
                                               + " account on the action");
        }
        return connection.forMailbox(mailbox, "header " + Outlook365Constants.ACCOUNT);
    }
}

package io.github.outlook365.camel.mail;

import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Exception;
import io.github.outlook365.camel.graph.GraphException;

/** Turns Graph's refusal of a mail action into an error that names what and what to do. */
final class MailErrors {

    private MailErrors() {
    }

    static RuntimeException explain(GraphException e, ActionExchange call) {
        String account = call.connection().account();
        String code = e.getCode() == null ? "" : e.getCode();
        String messageId = call.knownMessageId();
        if (e.getStatus() == 404 && messageId != null) {
            return new MessageNotFoundException(call.action() + ": message '" + messageId + "' is not in mailbox '"
                                                + account + "' (" + code + "): it was deleted, or moved (a move gives a"
                                                + " message a new id); take the id from header "
                                                + Outlook365Constants.MESSAGE_ID + " of a fresh trigger or of"
                                                + " outlook365:mail/list (request-id " + e.getRequestId() + ")",
                    messageId, e);
        }
        if ("ErrorInvalidRecipients".equalsIgnoreCase(code)) {
            return new Outlook365Exception(call.action() + ": Graph refused the recipients (" + e.getGraphMessage()
                                           + "): check the addresses in headers " + Outlook365Constants.TO + "/"
                                           + Outlook365Constants.CC + "/" + Outlook365Constants.BCC + ", the to/cc/bcc"
                                           + " options or the body (request-id " + e.getRequestId() + ")", e);
        }
        return e;
    }
}

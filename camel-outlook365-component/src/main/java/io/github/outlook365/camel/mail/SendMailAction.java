package io.github.outlook365.camel.mail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.graph.GraphJson;

/**
 * {@code outlook365:mail/send}: sends a mail from the connection's mailbox ({@code POST /users/{account}/sendMail}).
 * The body and headers are read by {@link OutgoingMessage}.
 */
final class SendMailAction implements MailAction {

    @Override
    public void process(MailCall call) {
        ObjectNode message = new OutgoingMessage(call.configuration).read(call.exchange, call.action, true);
        ObjectNode request = GraphJson.MAPPER.createObjectNode();
        request.set("message", message);
        request.put("saveToSentItems", call.configuration.isSaveToSentItems());
        call.send("POST", call.connection.mailboxPath() + "/sendMail", request);
    }

    @Override
    public String permission() {
        return "Mail.Send";
    }
}

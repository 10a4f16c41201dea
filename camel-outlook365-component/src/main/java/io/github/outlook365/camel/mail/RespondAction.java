package io.github.outlook365.camel.mail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.graph.GraphJson;

/**
 * {@code outlook365:mail/reply}, {@code mail/replyAll} and {@code mail/forward}: {@code POST /messages/{id}/reply}
 * (replyAll, forward) with Graph's documented body {@code {"comment": ..., "toRecipients": [...] (forward),
 * "message": {ccRecipients, bccRecipients}}}. Graph sends at once and keeps a copy in Sent Items.
 * <p>
 * The comment comes from header CamelOutlook365Comment, else the body (a text body, when the id comes from the
 * header; a Message body, as the triggers deliver, is the message replied to, not a comment), else the option comment.
 * Forward needs recipients: header CamelOutlook365To or the option to; reply takes them as extra recipients.
 */
final class RespondAction implements MailAction {

    private final String graphAction;

    RespondAction(String graphAction) {
        this.graphAction = graphAction;
    }

    @Override
    public void process(ActionExchange call) {
        String id = call.messageId();
        Outlook365Configuration options = call.configuration();
        ObjectNode request = GraphJson.MAPPER.createObjectNode();
        String comment = call.comment();
        request.put("comment", comment == null ? "" : comment);
        JsonNode to = recipients(call.given(Outlook365Constants.TO, null, "to", options.getTo()));
        JsonNode cc = recipients(call.given(Outlook365Constants.CC, null, "cc", options.getCc()));
        JsonNode bcc = recipients(call.given(Outlook365Constants.BCC, null, "bcc", options.getBcc()));
        ObjectNode message = GraphJson.MAPPER.createObjectNode();
        if (graphAction.equals("forward")) {
            if (to == null || to.isEmpty()) {
                throw new IllegalArgumentException("outlook365:mail/forward has no recipient: set header "
                                                   + Outlook365Constants.TO + " or the option to");
            }
            request.set("toRecipients", to);
        } else if (to != null && !to.isEmpty()) {
            message.set("toRecipients", to);
        }
        if (cc != null && !cc.isEmpty()) {
            message.set("ccRecipients", cc);
        }
        if (bcc != null && !bcc.isEmpty()) {
            message.set("bccRecipients", bcc);
        }
        if (!message.isEmpty()) {
            request.set("message", message);
        }
        call.send("POST", call.connection().messagePath(id) + "/" + graphAction, request);
    }

    private static JsonNode recipients(ActionExchange.Given given) {
        return given == null ? null : OutgoingMessage.recipients(given.value(), given.source());
    }
}

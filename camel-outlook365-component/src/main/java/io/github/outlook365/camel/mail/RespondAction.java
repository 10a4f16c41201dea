package io.github.outlook365.camel.mail;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.model.Message;

/**
 * {@code outlook365:mail/reply}, {@code mail/replyAll} and {@code mail/forward}: {@code POST /messages/{id}/reply}
 * (replyAll, forward) with Graph's documented body {@code {"comment": ..., "toRecipients": [...] (forward),
 * "message": {ccRecipients, bccRecipients}}}. Graph sends at once and keeps a copy in Sent Items.
 * <p>
 * The comment comes from header CamelOutlook365Comment, else the option comment, else a text body (a Message body,
 * as the triggers deliver, is the message replied to, not a comment). Forward needs recipients: header
 * CamelOutlook365To or the option to; reply takes them as extra recipients.
 */
final class RespondAction implements MailAction {

    private final String graphAction;

    RespondAction(String graphAction) {
        this.graphAction = graphAction;
    }

    @Override
    public void process(MailCall call) {
        String id = call.messageId();
        ObjectNode request = GraphJson.MAPPER.createObjectNode();
        request.put("comment", comment(call));
        JsonNode to = recipients(call, Outlook365Constants.TO, call.configuration.getTo(), "to");
        JsonNode cc = recipients(call, Outlook365Constants.CC, call.configuration.getCc(), "cc");
        JsonNode bcc = recipients(call, Outlook365Constants.BCC, call.configuration.getBcc(), "bcc");
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
        call.send("POST", call.messagePath(id) + "/" + graphAction, request);
    }

    private static String comment(MailCall call) {
        String comment = call.headerOrOption(Outlook365Constants.COMMENT, call.configuration.getComment());
        if (comment != null) {
            return comment;
        }
        Object body = call.in().getBody();
        if (body == null || body instanceof Message || body instanceof Map || body instanceof JsonNode
                || call.header(Outlook365Constants.MESSAGE_ID) == null) {
            // without the id header a text body is the id, not a comment
            return "";
        }
        return call.in().getBody(String.class);
    }

    private static JsonNode recipients(MailCall call, String header, String option, String optionName) {
        String value = call.header(header);
        if (value != null) {
            return OutgoingMessage.recipients(value, "header " + header);
        }
        return option == null || option.isBlank() ? null : OutgoingMessage.recipients(option, "option " + optionName);
    }

    @Override
    public String permission() {
        return "Mail.Send";
    }
}

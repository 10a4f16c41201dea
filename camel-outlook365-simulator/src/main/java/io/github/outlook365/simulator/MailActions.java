package io.github.outlook365.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Message actions beyond read/patch/delete/move: {@code POST .../messages} (create a draft in Drafts),
 * {@code POST .../messages/{id}/reply|replyAll|forward} (the new message goes to each simulated recipient's Inbox and
 * to the sender's Sent Items, in the original's conversation), {@code POST .../messages/{id}/send} (send a draft) and
 * {@code POST .../messages/{id}/copy}.
 */
final class MailActions {

    private static final Set<String> ACTIONS = Set.of("reply", "replyall", "forward", "send", "copy");

    private final Outlook365Simulator simulator;
    private final SendMailApi sendMail;

    MailActions(Outlook365Simulator simulator, SimulatorState state, SendMailApi sendMail) {
        this.simulator = simulator;
        this.sendMail = sendMail;
    }

    boolean handles(String action) {
        String a = action.toLowerCase(Locale.ROOT);
        return ACTIONS.contains(a.startsWith("microsoft.graph.") ? a.substring("microsoft.graph.".length()) : a);
    }

    void handle(HttpCall call, SimulatorState.AccessToken token, Mailbox mailbox, String id, String action,
            List<String> rest) {
        if (!rest.isEmpty()) {
            throw GraphException.segmentNotFound(rest.get(0));
        }
        GraphApi.requireMethod(call, "POST");
        String a = action.toLowerCase(Locale.ROOT).replace("microsoft.graph.", "");
        switch (a) {
            case "copy":
                GraphApi.requireRole(token, GraphApi.WRITE_ROLES);
                copy(call, mailbox, id);
                return;
            case "send":
                GraphApi.requireRole(token, GraphApi.SEND_ROLES);
                sendDraft(call, mailbox, id);
                return;
            default:
                GraphApi.requireRole(token, GraphApi.SEND_ROLES);
                respond(call, mailbox, id, a);
        }
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/user-post-messages
    void createDraft(HttpCall call, Mailbox mailbox) {
        ObjectNode request = GraphApi.requireObject(call);
        ObjectNode content = sendMail.outgoing(mailbox, request);
        content.set("bccRecipients", sendMail.recipientsResolved("bccRecipients", request.get("bccRecipients")));
        content.put("isDraft", true);
        content.put("isRead", true);
        ArrayNode attachments = SendMailApi.attachments(request.get("attachments"));
        Mailbox.StoredMessage draft = mailbox.insert(mailbox.folder("drafts"), content, attachments);
        entity(call, mailbox, draft, 201);
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/message-send (202; the draft moves to Sent Items)
    private void sendDraft(HttpCall call, Mailbox mailbox, String id) {
        synchronized (mailbox) {
            Mailbox.StoredMessage draft = mailbox.get(id);
            if (draft == null) {
                throw GraphException.itemNotFound();
            }
            if (!draft.json.path("isDraft").asBoolean()) {
                throw new GraphException(400, "ErrorInvalidOperation",
                        "Only a draft message can be sent; this item was already sent.");
            }
            ObjectNode content = draft.json.deepCopy();
            ArrayNode bcc = content.has("bccRecipients") ? (ArrayNode) content.get("bccRecipients") : Json.array();
            SendMailApi.requireRecipients(content, bcc);
            String now = Json.graphTime(Instant.now());
            content.put("isDraft", false);
            content.put("isRead", false);
            content.put("sentDateTime", now);
            content.put("receivedDateTime", now);
            content.set("bccRecipients", Json.array());
            mailbox.delete(id);
            sendMail.deliver(mailbox, content, bcc, draft.attachments, true);
        }
        call.empty(202);
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/message-copy (201, the copy with a new id)
    private void copy(HttpCall call, Mailbox mailbox, String id) {
        ObjectNode request = GraphApi.requireObject(call);
        String destinationId = Json.text(request, "destinationId");
        if (destinationId == null || destinationId.isBlank()) {
            throw new GraphException(400, "ErrorInvalidRequest", "The destinationId parameter is missing.");
        }
        Mailbox.StoredMessage copy;
        synchronized (mailbox) {
            if (mailbox.get(id) == null) {
                throw GraphException.itemNotFound();
            }
            copy = mailbox.copy(id, GraphApi.folder(mailbox, destinationId));
        }
        entity(call, mailbox, copy, 201);
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/message-reply,
    //   https://learn.microsoft.com/en-us/graph/api/message-replyall,
    //   https://learn.microsoft.com/en-us/graph/api/message-forward (202; comment, message, toRecipients)
    /** reply, replyall or forward: a new message in the original's conversation, sent at once. */
    private void respond(HttpCall call, Mailbox mailbox, String id, String action) {
        JsonNode parsed = Json.parse(call.body);
        ObjectNode request = parsed == null ? Json.object() : GraphApi.requireObject(call);
        JsonNode comment = request.get("comment");
        JsonNode message = request.path("message");
        if (comment != null && !comment.isNull() && message.hasNonNull("body")) {
            throw GraphException.badRequest("Specify either a comment or the body property of the message parameter,"
                    + " not both.");
        }
        ObjectNode original;
        synchronized (mailbox) {
            Mailbox.StoredMessage stored = mailbox.get(id);
            if (stored == null) {
                throw GraphException.itemNotFound();
            }
            original = stored.json.deepCopy();
        }
        ObjectNode draft = message.isObject() ? ((ObjectNode) message).deepCopy() : Json.object();
        String prefix = action.equals("forward") ? "FW: " : "RE: ";
        if (!draft.hasNonNull("subject")) {
            draft.put("subject", prefix + original.path("subject").asText(""));
        }
        if (!draft.hasNonNull("body")) {
            String text = comment == null || comment.isNull() ? "" : comment.asText();
            ObjectNode body = draft.putObject("body");
            body.put("contentType", "html");
            body.put("content", "<html><body><div>" + text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                    + "</div><hr><div><b>From:</b> " + original.at("/from/emailAddress/address").asText()
                    + "<br><b>Subject:</b> " + original.path("subject").asText("") + "</div>"
                    + original.at("/body/content").asText("") + "</body></html>");
        }
        ArrayNode to;
        if (action.equals("forward")) {
            to = Json.array();
            if (request.has("toRecipients")) {
                sendMail.recipientsResolved("toRecipients", request.get("toRecipients")).forEach(to::add);
            }
            if (draft.has("toRecipients")) {
                sendMail.recipientsResolved("toRecipients", draft.get("toRecipients")).forEach(to::add);
            }
            if (to.isEmpty()) {
                throw new GraphException(400, "ErrorInvalidRecipients",
                        "At least one recipient isn't valid., A message can't be sent because it contains no"
                                + " recipients.");
            }
        } else {
            to = Json.array();
            JsonNode replyTo = original.path("replyTo");
            if (replyTo.isArray() && !replyTo.isEmpty()) {
                replyTo.forEach(to::add);
            } else {
                to.add(original.path("from").deepCopy());
            }
            if (action.equals("replyall")) {
                for (JsonNode r : original.path("toRecipients")) {
                    if (!isSelf(r, mailbox) && !contains(to, r)) {
                        to.add(r.deepCopy());
                    }
                }
            }
            if (draft.has("toRecipients")) {
                sendMail.recipientsResolved("toRecipients", draft.get("toRecipients")).forEach(to::add);
            }
        }
        draft.set("toRecipients", to);
        if (action.equals("replyall") && !draft.has("ccRecipients")) {
            ArrayNode cc = Json.array();
            for (JsonNode r : original.path("ccRecipients")) {
                if (!isSelf(r, mailbox)) {
                    cc.add(r.deepCopy());
                }
            }
            draft.set("ccRecipients", cc);
        }
        ObjectNode content = sendMail.outgoing(mailbox, draft);
        if (!action.equals("forward")) {
            content.put("conversationId", original.path("conversationId").asText());
        }
        ArrayNode bcc = sendMail.recipientsResolved("bccRecipients", draft.get("bccRecipients"));
        SendMailApi.requireRecipients(content, bcc);
        sendMail.deliver(mailbox, content, bcc, null, true);
        call.empty(202);
    }

    private static boolean isSelf(JsonNode recipient, Mailbox mailbox) {
        return recipient.at("/emailAddress/address").asText("").equalsIgnoreCase(mailbox.upn);
    }

    private static boolean contains(ArrayNode list, JsonNode recipient) {
        String address = recipient.at("/emailAddress/address").asText("");
        for (JsonNode r : list) {
            if (r.at("/emailAddress/address").asText("").equalsIgnoreCase(address)) {
                return true;
            }
        }
        return false;
    }

    private void entity(HttpCall call, Mailbox mailbox, Mailbox.StoredMessage message, int status) {
        ObjectNode body = Json.object();
        body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#users('" + GraphApi.encode(mailbox.upn)
                + "')/messages/$entity");
        synchronized (mailbox) {
            body.setAll(Messages.render(message.json, null, false, null));
        }
        call.json(status, GraphApi.GRAPH_JSON, body);
    }
}

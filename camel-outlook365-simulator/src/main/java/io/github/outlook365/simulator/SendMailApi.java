package io.github.outlook365.simulator;

import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static io.github.outlook365.simulator.GraphApi.requireObject;

/**
 * Microsoft Graph v1.0 sendMail: the message as the sender writes it, delivered to every simulated recipient's
 * Inbox and kept in the sender's Sent Items; reply, forward and drafts send through it too.
 */
final class SendMailApi {

    private final SimulatorState state;

    SendMailApi(SimulatorState state) {
        this.state = state;
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/user-sendmail (202, saveToSentItems, attachments as
    //   contentBytes)
    // observed: ErrorInvalidRecipients for a message with no recipient
    void handle(HttpCall call, Mailbox sender) {
        ObjectNode request = requireObject(call);
        JsonNode message = request.get("message");
        if (message == null || message.isNull()) {
            throw new GraphException(400, "ErrorInvalidRequest", "The message parameter is missing.");
        }
        if (!message.isObject()) {
            throw new GraphException(400, "RequestBodyRead", "The value of the message parameter must be an object.");
        }
        boolean saveToSentItems = true;
        JsonNode save = request.get("saveToSentItems");
        if (save != null && !save.isNull()) {
            if (save.isBoolean()) {
                saveToSentItems = save.asBoolean();
            } else if (save.isTextual() && (save.asText().equalsIgnoreCase("true")
                    || save.asText().equalsIgnoreCase("false"))) {
                saveToSentItems = Boolean.parseBoolean(save.asText().toLowerCase(Locale.ROOT));
            } else {
                throw MessagesApi.invalidValue("saveToSentItems", save);
            }
        }
        ObjectNode content = outgoing(sender, message);
        ArrayNode bcc = recipientsResolved("bccRecipients", message.get("bccRecipients"));
        requireRecipients(content, bcc);
        deliver(sender, content, bcc, attachments(message.get("attachments")), saveToSentItems);
        call.empty(202);
    }

    static void requireRecipients(ObjectNode content, ArrayNode bcc) {
        if (content.path("toRecipients").isEmpty() && content.path("ccRecipients").isEmpty() && bcc.isEmpty()) {
            throw new GraphException(400, "ErrorInvalidRecipients",
                    "At least one recipient isn't valid., A message can't be sent because it contains no recipients.");
        }
    }

    /**
     * The stored form of a message {@code sender} writes (validated): subject, body, recipients (bcc left empty),
     * importance, categories, times, ids.
     */
    ObjectNode outgoing(Mailbox sender, JsonNode message) {
        ArrayNode to = recipientsResolved("toRecipients", message.get("toRecipients"));
        ArrayNode cc = recipientsResolved("ccRecipients", message.get("ccRecipients"));
        ArrayNode replyTo = recipientsResolved("replyTo", message.get("replyTo"));
        ObjectNode itemBody = MessagesApi.itemBody(message.get("body"));
        String subject = message.hasNonNull("subject") ? message.get("subject").asText() : "";
        String importance = "normal";
        if (message.hasNonNull("importance")) {
            importance = MessagesApi.validatePatchValue("importance", message.get("importance")).asText();
        }
        ArrayNode categories = Json.array();
        if (message.hasNonNull("categories")) {
            MessagesApi.validatePatchValue("categories", message.get("categories")).forEach(categories::add);
        }
        String now = Json.graphTime(Instant.now());
        ObjectNode content = Json.object();
        content.set("categories", categories);
        content.put("receivedDateTime", now);
        content.put("sentDateTime", now);
        content.put("internetMessageId", Ids.internetMessageId());
        content.put("subject", subject);
        content.put("bodyPreview", Messages.bodyPreview(itemBody.get("contentType").asText(),
                itemBody.get("content").asText()));
        content.put("importance", importance);
        content.put("conversationId", Ids.conversationId());
        content.put("conversationIndex", Ids.conversationIndex());
        content.put("isDeliveryReceiptRequested", message.path("isDeliveryReceiptRequested").asBoolean(false));
        content.put("isReadReceiptRequested", message.path("isReadReceiptRequested").asBoolean(false));
        content.put("isRead", false);
        content.put("isDraft", false);
        content.put("inferenceClassification", "focused");
        content.set("body", itemBody);
        content.set("sender", Messages.recipient(sender.address(), sender.displayName));
        content.set("from", Messages.recipient(sender.address(), sender.displayName));
        content.set("toRecipients", to);
        content.set("ccRecipients", cc);
        content.set("bccRecipients", Json.array());
        content.set("replyTo", replyTo);
        content.putObject("flag").put("flagStatus", "notFlagged");
        return content;
    }

    // simulator: delivery into the simulated recipients' mailboxes (what Exchange does, seen from the recipients)
    /**
     * Delivers a sent message to every simulated recipient's Inbox (once each) and, when asked, keeps a read copy with
     * the bcc list in the sender's Sent Items.
     */
    void deliver(Mailbox sender, ObjectNode content, ArrayNode bcc, ArrayNode attachments, boolean saveToSentItems) {
        Map<String, Mailbox> targets = new LinkedHashMap<>();
        for (JsonNode list : List.of(content.path("toRecipients"), content.path("ccRecipients"), bcc)) {
            for (JsonNode r : list) {
                String address = r.path("emailAddress").path("address").asText();
                Mailbox target = state.mailbox(address);
                if (target != null) {
                    targets.putIfAbsent(SimulatorState.key(target.upn), target);
                }
            }
        }
        for (Mailbox target : targets.values()) {
            target.insert(target.folder("inbox"), content, attachments == null ? null : attachments.deepCopy());
        }
        if (saveToSentItems) {
            ObjectNode sent = content.deepCopy();
            sent.put("isRead", true);
            sent.set("bccRecipients", bcc);
            sender.insert(sender.folder("sentitems"), sent, attachments == null ? null : attachments.deepCopy());
        }
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/resources/fileattachment
    static ArrayNode attachments(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw MessagesApi.invalidValue("attachments", value);
        }
        if (value.isEmpty()) {
            return null;
        }
        ArrayNode out = Json.array();
        String now = Json.graphTime(Instant.now());
        for (JsonNode a : value) {
            String type = a.path("@odata.type").asText("");
            if (!type.equalsIgnoreCase("#microsoft.graph.fileAttachment")) {
                throw new GraphException(400, "ErrorInvalidRequest", "Only #microsoft.graph.fileAttachment"
                        + " attachments are supported by the simulator; got '" + type + "'.");
            }
            String name = a.path("name").asText("");
            String contentBytes = a.path("contentBytes").asText(null);
            if (contentBytes == null) {
                throw new GraphException(400, "ErrorInvalidRequest", "The attachment '" + name
                        + "' has no contentBytes.");
            }
            byte[] bytes;
            try {
                bytes = Base64.getMimeDecoder().decode(contentBytes);
            } catch (IllegalArgumentException e) {
                throw new GraphException(400, "RequestBodyRead",
                        "The attachment '" + name + "' has contentBytes that are not base64.");
            }
            String contentType = a.hasNonNull("contentType") ? a.get("contentType").asText()
                    : "application/octet-stream";
            ObjectNode attachment = out.addObject();
            attachment.put("@odata.type", "#microsoft.graph.fileAttachment");
            attachment.put("@odata.mediaContentType", contentType);
            attachment.put("id", "AAMkAG" + TlsMaterial.base64Url(Ids.random(30)) + "=");
            attachment.put("lastModifiedDateTime", now);
            attachment.put("name", name);
            attachment.put("contentType", contentType);
            attachment.put("size", bytes.length + 200);
            attachment.put("isInline", a.path("isInline").asBoolean(false));
            if (a.hasNonNull("contentId")) {
                attachment.put("contentId", a.get("contentId").asText());
            } else {
                attachment.putNull("contentId");
            }
            attachment.putNull("contentLocation");
            attachment.put("contentBytes", Base64.getEncoder().encodeToString(bytes));
        }
        return out;
    }

    /** Validates a recipient collection; answers ErrorInvalidRecipients for an address that is not an address. */
    ArrayNode recipientsResolved(String name, JsonNode value) {
        ArrayNode recipients = MessagesApi.recipients(name, value);
        for (JsonNode r : recipients) {
            ObjectNode emailAddress = (ObjectNode) r.get("emailAddress");
            String address = emailAddress.path("address").asText();
            if (!emailAddress.hasNonNull("name") || emailAddress.path("name").asText().isBlank()) {
                Mailbox known = state.mailbox(address);
                emailAddress.put("name", known != null ? known.displayName : address);
            }
        }
        return recipients;
    }
}

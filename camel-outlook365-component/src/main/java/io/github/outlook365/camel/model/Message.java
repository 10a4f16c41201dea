package io.github.outlook365.camel.model;

import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.graph.GraphJson;

/**
 * An Outlook message as routes see it: what triggers deliver and what {@code mail/send} accepts. Property names are
 * Graph's. {@link #raw()} keeps the JSON Graph sent, for properties this record does not name.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Message(
        String id,
        String subject,
        ItemBody body,
        String bodyPreview,
        Recipient from,
        Recipient sender,
        List<Recipient> toRecipients,
        List<Recipient> ccRecipients,
        List<Recipient> bccRecipients,
        List<Recipient> replyTo,
        OffsetDateTime receivedDateTime,
        OffsetDateTime sentDateTime,
        Boolean hasAttachments,
        String importance,
        Boolean isRead,
        Boolean isDraft,
        String conversationId,
        String internetMessageId,
        String parentFolderId,
        List<String> categories,
        FollowupFlag flag,
        String webLink,
        @JsonIgnore JsonNode raw) {

    /** Reads a Graph message, keeping its JSON. */
    public static Message fromGraph(JsonNode json) {
        try {
            Message m = GraphJson.MAPPER.treeToValue(json, Message.class);
            return m.withRaw(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a Graph message: " + e.getOriginalMessage(), e);
        }
    }

    /** A new outgoing message; add recipients with {@link #withTo(List)} etc. */
    public static Message compose(String subject, ItemBody body, List<Recipient> to) {
        return new Message(null, subject, body, null, null, null, to, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null);
    }

    public Message withRaw(JsonNode json) {
        return new Message(id, subject, body, bodyPreview, from, sender, toRecipients, ccRecipients, bccRecipients, replyTo,
                receivedDateTime, sentDateTime, hasAttachments, importance, isRead, isDraft, conversationId,
                internetMessageId, parentFolderId, categories, flag, webLink, json);
    }

    public Message withCc(List<Recipient> cc) {
        return new Message(id, subject, body, bodyPreview, from, sender, toRecipients, cc, bccRecipients, replyTo,
                receivedDateTime, sentDateTime, hasAttachments, importance, isRead, isDraft, conversationId,
                internetMessageId, parentFolderId, categories, flag, webLink, raw);
    }

    public Message withBcc(List<Recipient> bcc) {
        return new Message(id, subject, body, bodyPreview, from, sender, toRecipients, ccRecipients, bcc, replyTo,
                receivedDateTime, sentDateTime, hasAttachments, importance, isRead, isDraft, conversationId,
                internetMessageId, parentFolderId, categories, flag, webLink, raw);
    }

    public Message withImportance(String value) {
        return new Message(id, subject, body, bodyPreview, from, sender, toRecipients, ccRecipients, bccRecipients, replyTo,
                receivedDateTime, sentDateTime, hasAttachments, value, isRead, isDraft, conversationId,
                internetMessageId, parentFolderId, categories, flag, webLink, raw);
    }

    /** The address this message came from, or null. */
    @JsonIgnore
    public String fromAddress() {
        return from == null ? null : from.address();
    }

    /** The message in Graph's shape for a request body: only what a sender may set. */
    public ObjectNode toGraphRequest() {
        ObjectNode node = GraphJson.MAPPER.createObjectNode();
        if (subject != null) {
            node.put("subject", subject);
        }
        if (body != null) {
            node.set("body", GraphJson.MAPPER.valueToTree(body));
        }
        putRecipients(node, "toRecipients", toRecipients);
        putRecipients(node, "ccRecipients", ccRecipients);
        putRecipients(node, "bccRecipients", bccRecipients);
        putRecipients(node, "replyTo", replyTo);
        if (importance != null) {
            node.put("importance", importance);
        }
        if (categories != null && !categories.isEmpty()) {
            node.set("categories", GraphJson.MAPPER.valueToTree(categories));
        }
        if (from != null) {
            node.set("from", GraphJson.MAPPER.valueToTree(from));
        }
        return node;
    }

    private static void putRecipients(ObjectNode node, String field, List<Recipient> recipients) {
        if (recipients != null && !recipients.isEmpty()) {
            node.set(field, GraphJson.MAPPER.valueToTree(recipients));
        }
    }

    @Override
    public String toString() {
        return "Message[id=" + id + ", subject=" + subject + ", from=" + (from == null ? null : from.emailAddress())
               + ", receivedDateTime=" + receivedDateTime + "]";
    }
}

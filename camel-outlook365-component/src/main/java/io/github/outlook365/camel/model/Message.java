package io.github.outlook365.camel.model;

import java.time.OffsetDateTime;
import java.util.ArrayList;
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
        return fromGraph(json, time(json.get("receivedDateTime")));
    }

    /**
     * Reads a Graph message whose receivedDateTime the caller already parsed, keeping its JSON. The fields are read
     * straight off the JSON tree (what Jackson's record binding would give, which MessageTest checks), because a
     * trigger reads every message of a backlog: binding the tree again through Jackson cost a third of its time.
     */
    public static Message fromGraph(JsonNode json, OffsetDateTime receivedDateTime) {
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("not a Graph message: " + (json == null ? "nothing" : json.getNodeType()));
        }
        JsonNode body = json.get("body");
        JsonNode flag = json.get("flag");
        return new Message(text(json, "id"), text(json, "subject"),
                body == null || !body.isObject() ? null : new ItemBody(text(body, "contentType"), text(body, "content")),
                text(json, "bodyPreview"), recipient(json.get("from")), recipient(json.get("sender")),
                recipients(json.get("toRecipients")), recipients(json.get("ccRecipients")),
                recipients(json.get("bccRecipients")), recipients(json.get("replyTo")), receivedDateTime,
                time(json.get("sentDateTime")), bool(json, "hasAttachments"), text(json, "importance"),
                bool(json, "isRead"), bool(json, "isDraft"), text(json, "conversationId"),
                text(json, "internetMessageId"), text(json, "parentFolderId"), strings(json.get("categories")),
                flag == null || !flag.isObject() ? null : new FollowupFlag(text(flag, "flagStatus")),
                text(json, "webLink"), json);
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private static Boolean bool(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asBoolean();
    }

    private static OffsetDateTime time(JsonNode value) {
        return GraphJson.dateTime(value);
    }

    private static Recipient recipient(JsonNode json) {
        if (json == null || !json.isObject()) {
            return null;
        }
        JsonNode address = json.get("emailAddress");
        return new Recipient(address == null || !address.isObject() ? null
                : new EmailAddress(text(address, "address"), text(address, "name")));
    }

    private static List<Recipient> recipients(JsonNode json) {
        if (json == null || !json.isArray()) {
            return null;
        }
        List<Recipient> list = new ArrayList<>(json.size());
        json.forEach(r -> list.add(recipient(r)));
        return list;
    }

    private static List<String> strings(JsonNode json) {
        if (json == null || !json.isArray()) {
            return null;
        }
        List<String> list = new ArrayList<>(json.size());
        json.forEach(v -> list.add(v.isNull() ? null : v.asText()));
        return list;
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

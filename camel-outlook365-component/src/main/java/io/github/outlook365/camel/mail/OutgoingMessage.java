package io.github.outlook365.camel.mail;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.EnumValues;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.model.Importance;
import io.github.outlook365.camel.model.ItemBody;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.camel.model.Recipient;

/**
 * Reads the message a route wants to send (mail/send, mail/createDraft, the message part of reply and forward) from
 * the exchange: the body is a {@link Message}, a Map (Graph's message properties, or the short keys to, cc, bcc,
 * replyTo, subject, body, contentType, importance) or text; headers win over the body's own values, endpoint options
 * fill what neither gives.
 */
final class OutgoingMessage {

    private final ActionExchange call;
    private final Outlook365Configuration configuration;

    OutgoingMessage(ActionExchange call) {
        this.call = call;
        this.configuration = call.configuration();
    }

    /**
     * The message in Graph's shape.
     *
     * @param requireRecipients whether a message without any recipient is refused
     */
    ObjectNode read(boolean requireRecipients) {
        ObjectNode message = compose();
        if (requireRecipients && !message.has("toRecipients") && !message.has("ccRecipients")
                && !message.has("bccRecipients")) {
            throw new IllegalArgumentException(call.action() + " has no recipient: set header "
                                               + Outlook365Constants.TO + ", the option to, or toRecipients in the body");
        }
        return message;
    }

    private ObjectNode compose() {
        Object body = call.message().getBody();
        ObjectNode message;
        if (body instanceof Message m) {
            message = m.toGraphRequest();
        } else if (body instanceof Map<?, ?> map) {
            message = fromMap(map);
        } else if (body instanceof JsonNode json && json.isObject()) {
            message = ((ObjectNode) json).deepCopy();
        } else {
            message = GraphJson.MAPPER.createObjectNode();
            String text = body == null ? "" : call.message().getBody(String.class);
            message.set("body", GraphJson.MAPPER.valueToTree(new ItemBody(contentType(null), text)));
        }
        // headers override the body, options fill in what is still missing
        applyRecipients(message, "toRecipients", Outlook365Constants.TO, configuration.getTo(), "to");
        applyRecipients(message, "ccRecipients", Outlook365Constants.CC, configuration.getCc(), "cc");
        applyRecipients(message, "bccRecipients", Outlook365Constants.BCC, configuration.getBcc(), "bcc");
        applyRecipients(message, "replyTo", Outlook365Constants.REPLY_TO, configuration.getReplyTo(), "replyTo");
        String subject = call.value(Outlook365Constants.SUBJECT, null, "subject",
                message.hasNonNull("subject") ? null : configuration.getSubject());
        if (subject != null) {
            message.put("subject", subject);
        }
        ActionExchange.Given importance = call.given(Outlook365Constants.IMPORTANCE, null, "importance",
                message.hasNonNull("importance") || configuration.getImportance() == null ? null
                        : configuration.getImportance().name());
        if (importance != null) {
            message.put("importance", EnumValues.parse(Importance.class, importance.value(), importance.source()).name());
        }
        return message;
    }

    private String contentType(String fromBody) {
        String value = call.header(Outlook365Constants.CONTENT_TYPE);
        if (value == null) {
            value = fromBody != null ? fromBody : textFormat();
        }
        String normalized = value == null ? "text" : value.trim().toLowerCase(Locale.ROOT);
        if (normalized.startsWith("text/html")) {
            normalized = "html";
        } else if (normalized.startsWith("text/plain")) {
            normalized = "text";
        }
        if (!normalized.equals("text") && !normalized.equals("html")) {
            throw new IllegalArgumentException("content type '" + value + "' is not known: use text or html (header "
                                               + Outlook365Constants.CONTENT_TYPE + " or option bodyContentType)");
        }
        return normalized;
    }

    /** The bodyContentType option: how a text body is read, text unless it says html. */
    private String textFormat() {
        return configuration.getBodyContentType() == null ? "text" : configuration.getBodyContentType().name();
    }

    private ObjectNode fromMap(Map<?, ?> map) {
        ObjectNode message = GraphJson.MAPPER.createObjectNode();
        Object content = null;
        String contentType = null;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object value = entry.getValue();
            switch (key) {
                case "to" -> message.set("toRecipients", recipients(value, "body key to"));
                case "cc" -> message.set("ccRecipients", recipients(value, "body key cc"));
                case "bcc" -> message.set("bccRecipients", recipients(value, "body key bcc"));
                case "replyTo" -> message.set("replyTo", recipients(value, "body key replyTo"));
                case "contentType" -> contentType = String.valueOf(value);
                case "attachments" -> {
                    // files are read by OutgoingAttachments and sent after the message
                }
                case "body", "content" -> {
                    if (value instanceof Map<?, ?>) {
                        message.set("body", GraphJson.MAPPER.valueToTree(value));
                    } else {
                        content = value;
                    }
                }
                default -> message.set(key, GraphJson.MAPPER.valueToTree(value));
            }
        }
        if (content != null || contentType != null) {
            String type = contentType == null ? textFormat() : contentType.toLowerCase(Locale.ROOT);
            message.set("body", GraphJson.MAPPER.valueToTree(
                    new ItemBody(type, content == null ? "" : String.valueOf(content))));
        }
        return message;
    }

    /** Recipients in Graph's shape from a {@code ;} list, or a collection of them, naming {@code what} on error. */
    static JsonNode recipients(Object value, String what) {
        List<Recipient> list = new ArrayList<>();
        if (value instanceof Collection<?> items) {
            for (Object item : items) {
                list.addAll(Recipient.parseList(String.valueOf(item), what));
            }
        } else if (value != null) {
            list.addAll(Recipient.parseList(String.valueOf(value), what));
        }
        return GraphJson.MAPPER.valueToTree(list);
    }

    private void applyRecipients(ObjectNode message, String field, String header, String option, String optionName) {
        boolean inBody = message.has(field) && !message.get(field).isEmpty();
        ActionExchange.Given given = call.given(header, null, optionName, inBody ? null : option);
        if (given != null) {
            message.set(field, recipients(given.value(), given.source()));
        }
        if (message.has(field) && message.get(field).isEmpty()) {
            message.remove(field);
        }
    }
}

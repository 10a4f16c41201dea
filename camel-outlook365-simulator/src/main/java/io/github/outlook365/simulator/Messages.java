package io.github.outlook365.simulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The Graph JSON of messages: property order, $select, body conversion, recipients. */
final class Messages {

    /** The message properties Graph returns by default, in Graph's order. */
    static final List<String> DEFAULT_PROPERTIES = List.of(
            "id", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories", "receivedDateTime",
            "sentDateTime", "hasAttachments", "internetMessageId", "subject", "bodyPreview", "importance",
            "parentFolderId", "conversationId", "conversationIndex", "isDeliveryReceiptRequested",
            "isReadReceiptRequested", "isRead", "isDraft", "webLink", "inferenceClassification", "body", "sender",
            "from", "toRecipients", "ccRecipients", "bccRecipients", "replyTo", "flag");

    /** Properties returned only when selected. */
    static final List<String> SELECT_ONLY_PROPERTIES = List.of("uniqueBody", "internetMessageHeaders");

    private static final Map<String, String> SELECTABLE = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    static {
        DEFAULT_PROPERTIES.forEach(p -> SELECTABLE.put(p, p));
        SELECT_ONLY_PROPERTIES.forEach(p -> SELECTABLE.put(p, p));
    }

    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern BLOCK_END = Pattern.compile("(?i)<br\\s*/?>|</p\\s*>|</div\\s*>|</tr\\s*>|</li\\s*>");
    private static final Pattern HEAD = Pattern.compile("(?is)<head[^>]*>.*?</head>|<style[^>]*>.*?</style>|<script[^>]*>.*?</script>");

    private Messages() {
    }

    /** Parses $select into canonical property names; null when absent (all default properties). */
    static List<String> parseSelect(String select) {
        if (select == null || select.isBlank()) {
            return null;
        }
        Set<String> properties = new LinkedHashSet<>();
        for (String raw : select.split(",")) {
            String name = raw.trim();
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals("*")) {
                return null;
            }
            String canonical = SELECTABLE.get(name);
            if (canonical == null) {
                throw new GraphException(400, "RequestBroker--ParseUri",
                        "Could not find a property named '" + name + "' on type 'microsoft.graph.message'.");
            }
            properties.add(canonical);
        }
        return properties.isEmpty() ? null : List.copyOf(properties);
    }

    /** Reorders a message's properties into Graph's order. */
    static ObjectNode canonical(ObjectNode json) {
        ObjectNode ordered = Json.object();
        for (String property : DEFAULT_PROPERTIES) {
            if (json.has(property)) {
                ordered.set(property, json.get(property));
            }
        }
        Iterator<Map.Entry<String, JsonNode>> fields = json.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!ordered.has(field.getKey())) {
                ordered.set(field.getKey(), field.getValue());
            }
        }
        return ordered;
    }

    static String webLink(String id) {
        return "https://outlook.office365.com/owa/?ItemID=" + URLEncoder.encode(id, StandardCharsets.UTF_8)
                + "&exvsurl=1&viewmodel=ReadMessageItem";
    }

    static String etag(ObjectNode json) {
        return "W/\"" + json.path("changeKey").asText() + "\"";
    }

    /**
     * The Graph JSON of a message: "@odata.type" (delta items only), "@odata.etag", id and the selected properties
     * (all default properties when {@code select} is null). {@code bodyType} is "text", "html" or null (as stored).
     */
    static ObjectNode render(ObjectNode json, List<String> select, boolean withType, String bodyType) {
        ObjectNode out = Json.object();
        if (withType) {
            out.put("@odata.type", "#microsoft.graph.message");
        }
        out.put("@odata.etag", etag(json));
        out.put("id", json.path("id").asText());
        List<String> properties = select == null ? DEFAULT_PROPERTIES : orderedSelection(select);
        for (String property : properties) {
            switch (property) {
                case "id":
                    break;
                case "body":
                    out.set("body", convertBody(json.get("body"), bodyType));
                    break;
                case "uniqueBody":
                    out.set("uniqueBody", convertBody(json.get("body"), bodyType));
                    break;
                case "internetMessageHeaders":
                    out.set("internetMessageHeaders", headers(json));
                    break;
                default:
                    JsonNode value = json.get(property);
                    out.set(property, value == null ? Json.MAPPER.nullNode() : value.deepCopy());
            }
        }
        MeetingMessages.decorate(json, out, withType);
        return out;
    }

    private static List<String> orderedSelection(List<String> select) {
        List<String> ordered = new ArrayList<>();
        for (String property : DEFAULT_PROPERTIES) {
            if (select.contains(property)) {
                ordered.add(property);
            }
        }
        for (String property : SELECT_ONLY_PROPERTIES) {
            if (select.contains(property)) {
                ordered.add(property);
            }
        }
        return ordered;
    }

    private static ArrayNode headers(ObjectNode json) {
        ArrayNode headers = Json.array();
        addHeader(headers, "Message-ID", json.path("internetMessageId").asText());
        addHeader(headers, "Subject", json.path("subject").asText());
        addHeader(headers, "From", mailbox(json.path("from")));
        List<String> to = new ArrayList<>();
        json.path("toRecipients").forEach(r -> to.add(mailbox(r)));
        if (!to.isEmpty()) {
            addHeader(headers, "To", String.join(", ", to));
        }
        addHeader(headers, "Date", json.path("sentDateTime").asText());
        addHeader(headers, "Content-Type",
                "html".equals(json.path("body").path("contentType").asText()) ? "text/html; charset=\"utf-8\""
                        : "text/plain; charset=\"utf-8\"");
        return headers;
    }

    private static String mailbox(JsonNode recipient) {
        JsonNode address = recipient.path("emailAddress");
        String name = address.path("name").asText("");
        String email = address.path("address").asText("");
        return name.isEmpty() || name.equals(email) ? email : "\"" + name + "\" <" + email + ">";
    }

    private static void addHeader(ArrayNode headers, String name, String value) {
        headers.addObject().put("name", name).put("value", value);
    }

    private static JsonNode convertBody(JsonNode body, String bodyType) {
        if (body == null || body.isNull()) {
            return Json.MAPPER.nullNode();
        }
        String type = body.path("contentType").asText("text");
        String content = body.path("content").asText("");
        ObjectNode out = Json.object();
        if ("text".equals(bodyType) && "html".equals(type)) {
            out.put("contentType", "text");
            out.put("content", htmlToText(content));
        } else if ("html".equals(bodyType) && "text".equals(type)) {
            out.put("contentType", "html");
            out.put("content", textToHtml(content));
        } else {
            out.put("contentType", type);
            out.put("content", content);
        }
        return out;
    }

    static String htmlToText(String html) {
        String text = HEAD.matcher(html).replaceAll("");
        text = BLOCK_END.matcher(text).replaceAll("\r\n");
        text = TAG.matcher(text).replaceAll("");
        text = text.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
        return text.strip();
    }

    static String textToHtml(String text) {
        String escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
        return "<html><head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\r\n"
                + "</head>\r\n<body>\r\n<div>" + escaped.replace("\r\n", "\n").replace("\n", "<br>\r\n")
                + "</div>\r\n</body>\r\n</html>\r\n";
    }

    /** Graph's bodyPreview: the first 255 characters of the body as text, whitespace collapsed. */
    static String bodyPreview(String contentType, String content) {
        String text = "html".equals(contentType) ? htmlToText(content) : content;
        text = text.replaceAll("\\s+", " ").strip();
        return text.length() <= 255 ? text : text.substring(0, 255);
    }

    static ObjectNode recipient(String address, String name) {
        ObjectNode recipient = Json.object();
        ObjectNode emailAddress = recipient.putObject("emailAddress");
        emailAddress.put("name", name == null || name.isBlank() ? address : name);
        emailAddress.put("address", address);
        return recipient;
    }

    /** The value of a Prefer: outlook.body-content-type="text|html" header, or null. */
    static String bodyPreference(List<String> preferHeaders) {
        for (String header : preferHeaders) {
            for (String part : header.split(",")) {
                String p = part.trim();
                if (p.toLowerCase(Locale.ROOT).startsWith("outlook.body-content-type")) {
                    int eq = p.indexOf('=');
                    if (eq > 0) {
                        String value = p.substring(eq + 1).trim().replace("\"", "").toLowerCase(Locale.ROOT);
                        if (value.equals("text") || value.equals("html")) {
                            return value;
                        }
                    }
                }
            }
        }
        return null;
    }

    /** The value of a Prefer: odata.maxpagesize=N header, or null. */
    static Integer maxPageSize(List<String> preferHeaders) {
        for (String header : preferHeaders) {
            for (String part : header.split(",")) {
                String p = part.trim();
                if (p.toLowerCase(Locale.ROOT).startsWith("odata.maxpagesize")) {
                    int eq = p.indexOf('=');
                    if (eq > 0) {
                        try {
                            int n = Integer.parseInt(p.substring(eq + 1).trim().replace("\"", ""));
                            if (n > 0) {
                                return n;
                            }
                        } catch (NumberFormatException e) {
                            return null;
                        }
                    }
                }
            }
        }
        return null;
    }

    static List<String> unmodifiable(List<String> list) {
        return list == null ? null : Collections.unmodifiableList(list);
    }
}

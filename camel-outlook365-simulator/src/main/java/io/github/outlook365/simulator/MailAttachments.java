package io.github.outlook365.simulator;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Attachments and MIME content of messages:
 * <ul>
 * <li>{@code POST .../messages/{id}/attachments} (a fileAttachment under 3 MB, as Graph's request size allows);</li>
 * <li>{@code GET .../messages/{id}/attachments/{aid}} and {@code .../{aid}/$value} (the raw bytes);</li>
 * <li>{@code POST .../messages/{id}/attachments/createUploadSession} {@code {"AttachmentItem": {"attachmentType":
 * "file", "name", "size", "contentType"?, "isInline"?}}} &rarr; 201 {@code {"uploadUrl", "expirationDateTime",
 * "nextExpectedRanges": ["0-"]}}; then ranged {@code PUT {uploadUrl}} with {@code Content-Range: bytes a-b/total}
 * and no Authorization (the URL carries its token), in order, each range a multiple of 320 KiB (but the last) and at
 * most 4 MiB, answered 200 {@code {"nextExpectedRanges": ["{next}"]}} and at the end 201 with a Location;</li>
 * <li>{@code GET .../messages/{id}/$value}: the message as MIME (RFC 5322, multipart/mixed with base64 parts).</li>
 * </ul>
 */
final class MailAttachments {

    static final String UPLOAD_PATH = "/api/v2.0/";
    static final long MAX_UPLOAD = 150L * 1024 * 1024;
    static final int MAX_INLINE = 3 * 1024 * 1024;
    static final int RANGE_UNIT = 320 * 1024;
    static final int MAX_RANGE = 4 * 1024 * 1024;
    private static final Pattern SESSION_PATH = Pattern.compile("^/api/v2\\.0/Users\\('([^']+)'\\)/Messages\\('([^']+)'\\)"
            + "/AttachmentSessions\\('([^']+)'\\)$");
    private static final Pattern RANGE = Pattern.compile("^bytes (\\d+)-(\\d+)/(\\d+)$");

    private static final class Session {
        final Mailbox mailbox;
        final String messageId;
        final String token;
        final ObjectNode item;
        final long size;
        final ByteArrayOutputStream content = new ByteArrayOutputStream();
        Instant expires = Instant.now().plus(Duration.ofMinutes(15));

        Session(Mailbox mailbox, String messageId, String token, ObjectNode item, long size) {
            this.mailbox = mailbox;
            this.messageId = messageId;
            this.token = token;
            this.item = item;
            this.size = size;
        }
    }

    private final Outlook365Simulator simulator;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    MailAttachments(Outlook365Simulator simulator) {
        this.simulator = simulator;
    }

    /** Whether a request below .../messages/{id}/ is one of this class's (the attachment list stays in GraphApi). */
    static boolean handles(HttpCall call, String action, List<String> rest) {
        if (action.equals("$value") && rest.size() == 3) {
            return true;
        }
        return action.equals("attachments") && (rest.size() > 3 || call.method.equals("POST"));
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/attachment-get (and its $value),
    //   https://learn.microsoft.com/en-us/graph/api/message-post-attachments
    void handle(HttpCall call, SimulatorState.AccessToken token, Mailbox mailbox, String messageId, List<String> rest) {
        String first = rest.get(0).toLowerCase(Locale.ROOT);
        if (first.equals("$value")) {
            GraphApi.requireMethod(call, "GET");
            GraphApi.requireRole(token, GraphApi.READ_ROLES);
            mime(call, mailbox, messageId);
            return;
        }
        if (rest.size() == 1) {
            GraphApi.requireRole(token, GraphApi.WRITE_ROLES);
            add(call, mailbox, messageId);
            return;
        }
        String second = rest.get(1);
        if (rest.size() == 2 && (second.equalsIgnoreCase("createUploadSession")
                || second.equalsIgnoreCase("microsoft.graph.createUploadSession"))) {
            GraphApi.requireMethod(call, "POST");
            GraphApi.requireRole(token, GraphApi.WRITE_ROLES);
            createSession(call, mailbox, messageId);
            return;
        }
        GraphApi.requireMethod(call, "GET");
        GraphApi.requireRole(token, GraphApi.READ_ROLES);
        ObjectNode attachment = find(mailbox, messageId, second);
        if (rest.size() == 2) {
            ObjectNode body = Json.object();
            body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#users('" + GraphApi.encode(mailbox.upn)
                    + "')/messages('" + messageId + "')/attachments/$entity");
            String select = call.param("$select");
            if (select == null || select.isBlank()) {
                body.setAll(attachment);
            } else {
                body.set("@odata.type", attachment.get("@odata.type"));
                body.set("id", attachment.get("id"));
                for (String field : select.split(",")) {
                    if (attachment.has(field.trim())) {
                        body.set(field.trim(), attachment.get(field.trim()));
                    }
                }
            }
            call.json(200, GraphApi.GRAPH_JSON, body);
        } else if (rest.size() == 3 && rest.get(2).equals("$value")) {
            call.send(200, attachment.path("contentType").asText("application/octet-stream"),
                    Base64.getDecoder().decode(attachment.path("contentBytes").asText("")));
        } else {
            throw GraphException.segmentNotFound(rest.get(rest.size() - 1));
        }
    }

    private static ObjectNode find(Mailbox mailbox, String messageId, String attachmentId) {
        synchronized (mailbox) {
            Mailbox.StoredMessage message = mailbox.get(messageId);
            if (message == null) {
                throw GraphException.itemNotFound();
            }
            if (message.attachments != null) {
                for (JsonNode a : message.attachments) {
                    if (a.path("id").asText().equals(attachmentId)) {
                        return ((ObjectNode) a).deepCopy();
                    }
                }
            }
        }
        throw GraphException.itemNotFound();
    }

    private void add(HttpCall call, Mailbox mailbox, String messageId) {
        if (call.raw.length > 4 * 1024 * 1024) {
            throw new GraphException(413, "RequestEntityTooLarge", "The request is larger than 4 MB; use an upload"
                    + " session for attachments of 3 MB or more.");
        }
        ObjectNode request = GraphApi.requireObject(call);
        ArrayNode one = Json.array();
        one.add(request);
        ObjectNode attachment = (ObjectNode) SendMailApi.attachments(one).get(0);
        if (mailbox.addAttachment(messageId, attachment) == null) {
            throw GraphException.itemNotFound();
        }
        ObjectNode body = Json.object();
        body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#users('" + GraphApi.encode(mailbox.upn)
                + "')/messages('" + messageId + "')/attachments/$entity");
        ObjectNode created = attachment.deepCopy();
        created.remove("contentBytes");
        body.setAll(created);
        call.json(201, GraphApi.GRAPH_JSON, body);
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/attachment-createuploadsession,
    //   https://learn.microsoft.com/en-us/graph/outlook-large-attachments
    private void createSession(HttpCall call, Mailbox mailbox, String messageId) {
        ObjectNode request = GraphApi.requireObject(call);
        JsonNode item = request.get("AttachmentItem");
        if (item == null || !item.isObject()) {
            throw new GraphException(400, "ErrorInvalidRequest", "The AttachmentItem parameter is missing.");
        }
        if (!"file".equalsIgnoreCase(item.path("attachmentType").asText())) {
            throw new GraphException(400, "ErrorInvalidRequest", "attachmentType must be 'file'.");
        }
        String name = item.path("name").asText("");
        long size = item.path("size").asLong(-1);
        if (name.isBlank() || size < 0) {
            throw new GraphException(400, "ErrorInvalidRequest", "The AttachmentItem needs a name and a size.");
        }
        if (size > MAX_UPLOAD) {
            throw new GraphException(400, "ErrorAttachmentSizeLimitExceeded",
                    "The attachment exceeds the maximum supported size of 150 MB.");
        }
        synchronized (mailbox) {
            if (mailbox.get(messageId) == null) {
                throw GraphException.itemNotFound();
            }
        }
        String sessionId = TlsMaterial.base64Url(Ids.random(18));
        String token = TlsMaterial.base64Url(Ids.random(24));
        Session session = new Session(mailbox, messageId, token, ((ObjectNode) item).deepCopy(), size);
        sessions.put(sessionId, session);
        ObjectNode body = Json.object();
        body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#microsoft.graph.uploadSession");
        body.put("uploadUrl", simulator.baseUrl() + UPLOAD_PATH + "Users('" + mailbox.userId + "')/Messages('"
                + messageId + "')/AttachmentSessions('" + sessionId + "')?authtoken=" + token);
        body.put("expirationDateTime", Json.graphTime(session.expires));
        body.putArray("nextExpectedRanges").add("0-");
        call.json(201, GraphApi.GRAPH_JSON, body);
    }

    // docs: https://learn.microsoft.com/en-us/graph/outlook-large-attachments (ranged PUTs of multiples of 320 KiB, no
    //   bearer token, nextExpectedRanges)
    void upload(HttpCall call) {
        Matcher path = SESSION_PATH.matcher(call.path);
        if (!path.matches()) {
            throw new GraphException(404, "ResourceNotFound", "No upload session at " + call.path);
        }
        if (call.header("Authorization") != null) {
            throw new GraphException(401, "InvalidAuthenticationToken",
                    "Do not send an Authorization header to an upload URL: its authtoken is the credential.");
        }
        Session session = sessions.get(path.group(3));
        if (session == null || !session.token.equals(call.param("authtoken")) || Instant.now().isAfter(session.expires)) {
            throw new GraphException(404, "ErrorItemNotFound", "The upload session was not found or has expired.");
        }
        if (!call.method.equals("PUT")) {
            if (call.method.equals("DELETE")) {
                sessions.remove(path.group(3));
                call.empty(204);
                return;
            }
            throw GraphException.methodNotAllowed(call.method);
        }
        Matcher range = RANGE.matcher(String.valueOf(call.header("Content-Range")).trim());
        if (!range.matches()) {
            throw GraphException.badRequest("The Content-Range header is missing or not 'bytes {start}-{end}/{total}'.");
        }
        long start = Long.parseLong(range.group(1));
        long end = Long.parseLong(range.group(2));
        long total = Long.parseLong(range.group(3));
        synchronized (session) {
            long next = session.content.size();
            if (total != session.size) {
                throw GraphException.badRequest("The total size " + total + " differs from the session's " + session.size
                        + ".");
            }
            if (start != next) {
                throw new GraphException(416, "InvalidRange", "The range starts at " + start + "; the next expected"
                        + " range starts at " + next + ".");
            }
            long length = end - start + 1;
            if (length != call.raw.length || length <= 0) {
                throw GraphException.badRequest("The Content-Range says " + length + " bytes; the body has "
                        + call.raw.length + ".");
            }
            if (length > MAX_RANGE) {
                throw GraphException.badRequest("A range may hold at most 4 MB.");
            }
            boolean last = end + 1 == total;
            if (!last && length % RANGE_UNIT != 0) {
                throw GraphException.badRequest("Each range but the last must be a multiple of 320 KiB (327,680 bytes).");
            }
            session.content.write(call.raw, 0, call.raw.length);
            session.expires = Instant.now().plus(Duration.ofMinutes(15));
            if (!last) {
                ObjectNode body = Json.object();
                body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#microsoft.graph.uploadSession");
                body.put("expirationDateTime", Json.graphTime(session.expires));
                body.putArray("nextExpectedRanges").add(Long.toString(end + 1));
                call.json(200, GraphApi.GRAPH_JSON, body);
                return;
            }
            ObjectNode given = Json.object();
            given.put("@odata.type", "#microsoft.graph.fileAttachment");
            given.put("name", session.item.path("name").asText());
            if (session.item.hasNonNull("contentType")) {
                given.put("contentType", session.item.get("contentType").asText());
            }
            given.put("isInline", session.item.path("isInline").asBoolean(false));
            given.put("contentBytes", Base64.getEncoder().encodeToString(session.content.toByteArray()));
            ArrayNode one = Json.array();
            one.add(given);
            ObjectNode attachment = (ObjectNode) SendMailApi.attachments(one).get(0);
            attachment.put("size", session.size);
            if (session.mailbox.addAttachment(session.messageId, attachment) == null) {
                throw GraphException.itemNotFound();
            }
            sessions.remove(path.group(3));
            call.setHeader("Location", simulator.baseUrl() + UPLOAD_PATH + "Users('" + session.mailbox.userId
                    + "')/Messages('" + session.messageId + "')/Attachments('" + attachment.path("id").asText() + "')");
            call.empty(201);
        }
    }

    // ---------------------------------------------------------------- MIME

    // docs: https://learn.microsoft.com/en-us/graph/outlook-get-mime-message (GET /messages/{id}/$value)
    private void mime(HttpCall call, Mailbox mailbox, String messageId) {
        ObjectNode json;
        ArrayNode attachments;
        synchronized (mailbox) {
            Mailbox.StoredMessage message = mailbox.get(messageId);
            if (message == null) {
                throw GraphException.itemNotFound();
            }
            json = message.json.deepCopy();
            attachments = message.attachments == null ? null : message.attachments.deepCopy();
        }
        StringBuilder out = new StringBuilder();
        header(out, "From", address(json.path("from")));
        header(out, "To", addresses(json.path("toRecipients")));
        if (!json.path("ccRecipients").isEmpty()) {
            header(out, "Cc", addresses(json.path("ccRecipients")));
        }
        header(out, "Subject", encodeWord(json.path("subject").asText("")));
        header(out, "Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.parse(json.path("sentDateTime").asText(json.path("receivedDateTime").asText()))
                        .atZone(ZoneOffset.UTC)));
        header(out, "Message-ID", json.path("internetMessageId").asText());
        header(out, "MIME-Version", "1.0");
        boolean html = "html".equals(json.path("body").path("contentType").asText());
        String bodyType = (html ? "text/html" : "text/plain") + "; charset=\"utf-8\"";
        String content = json.path("body").path("content").asText("");
        if (attachments == null || attachments.isEmpty()) {
            header(out, "Content-Type", bodyType);
            header(out, "Content-Transfer-Encoding", "base64");
            out.append("\r\n").append(base64Lines(content.getBytes(StandardCharsets.UTF_8)));
        } else {
            String boundary = "_000_" + TlsMaterial.base64Url(Ids.random(12)).replace("-", "x") + "_";
            header(out, "Content-Type", "multipart/mixed; boundary=\"" + boundary + "\"");
            out.append("\r\n--").append(boundary).append("\r\n");
            header(out, "Content-Type", bodyType);
            header(out, "Content-Transfer-Encoding", "base64");
            out.append("\r\n").append(base64Lines(content.getBytes(StandardCharsets.UTF_8)));
            for (JsonNode a : attachments) {
                out.append("\r\n--").append(boundary).append("\r\n");
                String name = a.path("name").asText();
                header(out, "Content-Type", a.path("contentType").asText("application/octet-stream") + "; name=\""
                        + name + "\"");
                header(out, "Content-Disposition", "attachment; filename=\"" + name + "\"");
                header(out, "Content-Transfer-Encoding", "base64");
                out.append("\r\n").append(base64Lines(Base64.getDecoder().decode(a.path("contentBytes").asText(""))));
            }
            out.append("\r\n--").append(boundary).append("--\r\n");
        }
        call.send(200, "text/plain", out.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void header(StringBuilder out, String name, String value) {
        out.append(name).append(": ").append(value).append("\r\n");
    }

    private static String address(JsonNode recipient) {
        JsonNode a = recipient.path("emailAddress");
        String name = a.path("name").asText("");
        String email = a.path("address").asText("");
        return name.isEmpty() || name.equals(email) ? email : encodeWord(name) + " <" + email + ">";
    }

    private static String addresses(JsonNode recipients) {
        StringBuilder s = new StringBuilder();
        for (JsonNode r : recipients) {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(address(r));
        }
        return s.toString();
    }

    private static String encodeWord(String text) {
        for (char c : text.toCharArray()) {
            if (c > 126 || c < 32) {
                return "=?utf-8?B?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
            }
        }
        return text;
    }

    private static String base64Lines(byte[] bytes) {
        return Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(bytes) + "\r\n";
    }
}

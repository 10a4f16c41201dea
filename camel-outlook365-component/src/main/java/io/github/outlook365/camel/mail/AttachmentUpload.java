package io.github.outlook365.camel.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Exception;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.graph.GraphResponse;
import io.github.outlook365.camel.model.FileAttachment;

/**
 * Attaches files to a message that exists (a draft): under 3 MB with {@code POST /messages/{id}/attachments}
 * (contentBytes), from 3 MB to 150 MB through {@code POST .../attachments/createUploadSession} and ranged PUTs of
 * {@link #CHUNK} bytes (a multiple of 320 KiB, as Graph asks, under its 4 MB per request), read from the file's stream
 * one chunk at a time.
 */
final class AttachmentUpload {

    /** Below this size a file travels as contentBytes (base64 keeps the request under Graph's 4 MB). */
    static final long INLINE_LIMIT = 3_000_000;
    /** 12 x 320 KiB = 3.75 MiB. */
    static final int CHUNK = 12 * 320 * 1024;

    private AttachmentUpload() {
    }

    /** A fileAttachment with its content, for a message body or POST .../attachments. */
    static ObjectNode inline(FileAttachment file) {
        ObjectNode node = GraphJson.MAPPER.createObjectNode();
        node.put("@odata.type", "#microsoft.graph.fileAttachment");
        node.put("name", file.name());
        node.put("contentType", file.contentType());
        try (InputStream in = file.open()) {
            node.put("contentBytes", Base64.getEncoder().encodeToString(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read attachment '" + file.name() + "': " + e.getMessage(), e);
        }
        return node;
    }

    static void attach(ActionExchange call, String messageId, List<FileAttachment> files) {
        for (FileAttachment file : files) {
            if (file.size() < INLINE_LIMIT) {
                call.send("POST", call.connection().messagePath(messageId) + "/attachments", inline(file));
            } else {
                upload(call, messageId, file);
            }
        }
    }

    private static void upload(ActionExchange call, String messageId, FileAttachment file) {
        ObjectNode request = GraphJson.MAPPER.createObjectNode();
        ObjectNode item = request.putObject("AttachmentItem");
        item.put("attachmentType", "file");
        item.put("name", file.name());
        item.put("size", file.size());
        item.put("contentType", file.contentType());
        JsonNode session = call.send("POST", call.connection().messagePath(messageId) + "/attachments/createUploadSession", request)
                .body();
        String uploadUrl = session.path("uploadUrl").asText(null);
        if (uploadUrl == null) {
            throw new Outlook365Exception("Graph answered createUploadSession for attachment '" + file.name()
                                          + "' without an uploadUrl");
        }
        byte[] chunk = new byte[CHUNK];
        long sent = 0;
        try (InputStream in = file.open()) {
            while (sent < file.size()) {
                int length = in.readNBytes(chunk, 0, (int) Math.min(CHUNK, file.size() - sent));
                if (length <= 0) {
                    throw new Outlook365Exception("attachment '" + file.name() + "' ended after " + sent + " of its "
                                                  + file.size() + " bytes");
                }
                GraphResponse answer = call.connection().graph().uploadRange(call.connection().account(), uploadUrl, chunk,
                        length, sent, file.size());
                sent += length;
                if (sent < file.size()) {
                    String next = answer.body() == null ? null
                            : answer.body().path("nextExpectedRanges").path(0).asText(null);
                    if (next == null || !next.split("-")[0].equals(Long.toString(sent))) {
                        throw new Outlook365Exception("the upload of attachment '" + file.name() + "' lost its place:"
                                                      + " Graph expects " + next + " after " + sent + " bytes");
                    }
                } else if (answer.status() != 201 && answer.status() != 200) {
                    throw new Outlook365Exception("the upload of attachment '" + file.name() + "' ended with HTTP "
                                                  + answer.status());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read attachment '" + file.name() + "': " + e.getMessage(), e);
        }
    }
}

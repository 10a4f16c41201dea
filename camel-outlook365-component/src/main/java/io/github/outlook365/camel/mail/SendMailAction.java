package io.github.outlook365.camel.mail;

import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.model.FileAttachment;
import io.github.outlook365.camel.model.Message;

/**
 * {@code outlook365:mail/send}: sends a mail from the connection's mailbox. The body and headers are read by
 * {@link OutgoingMessage}, attachments by {@link OutgoingAttachments}.
 * <p>
 * Without attachments, or with less than 3 MB of them, one {@code POST /users/{account}/sendMail} (attachments as
 * contentBytes). With more, Graph's way for large files: a draft ({@code POST /messages}), each attachment added
 * ({@link AttachmentUpload}: upload sessions from 3 MB), then {@code POST /messages/{id}/send}; if any step fails the
 * draft is deleted, so nothing half-done stays behind.
 */
final class SendMailAction implements MailAction {

    @Override
    public void process(ActionExchange call) {
        ObjectNode message = new OutgoingMessage(call).read(true);
        List<FileAttachment> files = OutgoingAttachments.read(call.exchange(), call.action());
        long total = files.stream().mapToLong(FileAttachment::size).sum();
        if (total < AttachmentUpload.INLINE_LIMIT) {
            if (!files.isEmpty()) {
                ArrayNode attachments = message.putArray("attachments");
                files.forEach(f -> attachments.add(AttachmentUpload.inline(f)));
            }
            ObjectNode request = GraphJson.MAPPER.createObjectNode();
            request.set("message", message);
            request.put("saveToSentItems", call.configuration().isSaveToSentItems());
            call.send("POST", call.connection().mailboxPath() + "/sendMail", request);
            return;
        }
        String draftId = Message.fromGraph(call.send("POST", call.connection().mailboxPath() + "/messages", message)
                .body()).id();
        try {
            AttachmentUpload.attach(call, draftId, files);
            call.send("POST", call.connection().messagePath(draftId) + "/send", null);
        } catch (RuntimeException e) {
            try {
                call.send("DELETE", call.connection().messagePath(draftId), null);
            } catch (GraphException ignored) {
                e.addSuppressed(ignored);
            }
            throw e;
        }
    }
}

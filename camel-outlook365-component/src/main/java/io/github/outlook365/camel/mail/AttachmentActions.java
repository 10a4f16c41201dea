package io.github.outlook365.camel.mail;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.model.Attachment;
import org.apache.camel.Exchange;

/** {@code outlook365:mail/getAttachments} and {@code mail/downloadAttachment}. */
final class AttachmentActions {

    static final String SELECT = "id,name,contentType,size,isInline,lastModifiedDateTime";

    private AttachmentActions() {
    }

    /** {@code GET /messages/{id}/attachments} (without content): the body becomes a {@code List<Attachment>}. */
    static final class ListAttachments implements MailAction {
        @Override
        public void process(ActionExchange call) {
            call.message().setBody(list(call, call.messageId()));
        }
    }

    static List<Attachment> list(ActionExchange call, String messageId) {
        List<Attachment> attachments = new ArrayList<>();
        String url = call.connection().messagePath(messageId) + "/attachments?$select=" + SELECT;
        while (url != null) {
            JsonNode page = call.get(url);
            page.path("value").forEach(a -> attachments.add(Attachment.fromGraph(a)));
            url = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
        }
        return attachments;
    }

    /**
     * {@code GET /messages/{id}/attachments/{attachmentId}/$value}, streamed: the body becomes an InputStream of the
     * file; headers CamelFileName (the attachment's name, so a file endpoint writes it under that name),
     * Content-Type and CamelOutlook365AttachmentName are set. The attachment id comes from header
     * CamelOutlook365AttachmentId, else an {@link Attachment} body.
     */
    static final class Download implements MailAction {
        @Override
        public void process(ActionExchange call) {
            String messageId = call.messageId();
            String attachmentId = call.header(Outlook365Constants.ATTACHMENT_ID);
            if (attachmentId == null && call.message().getBody() instanceof Attachment a) {
                attachmentId = a.id();
            }
            if (attachmentId == null || attachmentId.isBlank()) {
                throw new IllegalArgumentException("outlook365:mail/downloadAttachment needs the attachment's id: set"
                                                   + " header " + Outlook365Constants.ATTACHMENT_ID + " or give an"
                                                   + " Attachment (from outlook365:mail/getAttachments) as the body");
            }
            String path = call.connection().messagePath(messageId) + "/attachments/"
                          + GraphClient.encodePathSegment(attachmentId);
            Attachment meta;
            try {
                meta = Attachment.fromGraph(call.get(path + "?$select=" + SELECT));
            } catch (GraphException e) {
                if (e.getStatus() != 404) {
                    throw e;
                }
                throw new MessageNotFoundException("outlook365:mail/downloadAttachment: mailbox '"
                                                   + call.connection().account() + "' has no attachment '" + attachmentId
                                                   + "' on message '" + messageId + "' (" + e.getCode() + "): the message"
                                                   + " was deleted or moved, or the attachment id is not one of"
                                                   + " outlook365:mail/getAttachments of this message (request-id "
                                                   + e.getRequestId() + ")", messageId, e);
            }
            call.message().setBody(call.download(path + "/$value"));
            call.message().setHeader(Outlook365Constants.ATTACHMENT_NAME, meta.name());
            call.message().setHeader(Exchange.FILE_NAME, meta.name());
            call.message().setHeader(Exchange.CONTENT_TYPE, meta.contentType());
        }
    }
}

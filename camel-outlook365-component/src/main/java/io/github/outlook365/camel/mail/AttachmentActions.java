package io.github.outlook365.camel.mail;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.graph.GraphRequest;
import io.github.outlook365.camel.model.Attachment;
import org.apache.camel.Exchange;

/** {@code outlook365:mail/getAttachments}, {@code mail/downloadAttachment} and {@code mail/exportEml}. */
final class AttachmentActions {

    static final String SELECT = "id,name,contentType,size,isInline,lastModifiedDateTime";

    private AttachmentActions() {
    }

    /** {@code GET /messages/{id}/attachments} (without content): the body becomes a {@code List<Attachment>}. */
    static final class ListAttachments implements MailAction {
        @Override
        public void process(MailCall call) {
            call.in().setBody(list(call, call.messageId()));
        }

        @Override
        public String permission() {
            return "Mail.Read";
        }
    }

    static List<Attachment> list(MailCall call, String messageId) {
        List<Attachment> attachments = new ArrayList<>();
        String url = call.messagePath(messageId) + "/attachments?$select=" + SELECT;
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
        public void process(MailCall call) {
            String messageId = call.messageId();
            String attachmentId = call.header(Outlook365Constants.ATTACHMENT_ID);
            if ((attachmentId == null || attachmentId.isBlank()) && call.in().getBody() instanceof Attachment a) {
                attachmentId = a.id();
            }
            if (attachmentId == null || attachmentId.isBlank()) {
                throw new IllegalArgumentException("outlook365:mail/downloadAttachment needs the attachment's id: set"
                                                   + " header " + Outlook365Constants.ATTACHMENT_ID + " or give an"
                                                   + " Attachment (from outlook365:mail/getAttachments) as the body");
            }
            String path = call.messagePath(messageId) + "/attachments/" + GraphClient.encodePathSegment(attachmentId);
            Attachment meta;
            try {
                meta = Attachment.fromGraph(call.get(path + "?$select=" + SELECT));
            } catch (GraphException e) {
                if (e.getStatus() != 404) {
                    throw e;
                }
                throw new MessageNotFoundException("outlook365:mail/downloadAttachment: mailbox '"
                                                   + call.connection.account() + "' has no attachment '" + attachmentId
                                                   + "' on message '" + messageId + "' (" + e.getCode() + "): the message"
                                                   + " was deleted or moved, or the attachment id is not one of"
                                                   + " outlook365:mail/getAttachments of this message (request-id "
                                                   + e.getRequestId() + ")", messageId, e);
            }
            call.in().setBody(call.connection.graph().download(GraphRequest.get(call.connection.account(),
                    path + "/$value")));
            call.in().setHeader(Outlook365Constants.ATTACHMENT_NAME, meta.name());
            call.in().setHeader(Exchange.FILE_NAME, meta.name());
            call.in().setHeader(Exchange.CONTENT_TYPE, meta.contentType());
        }

        @Override
        public String permission() {
            return "Mail.Read";
        }
    }

    /**
     * {@code GET /messages/{id}/$value}: the message as MIME (an .eml file), streamed; the body becomes an InputStream,
     * Content-Type message/rfc822.
     */
    static final class ExportEml implements MailAction {
        @Override
        public void process(MailCall call) {
            String id = call.messageId();
            call.in().setBody(call.connection.graph().download(GraphRequest.get(call.connection.account(),
                    call.messagePath(id) + "/$value")));
            call.in().setHeader(Exchange.CONTENT_TYPE, "message/rfc822");
        }

        @Override
        public String permission() {
            return "Mail.Read";
        }
    }
}

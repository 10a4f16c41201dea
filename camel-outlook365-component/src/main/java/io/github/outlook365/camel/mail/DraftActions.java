package io.github.outlook365.camel.mail;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.model.FileAttachment;
import io.github.outlook365.camel.model.Message;

/** {@code outlook365:mail/createDraft} and {@code outlook365:mail/sendDraft}. */
final class DraftActions {

    private DraftActions() {
    }

    /**
     * {@code POST /messages}: a draft in Drafts from the same body, headers and attachments as mail/send (recipients
     * optional). The body becomes the draft ({@link Message}); header CamelOutlook365MessageId its id, for
     * mail/sendDraft.
     */
    static final class Create implements MailAction {
        @Override
        public void process(ActionExchange call) {
            ObjectNode draft = new OutgoingMessage(call).read(false);
            List<FileAttachment> files = OutgoingAttachments.read(call.exchange(), call.action());
            Message created = Message.fromGraph(call.send("POST", call.connection().mailboxPath() + "/messages", draft)
                    .body());
            if (!files.isEmpty()) {
                AttachmentUpload.attach(call, created.id(), files);
                created = Message.fromGraph(call.get(call.connection().messagePath(created.id()) + "?$select="
                                                     + MailTriggerConsumer.SELECT));
            }
            call.message().setBody(created);
            call.message().setHeader(Outlook365Constants.MESSAGE_ID, created.id());
        }
    }

    /** {@code POST /messages/{id}/send}: sends a draft; Graph moves it to Sent Items. The body is left as it was. */
    static final class Send implements MailAction {
        @Override
        public void process(ActionExchange call) {
            call.send("POST", call.connection().messagePath(call.messageId()) + "/send", null);
        }
    }
}

package io.github.outlook365.camel.mail;

import java.util.List;
import java.util.function.Supplier;

import io.github.outlook365.camel.Outlook365Operation;
import io.github.outlook365.camel.auth.GraphPermission;

import static io.github.outlook365.camel.auth.GraphPermission.MAILBOX_SETTINGS_READ_WRITE;
import static io.github.outlook365.camel.auth.GraphPermission.MAIL_READ;
import static io.github.outlook365.camel.auth.GraphPermission.MAIL_READ_WRITE;
import static io.github.outlook365.camel.auth.GraphPermission.MAIL_SEND;

/**
 * The mail triggers and actions, each with the Graph permission it needs. Every action runs in the component's one
 * producer.
 */
public final class MailOperations {

    public static final List<Outlook365Operation> OPERATIONS = List.of(
            trigger(MailTriggerConsumer.Kind.RECEIVED),
            trigger(MailTriggerConsumer.Kind.SENT),
            trigger(MailTriggerConsumer.Kind.FLAGGED),
            action("mail/send", MAIL_SEND, SendMailAction::new),
            action("mail/reply", MAIL_SEND, () -> new RespondAction("reply")),
            action("mail/replyAll", MAIL_SEND, () -> new RespondAction("replyAll")),
            action("mail/forward", MAIL_SEND, () -> new RespondAction("forward")),
            action("mail/createDraft", MAIL_READ_WRITE, DraftActions.Create::new),
            action("mail/sendDraft", MAIL_SEND, DraftActions.Send::new),
            action("mail/get", MAIL_READ, ReadActions.Get::new),
            action("mail/list", MAIL_READ, ReadActions.ListMessages::new),
            action("mail/move", MAIL_READ_WRITE, () -> new MoveAction("move", null)),
            action("mail/copy", MAIL_READ_WRITE, () -> new MoveAction("copy", null)),
            action("mail/archive", MAIL_READ_WRITE, () -> new MoveAction("move", "archive")),
            action("mail/delete", MAIL_READ_WRITE, DeleteAction::new),
            action("mail/markRead", MAIL_READ_WRITE, () -> UpdateAction.markRead(true)),
            action("mail/markUnread", MAIL_READ_WRITE, () -> UpdateAction.markRead(false)),
            action("mail/flag", MAIL_READ_WRITE, UpdateAction::flag),
            action("mail/setCategories", MAIL_READ_WRITE, UpdateAction::setCategories),
            action("mail/listFolders", MAIL_READ, FolderActions.ListFolders::new),
            action("mail/createFolder", MAIL_READ_WRITE, FolderActions.CreateFolder::new),
            action("mail/getAttachments", MAIL_READ, AttachmentActions.ListAttachments::new),
            action("mail/downloadAttachment", MAIL_READ, AttachmentActions.Download::new),
            action("mail/exportEml", MAIL_READ, ReadActions.ExportEml::new),
            action("mail/setAutomaticReplies", MAILBOX_SETTINGS_READ_WRITE, AutomaticRepliesAction::new));

    private MailOperations() {
    }

    private static Outlook365Operation trigger(MailTriggerConsumer.Kind kind) {
        return Outlook365Operation.trigger(kind.trigger, MAIL_READ,
                (endpoint, processor) -> MailTriggerConsumer.create(kind, endpoint, processor));
    }

    // a MailAction, so every mail action reads bodies in bodyContentType and explains refusals about messages
    private static Outlook365Operation action(String name, GraphPermission permission, Supplier<MailAction> action) {
        return Outlook365Operation.action(name, permission, action);
    }
}

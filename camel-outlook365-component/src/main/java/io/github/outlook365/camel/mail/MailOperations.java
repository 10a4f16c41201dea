package io.github.outlook365.camel.mail;

import java.util.List;
import java.util.function.Supplier;

import io.github.outlook365.camel.Outlook365Operation;

/**
 * The mail triggers and actions. Every action runs in a {@link MailProducer} with its own {@link MailAction}.
 */
public final class MailOperations {

    public static final List<Outlook365Operation> OPERATIONS = List.of(
            trigger(MailTriggerConsumer.Kind.RECEIVED),
            trigger(MailTriggerConsumer.Kind.SENT),
            trigger(MailTriggerConsumer.Kind.FLAGGED),
            action("mail/send", SendMailAction::new),
            action("mail/reply", () -> new RespondAction("reply")),
            action("mail/replyAll", () -> new RespondAction("replyAll")),
            action("mail/forward", () -> new RespondAction("forward")),
            action("mail/createDraft", DraftActions.Create::new),
            action("mail/sendDraft", DraftActions.Send::new),
            action("mail/get", ReadActions.Get::new),
            action("mail/list", ReadActions.ListMessages::new),
            action("mail/move", () -> new MoveAction("move", null)),
            action("mail/copy", () -> new MoveAction("copy", null)),
            action("mail/archive", () -> new MoveAction("move", "archive")),
            action("mail/delete", DeleteAction::new),
            action("mail/markRead", () -> UpdateAction.markRead(true)),
            action("mail/markUnread", () -> UpdateAction.markRead(false)),
            action("mail/flag", () -> UpdateAction.flag()),
            action("mail/setCategories", () -> UpdateAction.setCategories()),
            action("mail/listFolders", FolderActions.ListFolders::new),
            action("mail/createFolder", FolderActions.CreateFolder::new),
            action("mail/getAttachments", AttachmentActions.ListAttachments::new),
            action("mail/downloadAttachment", AttachmentActions.Download::new),
            action("mail/exportEml", AttachmentActions.ExportEml::new),
            action("mail/setAutomaticReplies", AutomaticRepliesAction::new));

    private MailOperations() {
    }

    private static Outlook365Operation trigger(MailTriggerConsumer.Kind kind) {
        return Outlook365Operation.trigger(kind.trigger,
                (endpoint, processor) -> MailTriggerConsumer.create(kind, endpoint, processor));
    }

    // a fresh action per endpoint: some keep per-endpoint state (resolved folders)
    private static Outlook365Operation action(String name, Supplier<MailAction> action) {
        return Outlook365Operation.action(name, endpoint -> new MailProducer(endpoint, name, action.get()));
    }
}

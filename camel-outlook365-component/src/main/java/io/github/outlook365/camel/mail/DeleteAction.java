package io.github.outlook365.camel.mail;

/**
 * {@code outlook365:mail/delete}: {@code DELETE /messages/{id}}; Exchange moves the message to Deleted Items (or
 * removes it for good when it is there already). The body is left as it was.
 */
final class DeleteAction implements BatchableAction {

    @Override
    public void process(MailCall call) {
        call.send("DELETE", call.messagePath(call.messageId()), null);
    }

    @Override
    public Request request(MailCall call, String messageId) {
        return new Request("DELETE", call.batchPath(messageId), null);
    }

    @Override
    public String permission() {
        return "Mail.ReadWrite";
    }
}

package io.github.outlook365.camel.mail;

import io.github.outlook365.camel.ActionExchange;

/**
 * {@code outlook365:mail/delete}: {@code DELETE /messages/{id}}; Exchange moves the message to Deleted Items (or
 * removes it for good when it is there already). The body is left as it was.
 */
final class DeleteAction implements BatchableAction {

    @Override
    public void processOne(ActionExchange call) {
        call.send("DELETE", call.connection().messagePath(call.messageId()), null);
    }

    @Override
    public Request request(ActionExchange call, String messageId) {
        return new Request("DELETE", BatchableAction.batchPath(call.connection(), messageId), null);
    }
}

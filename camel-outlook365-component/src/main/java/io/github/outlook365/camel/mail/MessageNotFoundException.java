package io.github.outlook365.camel.mail;

import io.github.outlook365.camel.Outlook365Exception;
import io.github.outlook365.camel.graph.GraphException;

/**
 * The message an action names is not (or no longer) in the mailbox: deleted, or moved (a move gives a message a new
 * id). Routes that tolerate this can catch it with {@code onException(MessageNotFoundException.class)}.
 */
public class MessageNotFoundException extends Outlook365Exception {

    private final String messageId;

    public MessageNotFoundException(String message, String messageId, GraphException cause) {
        super(message, cause);
        this.messageId = messageId;
    }

    public String getMessageId() {
        return messageId;
    }
}

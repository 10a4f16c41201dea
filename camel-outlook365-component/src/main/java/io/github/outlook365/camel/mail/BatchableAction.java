package io.github.outlook365.camel.mail;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.connection.Outlook365Connection;

/**
 * A mail action that also runs on a list of message ids through Graph's {@code $batch}: it says which request it
 * would send for one id, and {@link MailBatch} sends them.
 */
interface BatchableAction extends MailAction {

    /** One request of a batch; {@code path} is relative to the Graph version root (e.g. /users/a@b.c/messages/1/move). */
    record Request(String method, String path, JsonNode body) {
    }

    /** Resolves what the whole batch shares (a destination folder), then the request for each id. */
    Request request(ActionExchange exchange, String messageId);

    /** The action on the one message of the exchange. */
    void processOne(ActionExchange exchange) throws Exception;

    /** A body that is a list of ids (and no id header) runs as a batch; anything else is one message. */
    @Override
    default void process(ActionExchange exchange) throws Exception {
        List<String> ids = exchange.header(Outlook365Constants.MESSAGE_ID) == null
                ? MailBatch.ids(exchange.message().getBody()) : null;
        if (ids != null) {
            MailBatch.run(exchange, this, ids);
        } else {
            processOne(exchange);
        }
    }

    /** The message's path below the Graph version root, as a request inside a $batch names it. */
    static String batchPath(Outlook365Connection connection, String messageId) {
        return connection.messagePath(messageId).substring("/v1.0".length());
    }
}

package io.github.outlook365.camel.mail;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A mail action that can also run on a list of message ids through Graph's {@code $batch}: it says which request it
 * would send for one id.
 */
interface BatchableAction extends MailAction {

    /** One request of a batch; {@code path} is relative to the Graph version root (e.g. /users/a@b.c/messages/1/move). */
    record Request(String method, String path, JsonNode body) {
    }

    /** Resolves what the whole batch shares (a destination folder), then the request for each id. */
    Request request(MailCall call, String messageId);
}

package io.github.outlook365.camel.model;

/**
 * What happened to one message of a batch action (a list of ids given to move, copy, archive, delete, markRead,
 * markUnread, flag or setCategories).
 *
 * @param messageId    the id as given
 * @param status       the HTTP status Graph answered for it (after retries of throttled items)
 * @param newId        the message's id afterwards (move and copy give a new id), else null
 * @param errorCode    Graph's error code when it failed (ErrorItemNotFound, ErrorAccessDenied, ...), else null
 * @param errorMessage Graph's error message when it failed, else null
 */
public record BatchResult(String messageId, int status, String newId, String errorCode, String errorMessage) {

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }
}

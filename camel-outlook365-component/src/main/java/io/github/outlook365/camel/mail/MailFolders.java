package io.github.outlook365.camel.mail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.Outlook365Exception;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphException;

/**
 * Finds mail folders and turns Graph's refusals into errors that say which option to fix.
 */
final class MailFolders {

    private MailFolders() {
    }

    /** The Graph id of {@code folder} (a well-known name or an id) in the connection's mailbox. */
    static String resolveId(Outlook365Connection connection, String folder) {
        if (folder == null || folder.isBlank()) {
            throw new IllegalArgumentException("option folder is empty: give a well-known name such as inbox, or a folder id");
        }
        try {
            JsonNode node = connection.graph().get(connection.account(),
                    connection.mailboxPath() + "/mailFolders/" + GraphClient.encodePathSegment(folder.trim())
                                                                        + "?$select=id,displayName");
            return node.get("id").asText();
        } catch (GraphException e) {
            throw explain(e, connection, folder);
        }
    }

    static RuntimeException explain(GraphException e, Outlook365Connection connection, String folder) {
        String account = connection.account();
        if ("ErrorInvalidUser".equalsIgnoreCase(e.getCode()) || "MailboxNotEnabledForRESTAPI".equalsIgnoreCase(e.getCode())
                || "ResourceNotFound".equalsIgnoreCase(e.getCode())) {
            return new Outlook365Exception("option account='" + account + "' is not a mailbox in tenant '"
                                           + connection.settings().auth().tenantId() + "' (" + e.getCode() + "): give the"
                                           + " user principal name of a user with an Exchange Online mailbox, or a"
                                           + " shared mailbox's address (request-id " + e.getRequestId() + ")");
        }
        if (e.getStatus() == 404 || "ErrorInvalidIdMalformed".equalsIgnoreCase(e.getCode())) {
            return new Outlook365Exception("option folder='" + folder + "': mailbox '" + account + "' has no such folder ("
                                           + e.getCode() + "): give a well-known name (inbox, sentitems, drafts, archive,"
                                           + " deleteditems, junkemail) or a folder id (request-id " + e.getRequestId() + ")");
        }
        if (e.getStatus() == 403) {
            return new Outlook365Exception("the app may not read mail of '" + account + "' (" + e.getCode() + "): an admin"
                                           + " must grant the application permission Mail.Read (or Mail.ReadWrite) and"
                                           + " consent to it; with an application access policy the mailbox must be in"
                                           + " its scope (request-id " + e.getRequestId() + ")");
        }
        return e;
    }
}

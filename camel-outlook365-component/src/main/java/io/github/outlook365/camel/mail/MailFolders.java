package io.github.outlook365.camel.mail;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.GraphRefusals;
import io.github.outlook365.camel.Outlook365Exception;
import io.github.outlook365.camel.auth.GraphPermission;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.model.MailFolder;

/**
 * Finds mail folders (well-known name, id, or display-name path such as {@code Inbox/Invoices}) and turns Graph's
 * refusals into errors that say which option to fix.
 */
final class MailFolders {

    private static final int PAGE = 100;

    private MailFolders() {
    }

    /** The Graph id of {@code folder} (a well-known name or an id, or a display-name path) in the connection's mailbox. */
    static String resolveId(Outlook365Connection connection, String folder) {
        return resolveId(connection, folder, "option folder");
    }

    /**
     * The Graph id of {@code folder}: a well-known name (inbox), an id, or a path of display names from the top of the
     * mailbox whose first step may also be a well-known name ({@code Inbox/Invoices/2026}).
     *
     * @param what the option or header the folder came from, for the error message
     */
    static String resolveId(Outlook365Connection connection, String folder, String what) {
        if (folder == null || folder.isBlank()) {
            throw new IllegalArgumentException(what + " is empty: give a well-known name such as inbox, a display-name"
                                               + " path such as Inbox/Invoices, or a folder id");
        }
        String[] steps = folder.trim().split("/");
        String id = null;
        String first = steps[0].trim();
        try {
            JsonNode node = connection.graph().get(connection.account(),
                    connection.mailboxPath() + "/mailFolders/" + GraphClient.encodePathSegment(first)
                                                                        + "?$select=id,displayName");
            id = node.get("id").asText();
        } catch (GraphException e) {
            if (e.getStatus() != 404 && e.getStatus() != 400) {
                throw explain(e, connection, folder, what);
            }
            if ("ErrorInvalidUser".equalsIgnoreCase(e.getCode())) {
                throw explain(e, connection, folder, what);
            }
        }
        if (id == null) {
            id = child(connection, null, first, folder, what);
        }
        for (int i = 1; i < steps.length; i++) {
            if (!steps[i].isBlank()) {
                id = child(connection, id, steps[i].trim(), folder, what);
            }
        }
        return id;
    }

    private static String child(Outlook365Connection connection, String parentId, String name, String folder, String what) {
        List<MailFolder> children = list(connection, parentId);
        for (MailFolder f : children) {
            if (name.equalsIgnoreCase(f.displayName())) {
                return f.id();
            }
        }
        List<String> names = new ArrayList<>();
        children.forEach(f -> names.add(f.displayName()));
        throw new Outlook365Exception(what + "='" + folder + "': mailbox '" + connection.account() + "' has no such folder:"
                                      + " no folder '" + name + "' " + (parentId == null ? "at its top level" : "there") + " (folders there: "
                                      + names + "): create it with outlook365:mail/createFolder, or give a well-known"
                                      + " name (inbox, sentitems, drafts, archive, deleteditems, junkemail) or a folder id");
    }

    /** The folders directly below {@code parentId} (null: the top-level folders), every page followed. */
    static List<MailFolder> list(Outlook365Connection connection, String parentId) {
        String url = connection.mailboxPath() + "/mailFolders"
                     + (parentId == null ? "" : "/" + GraphClient.encodePathSegment(parentId) + "/childFolders")
                     + "?$top=" + PAGE;
        List<MailFolder> folders = new ArrayList<>();
        try {
            while (url != null) {
                JsonNode page = connection.graph().get(connection.account(), url);
                page.path("value").forEach(f -> folders.add(MailFolder.fromGraph(f)));
                url = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
            }
        } catch (GraphException e) {
            throw explain(e, connection, parentId, "option parentFolder");
        }
        return folders;
    }

    static RuntimeException explain(GraphException e, Outlook365Connection connection, String folder) {
        return explain(e, connection, folder, "option folder");
    }

    static RuntimeException explain(GraphException e, Outlook365Connection connection, String folder, String what) {
        if (GraphRefusals.isNotAMailbox(e) || "ResourceNotFound".equalsIgnoreCase(e.getCode())) {
            return GraphRefusals.notAMailbox(e, connection);
        }
        if (e.getStatus() == 404 || "ErrorInvalidIdMalformed".equalsIgnoreCase(e.getCode())) {
            return new Outlook365Exception(what + "='" + folder + "': mailbox '" + connection.account()
                                           + "' has no such folder (" + e.getCode() + "): give a well-known name (inbox,"
                                           + " sentitems, drafts, archive, deleteditems, junkemail), a display-name path"
                                           + " such as Inbox/Invoices, or a folder id (request-id " + e.getRequestId()
                                           + ")", e);
        }
        if (e.getStatus() == 403) {
            return GraphRefusals.accessDenied(e, connection, "read mail of", GraphPermission.MAIL_READ);
        }
        return e;
    }
}

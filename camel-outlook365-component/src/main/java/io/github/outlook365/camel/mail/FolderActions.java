package io.github.outlook365.camel.mail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Exception;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.model.MailFolder;

/** {@code outlook365:mail/listFolders} and {@code outlook365:mail/createFolder}. */
final class FolderActions {

    private FolderActions() {
    }

    /**
     * {@code GET /mailFolders} (or {@code /mailFolders/{parentFolder}/childFolders}), every page: the body becomes a
     * {@code List<MailFolder>}.
     */
    static final class ListFolders implements MailAction {
        @Override
        public void process(ActionExchange call) {
            String parent = call.configuration().getParentFolder();
            String parentId = parent == null || parent.isBlank() ? null
                    : MailFolders.resolveId(call.connection(), parent, "option parentFolder");
            call.message().setBody(MailFolders.list(call.connection(), parentId));
        }
    }

    /**
     * {@code POST /mailFolders} (or {@code /mailFolders/{parentFolder}/childFolders}) with {@code {"displayName"}}; the
     * name comes from header CamelOutlook365FolderName, else the body. The body becomes the {@link MailFolder}, header
     * CamelOutlook365FolderId its id.
     */
    static final class CreateFolder implements MailAction {
        @Override
        public void process(ActionExchange call) {
            String name = call.header(Outlook365Constants.FOLDER_NAME);
            if (name == null) {
                name = call.textBody();
            }
            if (name == null) {
                throw new IllegalArgumentException("outlook365:mail/createFolder needs the folder's name: set header "
                                                   + Outlook365Constants.FOLDER_NAME + " or give it as the body");
            }
            String parent = call.configuration().getParentFolder();
            String url = call.connection().mailboxPath() + "/mailFolders";
            if (parent != null && !parent.isBlank()) {
                url += "/" + GraphClient.encodePathSegment(MailFolders.resolveId(call.connection(), parent,
                        "option parentFolder")) + "/childFolders";
            }
            ObjectNode request = GraphJson.MAPPER.createObjectNode().put("displayName", name.trim());
            MailFolder folder;
            try {
                folder = MailFolder.fromGraph(call.send("POST", url, request).body());
            } catch (GraphException e) {
                if (e.getStatus() == 409) {
                    throw new Outlook365Exception("outlook365:mail/createFolder: a folder '" + name.trim()
                                                  + "' already exists " + (parent == null ? "at the top of mailbox '"
                                                          + call.connection().account() + "'" : "in '" + parent + "'")
                                                  + " (" + e.getCode() + "): use it, or choose another name", e);
                }
                throw e;
            }
            call.message().setBody(folder);
            call.message().setHeader(Outlook365Constants.FOLDER_ID, folder.id());
        }
    }
}

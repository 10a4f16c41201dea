package io.github.outlook365.simulator;

import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Nested mail folders: {@code POST .../mailFolders} and {@code POST .../mailFolders/{id}/childFolders}
 * ({@code {"displayName", "isHidden"}} &rarr; 201 mailFolder, 409 ErrorFolderExists for a sibling of the same name),
 * {@code GET .../mailFolders/{id}/childFolders}.
 */
final class MailFolderTree {

    private final Outlook365Simulator simulator;

    MailFolderTree(Outlook365Simulator simulator, GraphApi graph) {
        this.simulator = simulator;
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/user-post-mailfolders,
    //   https://learn.microsoft.com/en-us/graph/api/mailfolder-post-childfolders
    // observed: 409 ErrorFolderExists for a name taken
    void create(HttpCall call, Mailbox mailbox, Mailbox.Folder parent) {
        ObjectNode request = GraphApi.requireObject(call);
        String displayName = Json.text(request, "displayName");
        if (displayName == null || displayName.isBlank()) {
            throw new GraphException(400, "ErrorInvalidRequest", "The displayName property is required.");
        }
        Mailbox.Folder folder = mailbox.createFolder(parent == null ? mailbox.rootFolderId : parent.id(),
                displayName.trim());
        if (folder == null) {
            throw new GraphException(409, "ErrorFolderExists", "A folder with the specified name already exists.");
        }
        ObjectNode body = Json.object();
        body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#users('" + GraphApi.encode(mailbox.upn)
                + "')/mailFolders" + (parent == null ? "" : "('" + parent.id() + "')/childFolders") + "/$entity");
        body.setAll(MailFoldersApi.folderJson(mailbox, folder));
        call.json(201, GraphApi.GRAPH_JSON, body);
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/mailfolder-list-childfolders
    void children(HttpCall call, Mailbox mailbox, Mailbox.Folder parent) {
        List<Mailbox.Folder> folders = mailbox.children(parent.id());
        folders.sort(Comparator.comparing(Mailbox.Folder::displayName));
        ObjectNode body = Json.object();
        body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#users('" + GraphApi.encode(mailbox.upn)
                + "')/mailFolders('" + parent.id() + "')/childFolders");
        ArrayNode value = body.putArray("value");
        folders.forEach(f -> value.add(MailFoldersApi.folderJson(mailbox, f)));
        call.json(200, GraphApi.GRAPH_JSON, body);
    }
}

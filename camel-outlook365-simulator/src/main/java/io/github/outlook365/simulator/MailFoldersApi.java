package io.github.outlook365.simulator;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static io.github.outlook365.simulator.GraphApi.GRAPH_JSON;
import static io.github.outlook365.simulator.GraphApi.READ_ROLES;
import static io.github.outlook365.simulator.GraphApi.WRITE_ROLES;
import static io.github.outlook365.simulator.GraphApi.encode;
import static io.github.outlook365.simulator.GraphApi.folder;
import static io.github.outlook365.simulator.GraphApi.intParam;
import static io.github.outlook365.simulator.GraphApi.isDelta;
import static io.github.outlook365.simulator.GraphApi.requireMethod;
import static io.github.outlook365.simulator.GraphApi.requireRole;

/**
 * Microsoft Graph v1.0 mail folders of a mailbox: list, get, create, child folders, and the messages of one folder
 * (list, get, delta).
 */
final class MailFoldersApi {

    private final Outlook365Simulator simulator;
    private final GraphApi graph;
    private final MailFolderTree folderTree;
    private final DeltaEngine delta;
    private final MessagesApi messages;

    MailFoldersApi(Outlook365Simulator simulator, GraphApi graph, MailFolderTree folderTree, DeltaEngine delta,
                   MessagesApi messages) {
        this.simulator = simulator;
        this.graph = graph;
        this.folderTree = folderTree;
        this.delta = delta;
        this.messages = messages;
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/user-list-mailfolders,
    //   https://learn.microsoft.com/en-us/graph/api/mailfolder-get,
    //   https://learn.microsoft.com/en-us/graph/api/user-post-mailfolders
    // docs: https://learn.microsoft.com/en-us/graph/api/mailfolder-list-childfolders,
    //   https://learn.microsoft.com/en-us/graph/api/mailfolder-post-childfolders
    // docs: https://learn.microsoft.com/en-us/graph/api/mailfolder-list-messages,
    //   https://learn.microsoft.com/en-us/graph/api/message-delta,
    //   https://learn.microsoft.com/en-us/graph/api/message-get
    void handle(HttpCall call, SimulatorState.AccessToken token, String user, List<String> rest) {
        if (rest.size() == 1 && call.method.equals("POST")) {
            requireRole(token, WRITE_ROLES);
            folderTree.create(call, graph.mailbox(token, user), null);
            return;
        }
        if (rest.size() == 1) {
            requireMethod(call, "GET");
            requireRole(token, READ_ROLES);
            Mailbox mailbox = graph.mailbox(token, user);
            List<Mailbox.Folder> folders = mailbox.children(mailbox.rootFolderId);
            folders.sort(Comparator.comparing(Mailbox.Folder::displayName));
            int top = call.param("$top") == null ? 10 : intParam(call, "$top", 1, 1000);
            int skip = call.param("$skip") == null ? 0 : intParam(call, "$skip", 0, Integer.MAX_VALUE);
            ObjectNode body = Json.object();
            body.put("@odata.context",
                    simulator.baseUrl() + "/v1.0/$metadata#users('" + encode(mailbox.upn) + "')/mailFolders");
            int end = Math.min(folders.size(), skip + top);
            if (end < folders.size()) {
                body.put("@odata.nextLink", simulator.baseUrl() + "/v1.0/users/" + mailbox.upn
                        + "/mailFolders?$top=" + top + "&$skip=" + end);
            }
            ArrayNode value = body.putArray("value");
            for (int i = Math.min(skip, folders.size()); i < end; i++) {
                value.add(folderJson(mailbox, folders.get(i)));
            }
            call.json(200, GRAPH_JSON, body);
            return;
        }
        String folderSegment = rest.get(1);
        if (rest.size() == 2) {
            requireMethod(call, "GET");
            requireRole(token, READ_ROLES);
            Mailbox mailbox = graph.mailbox(token, user);
            Mailbox.Folder folder = folder(mailbox, folderSegment);
            ObjectNode body = Json.object();
            body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#users('" + encode(mailbox.upn)
                    + "')/mailFolders/$entity");
            body.setAll(folderJson(mailbox, folder));
            call.json(200, GRAPH_JSON, body);
            return;
        }
        String sub = rest.get(2).toLowerCase(Locale.ROOT);
        if (sub.equals("childfolders") && rest.size() == 3) {
            requireMethod(call, "GET", "POST");
            requireRole(token, call.method.equals("POST") ? WRITE_ROLES : READ_ROLES);
            Mailbox mailbox = graph.mailbox(token, user);
            Mailbox.Folder folder = folder(mailbox, folderSegment);
            if (call.method.equals("POST")) {
                folderTree.create(call, mailbox, folder);
            } else {
                folderTree.children(call, mailbox, folder);
            }
            return;
        }
        if (!sub.equals("messages")) {
            throw GraphException.segmentNotFound(rest.get(2));
        }
        if (rest.size() == 3) {
            requireMethod(call, "GET");
            requireRole(token, READ_ROLES);
            Mailbox mailbox = graph.mailbox(token, user);
            Mailbox.Folder folder = folder(mailbox, folderSegment);
            messages.listMessages(call, mailbox, folder, folderSegment);
            return;
        }
        if (rest.size() == 4 && isDelta(rest.get(3))) {
            requireMethod(call, "GET");
            requireRole(token, READ_ROLES);
            Mailbox mailbox = graph.mailbox(token, user);
            Mailbox.Folder folder = folder(mailbox, folderSegment);
            delta.handle(call, mailbox, folder);
            return;
        }
        if (rest.size() == 4) {
            requireMethod(call, "GET");
            requireRole(token, READ_ROLES);
            Mailbox mailbox = graph.mailbox(token, user);
            Mailbox.Folder folder = folder(mailbox, folderSegment);
            messages.getMessage(call, mailbox, rest.get(3), folder);
            return;
        }
        throw GraphException.segmentNotFound(rest.get(rest.size() - 1));
    }

    static ObjectNode folderJson(Mailbox mailbox, Mailbox.Folder folder) {
        ObjectNode json = Json.object();
        json.put("id", folder.id());
        json.put("displayName", folder.displayName());
        json.put("parentFolderId", folder.parentFolderId());
        json.put("childFolderCount", mailbox.children(folder.id()).size());
        json.put("unreadItemCount", mailbox.unreadCount(folder.id()));
        json.put("totalItemCount", mailbox.totalCount(folder.id()));
        json.put("isHidden", false);
        return json;
    }
}

package io.github.outlook365.camel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphPage;

/**
 * The mailboxes of option accountsGroup: the users who are members of the group (nested groups' members too), each by
 * its mail address, else its userPrincipalName. A group given by mail address is looked up once.
 * <p>
 * Graph: {@code GET /groups?$filter=mail eq '...'} (https://learn.microsoft.com/en-us/graph/api/group-list) and
 * {@code GET /groups/{id}/transitiveMembers/microsoft.graph.user?$select=mail,userPrincipalName&$top=999}
 * (https://learn.microsoft.com/en-us/graph/api/group-list-transitivemembers), following @odata.nextLink.
 */
final class GroupMembers {

    /** Pages followed at most per read: 999 members each, so a million members; a bound against a looping link. */
    private static final int MAX_PAGES = 1_000;

    private final Outlook365Endpoint endpoint;
    private final String group;
    private volatile String groupId;

    GroupMembers(Outlook365Endpoint endpoint) {
        this.endpoint = endpoint;
        this.group = endpoint.getConfiguration().getAccountsGroup().trim();
    }

    /** What the option says, for messages. */
    String group() {
        return group;
    }

    /** The members' mailboxes, each once (case-insensitive), in Graph's order. */
    List<String> read() {
        Outlook365Connection connection = endpoint.connection();
        GraphClient graph = connection.graph();
        String id = groupId(connection, graph);
        Map<String, String> members = new LinkedHashMap<>();
        String link = "/v1.0/groups/" + GraphClient.encodePathSegment(id)
                      + "/transitiveMembers/microsoft.graph.user?$select=mail,userPrincipalName&$top=999";
        for (int pages = 0; link != null && pages < MAX_PAGES; pages++) {
            GraphPage page = graph.page(connection.account(), link);
            for (JsonNode user : page.items()) {
                String mail = text(user, "mail");
                String mailbox = mail != null ? mail : text(user, "userPrincipalName");
                if (mailbox != null) {
                    members.putIfAbsent(mailbox.toLowerCase(Locale.ROOT), mailbox);
                }
            }
            link = page.nextLink();
        }
        return new ArrayList<>(members.values());
    }

    private String groupId(Outlook365Connection connection, GraphClient graph) {
        if (groupId != null) {
            return groupId;
        }
        if (group.indexOf('@') < 0) {
            groupId = group;
            return groupId;
        }
        String filter = "mail eq '" + group.replace("'", "''") + "'";
        GraphPage page = graph.page(connection.account(), "/v1.0/groups?$filter=" + GraphClient.encodeQueryValue(filter)
                                                          + "&$select=id,mail");
        if (page.items().isEmpty()) {
            throw new IllegalArgumentException("option accountsGroup='" + group + "': no group of the tenant has that"
                                               + " mail address; give the group's id or the mail address of a Microsoft"
                                               + " 365 group or distribution list");
        }
        groupId = text(page.items().get(0), "id");
        return groupId;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() || value.asText().isBlank() ? null : value.asText();
    }
}

package io.github.outlook365.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static io.github.outlook365.simulator.GraphApi.GRAPH_JSON;
import static io.github.outlook365.simulator.GraphApi.requireMethod;

/**
 * Microsoft Graph v1.0 groups (Microsoft 365 groups and distribution lists) and their members: a group found by its
 * mail address, and the users who are its members.
 */
final class GroupsApi {

    /** Application permissions that read a group's members (GroupMember.Read.All least privileged). */
    static final Set<String> MEMBER_ROLES = Set.of("GroupMember.Read.All", "GroupMember.ReadWrite.All",
            "Group.Read.All", "Group.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All");

    private static final Pattern MAIL_EQ = Pattern.compile("^\\s*mail\\s+eq\\s+'((?:[^']|'')*)'\\s*$",
            Pattern.CASE_INSENSITIVE);

    private final Outlook365Simulator simulator;
    private final SimulatorState state;

    GroupsApi(Outlook365Simulator simulator, SimulatorState state) {
        this.simulator = simulator;
        this.state = state;
    }

    void handle(HttpCall call, SimulatorState.AccessToken token, List<String> segments) {
        requireMethod(call, "GET");
        requireMemberRole(token);
        if (segments.size() == 1) {
            list(call, token);
            return;
        }
        SimulatorState.SimGroup group = state.groups.get(segments.get(1).toLowerCase(Locale.ROOT));
        if (group == null || !group.tenantId().equalsIgnoreCase(token.tenantId())) {
            throw new GraphException(404, "Request_ResourceNotFound", "Resource '" + segments.get(1)
                                                                      + "' does not exist or one of its queried reference-property objects are not present.");
        }
        if (segments.size() == 4 && segments.get(2).equalsIgnoreCase("transitiveMembers")
                && segments.get(3).equalsIgnoreCase("microsoft.graph.user")) {
            transitiveUsers(call, group);
            return;
        }
        if (segments.size() == 2) {
            ObjectNode body = groupJson(group);
            body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#groups/$entity");
            call.json(200, GRAPH_JSON, body);
            return;
        }
        throw GraphException.segmentNotFound(segments.get(segments.size() - 1));
    }

    /** Graph answers Authorization_RequestDenied for a directory read the app holds no permission for. */
    static void requireMemberRole(SimulatorState.AccessToken token) {
        for (String role : token.permissions()) {
            if (MEMBER_ROLES.contains(role)) {
                return;
            }
        }
        throw new GraphException(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/group-list
    /** {@code GET /groups?$filter=mail eq '...'}: the tenant's groups, or the one with that mail address. */
    private void list(HttpCall call, SimulatorState.AccessToken token) {
        String filter = call.param("$filter");
        String mail = null;
        if (filter != null) {
            Matcher m = MAIL_EQ.matcher(filter);
            if (!m.matches()) {
                throw new GraphException(400, "Request_UnsupportedQuery", "Unsupported query.");
            }
            mail = m.group(1).replace("''", "'");
        }
        ObjectNode body = Json.object();
        body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#groups");
        ArrayNode value = body.putArray("value");
        for (SimulatorState.SimGroup group : state.groups.values()) {
            if (group.tenantId().equalsIgnoreCase(token.tenantId())
                    && (mail == null || mail.equalsIgnoreCase(group.mail()))) {
                value.add(groupJson(group));
            }
        }
        call.json(200, GRAPH_JSON, body);
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/group-list-transitivemembers
    /**
     * {@code GET /groups/{id}/transitiveMembers/microsoft.graph.user?$select=...&$top=n}: the users who are members,
     * nested groups flattened; pages of $top (default 100, at most 999) linked by @odata.nextLink ($skiptoken).
     */
    private void transitiveUsers(HttpCall call, SimulatorState.SimGroup group) {
        int top = 100;
        String topParam = call.param("$top");
        if (topParam != null) {
            try {
                top = Integer.parseInt(topParam.trim());
            } catch (NumberFormatException e) {
                throw GraphException.badRequest("Invalid value for $top: " + topParam);
            }
            if (top < 1 || top > 999) {
                throw GraphException.badRequest("Invalid page size specified: '" + top + "'. Must be between 1 and 999 inclusive.");
            }
        }
        int skip = 0;
        String skipToken = call.param("$skiptoken");
        if (skipToken != null) {
            try {
                skip = Integer.parseInt(skipToken.substring(skipToken.indexOf('-') + 1));
            } catch (RuntimeException e) {
                throw GraphException.badRequest("Invalid $skiptoken.");
            }
        }
        // docs: the members are directory users, listed whether or not Exchange Online has given them a mailbox (a new
        // user's mailbox appears some time after its licence: https://learn.microsoft.com/en-us/microsoft-365/admin/add-users/add-users);
        // a member without a simulated mailbox is such a user: its userPrincipalName, mail null
        // (https://learn.microsoft.com/en-us/graph/api/resources/user: mail is the SMTP address, set with a mailbox)
        List<String> users = new ArrayList<>(group.members());
        String select = call.param("$select");
        ObjectNode body = Json.object();
        body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#users"
                                   + (select != null ? "(" + select + ")" : ""));
        ArrayNode value = body.putArray("value");
        int end = Math.min(users.size(), skip + top);
        for (int i = skip; i < end; i++) {
            String upn = users.get(i);
            Mailbox m = state.mailbox(upn);
            ObjectNode user = value.addObject();
            user.put("@odata.type", "#microsoft.graph.user");
            user.put("id", m != null ? m.userId
                    : java.util.UUID.nameUUIDFromBytes(upn.getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
            if (select == null || select.contains("mail")) {
                if (m != null) {
                    user.put("mail", m.upn);
                } else {
                    user.putNull("mail");
                }
            }
            if (select == null || select.contains("userPrincipalName")) {
                user.put("userPrincipalName", m != null ? m.upn : upn);
            }
            if (select == null) {
                user.put("displayName", m != null ? m.displayName : upn);
            }
        }
        if (end < users.size()) {
            StringBuilder next = new StringBuilder(simulator.baseUrl()).append("/v1.0/groups/").append(group.id())
                    .append("/transitiveMembers/microsoft.graph.user?");
            if (select != null) {
                next.append("$select=").append(select).append('&');
            }
            next.append("$top=").append(top).append("&$skiptoken=RFNwdAIAAQAAAA-").append(end);
            body.put("@odata.nextLink", next.toString());
        }
        call.json(200, GRAPH_JSON, body);
    }

    private static ObjectNode groupJson(SimulatorState.SimGroup group) {
        ObjectNode json = Json.object();
        json.put("id", group.id());
        json.put("displayName", group.displayName());
        json.put("mail", group.mail());
        json.put("mailEnabled", true);
        json.put("securityEnabled", false);
        ArrayNode types = json.putArray("groupTypes");
        if (group.unified()) {
            types.add("Unified");
        }
        return json;
    }
}

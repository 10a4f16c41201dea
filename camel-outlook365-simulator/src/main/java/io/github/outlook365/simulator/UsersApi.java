package io.github.outlook365.simulator;

import java.util.Comparator;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static io.github.outlook365.simulator.GraphApi.GRAPH_JSON;
import static io.github.outlook365.simulator.GraphApi.requireMethod;
import static io.github.outlook365.simulator.GraphApi.requireRole;

/** Microsoft Graph v1.0 users: the user a path names, and the list of the tenant's users. */
final class UsersApi {

    private static final Set<String> USER_ROLES = Set.of("User.Read.All", "User.ReadBasic.All", "User.ReadWrite.All",
            "Directory.Read.All", "Directory.ReadWrite.All");

    private final Outlook365Simulator simulator;
    private final SimulatorState state;
    private final GraphApi graph;

    UsersApi(Outlook365Simulator simulator, SimulatorState state, GraphApi graph) {
        this.simulator = simulator;
        this.state = state;
        this.graph = graph;
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/user-get
    /**
     * {@code GET /users/{id | userPrincipalName}}: the user the path names (the signed-in user's own profile with
     * delegated User.Read).
     */
    void get(HttpCall call, SimulatorState.AccessToken token, String user) {
        requireMethod(call, "GET");
        requireRole(token, token.delegated() && token.user().equalsIgnoreCase(user) ? DelegatedAccess.OWN_PROFILE
                : USER_ROLES);
        Mailbox mailbox = graph.mailbox(token, user);
        ObjectNode body = Json.object();
        body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#users/$entity");
        body.setAll(userJson(mailbox));
        call.json(200, GRAPH_JSON, body);
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/user-list
    void list(HttpCall call, SimulatorState.AccessToken token) {
        requireMethod(call, "GET");
        requireRole(token, USER_ROLES);
        ObjectNode body = Json.object();
        body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#users");
        ArrayNode value = body.putArray("value");
        state.mailboxes.values().stream()
                .filter(m -> m.tenantId.equalsIgnoreCase(token.tenantId()))
                .sorted(Comparator.comparing(m -> m.upn))
                .forEach(m -> value.add(userJson(m)));
        call.json(200, GRAPH_JSON, body);
    }

    private static ObjectNode userJson(Mailbox mailbox) {
        ObjectNode user = Json.object();
        user.putArray("businessPhones");
        user.put("displayName", mailbox.displayName);
        String[] names = mailbox.displayName.split(" ", 2);
        user.put("givenName", names[0]);
        user.putNull("jobTitle");
        user.put("mail", mailbox.upn);
        user.putNull("mobilePhone");
        user.putNull("officeLocation");
        user.put("preferredLanguage", "en-US");
        if (names.length > 1) {
            user.put("surname", names[1]);
        } else {
            user.putNull("surname");
        }
        user.put("userPrincipalName", mailbox.upn);
        user.put("id", mailbox.userId);
        return user;
    }
}

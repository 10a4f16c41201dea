package io.github.outlook365.camel.connection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Action;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Operation;
import io.github.outlook365.camel.Outlook365Operations;
import io.github.outlook365.camel.RoutePermissions;
import io.github.outlook365.camel.auth.AccessToken;
import io.github.outlook365.camel.auth.AuthSettings;
import io.github.outlook365.camel.auth.Permissions;
import io.github.outlook365.camel.graph.GraphException;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;

/**
 * {@code outlook365:connection/check}: who the connection is, the mailbox it reaches, and the Graph permissions its
 * token grants and lacks for the mail trigger and action, and for each route on the connection. The body becomes a Map
 * (authMode, tenantId, clientId, user, mailbox, granted, missing, routes, adminConsentUrl, state, reason, lastError,
 * aadstsCode, consentUrl, tokenExpiresAt, certificateExpiresAt); nothing secret is in it. Each entry of routes has
 * route, status, needs and missing, e.g. "Mail.Send (mail/send)". It works in every state: it always asks Entra ID for
 * a token (whatever the backoff), and when that fails the body says the state, the reason and the link that fixes it.
 */
final class CheckAction implements Outlook365Action {

    @Override
    public void process(ActionExchange exchange) {
        Outlook365Connection connection = exchange.connection();
        AuthSettings auth = connection.settings().auth();
        AccessToken token;
        try {
            // a check always asks, whatever the backoff says: it is how a person sees whether a fix worked
            token = connection.attemptToken();
        } catch (RuntimeException e) {
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("authMode", auth.authMode().name());
            check.put("tenantId", auth.tenantId());
            check.put("clientId", auth.clientId());
            putState(check, connection);
            check.put("error", e.getMessage());
            check.put("adminConsentUrl", Permissions.adminConsentUrl(auth));
            exchange.message().setBody(check);
            exchange.message().setHeader(Outlook365Constants.CONNECTION_STATE, connection.lifecycle().state().name());
            return;
        }
        Set<String> granted = Permissions.granted(token.value());
        boolean delegated = !auth.authMode().appOnly();
        String user = delegated ? Permissions.claim(token.value(), "upn") : "app " + auth.clientId();
        boolean shared = delegated && connection.account() != null && !connection.account().equalsIgnoreCase(user);

        Map<String, Object> check = new LinkedHashMap<>();
        check.put("authMode", auth.authMode().name());
        check.put("tenantId", auth.tenantId());
        check.put("clientId", auth.clientId());
        check.put("user", user);
        String mailbox = connection.account() != null ? connection.account() : user;
        try {
            JsonNode me = connection.graph().get(connection.account(),
                    connection.mailboxPath() + "?$select=id,displayName,mail,userPrincipalName");
            mailbox = me.path("mail").asText(me.path("userPrincipalName").asText(mailbox));
            check.put("mailboxDisplayName", me.path("displayName").asText(null));
        } catch (GraphException e) {
            // reading the profile needs User.Read(.All), which a mail-only app may lack: the mailbox is still known
            check.put("mailboxError", e.getStatus() + " " + e.getCode());
        }
        check.put("mailbox", mailbox);
        check.put("granted", granted == null ? List.of() : List.copyOf(granted));
        List<String> missing = new ArrayList<>();
        for (String operation : List.of("mail/received", "mail/send")) {
            List<Permissions.Need> needs = Permissions.needed(operation,
                    Outlook365Operations.find(operation).permission(), delegated, shared);
            for (Permissions.Need need : Permissions.missing(needs, granted)) {
                missing.add(need.permission() + " (" + operation + ")");
            }
        }
        check.put("missing", missing);
        check.put("routes", routes(exchange, delegated, shared, granted));
        check.put("adminConsentUrl", Permissions.adminConsentUrl(auth));
        putState(check, connection);
        exchange.message().setBody(check);
        exchange.message().setHeader(Outlook365Constants.CONNECTION_STATE, connection.lifecycle().state().name());
    }

    /** What each route on this connection needs, whether it runs, and what the token lacks of it. */
    private static List<Map<String, Object>> routes(ActionExchange exchange, boolean delegated, boolean shared,
                                                    Set<String> granted) {
        CamelContext context = exchange.exchange().getContext();
        List<Map<String, Object>> routes = new ArrayList<>();
        RoutePermissions.operationsByRoute(context, exchange.connection()).forEach((routeId, operations) -> {
            List<String> needs = new ArrayList<>();
            List<String> lacking = new ArrayList<>();
            for (Outlook365Operation operation : operations) {
                List<Permissions.Need> needed = Permissions.needed(operation.name(), operation.permission(), delegated,
                        shared);
                needed.forEach(need -> needs.add(need.permission() + " (" + operation.name() + ")"));
                Permissions.missing(needed, granted)
                        .forEach(need -> lacking.add(need.permission() + " (" + operation.name() + ")"));
            }
            Map<String, Object> route = new LinkedHashMap<>();
            route.put("route", routeId);
            ServiceStatus status = context.getRouteController().getRouteStatus(routeId);
            route.put("status", status == null ? null : status.name());
            route.put("needs", needs);
            route.put("missing", lacking);
            routes.add(route);
        });
        return routes;
    }

    private static void putState(Map<String, Object> check, Outlook365Connection connection) {
        ConnectionLifecycle lifecycle = connection.lifecycle();
        check.put("state", lifecycle.state().name());
        check.put("reason", lifecycle.reason());
        ConnectionFailures.Failure last = lifecycle.lastFailure();
        if (last != null) {
            check.put("lastError", last.reason());
            check.put("aadstsCode", last.aadstsCode());
        }
        check.put("consentUrl", lifecycle.consentUrlNow());
        check.put("tokenExpiresAt", lifecycle.tokenExpiresAt() != null ? lifecycle.tokenExpiresAt().toString() : null);
        check.put("certificateExpiresAt",
                lifecycle.certificateExpiresAt() != null ? lifecycle.certificateExpiresAt().toString() : null);
    }
}

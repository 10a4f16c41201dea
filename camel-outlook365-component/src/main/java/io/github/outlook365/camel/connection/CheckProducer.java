package io.github.outlook365.camel.connection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.auth.AccessToken;
import io.github.outlook365.camel.auth.AuthSettings;
import io.github.outlook365.camel.auth.Permissions;
import io.github.outlook365.camel.graph.GraphException;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code outlook365:connection/check}: who the connection is, the mailbox it reaches, and the Graph permissions its
 * token grants and lacks for the mail trigger and action. The body becomes a Map (authMode, tenantId, clientId,
 * user, mailbox, granted, missing, adminConsentUrl); nothing secret is in it.
 */
public class CheckProducer extends DefaultProducer {

    private final Outlook365Endpoint endpoint;
    private Outlook365Connection connection;

    public CheckProducer(Outlook365Endpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        connection = endpoint.connection();
    }

    @Override
    public void process(Exchange exchange) {
        AuthSettings auth = connection.settings().auth();
        AccessToken token = connection.tokens().token();
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
            for (Permissions.Need need : Permissions.missing(Permissions.needed(operation, delegated, shared), granted)) {
                missing.add(need.permission() + " (" + operation + ")");
            }
        }
        check.put("missing", missing);
        check.put("adminConsentUrl", Permissions.adminConsentUrl(auth));
        exchange.getMessage().setBody(check);
    }
}

package io.github.outlook365.camel.connection;

import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Action;
import io.github.outlook365.camel.auth.Permissions;

/**
 * {@code outlook365:connection/adminConsentUrl}: the link an admin of the tenant opens to consent to the app's
 * permissions for the whole organisation ({@code {authorityHost}/{tenant}/adminconsent?client_id=...}), for this
 * connection's cloud and tenant.
 */
final class AdminConsentUrlAction implements Outlook365Action {

    @Override
    public void process(ActionExchange exchange) {
        exchange.message().setBody(Permissions.adminConsentUrl(exchange.connection().settings().auth()));
    }
}

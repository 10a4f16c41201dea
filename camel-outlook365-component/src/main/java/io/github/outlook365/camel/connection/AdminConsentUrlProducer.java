package io.github.outlook365.camel.connection;

import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.auth.Permissions;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code outlook365:connection/adminConsentUrl}: the link an admin of the tenant opens to consent to the app's
 * permissions for the whole organisation ({@code {authorityHost}/{tenant}/adminconsent?client_id=...}), for this
 * connection's cloud and tenant.
 */
public class AdminConsentUrlProducer extends DefaultProducer {

    private final Outlook365Endpoint endpoint;

    public AdminConsentUrlProducer(Outlook365Endpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) {
        exchange.getMessage().setBody(Permissions.adminConsentUrl(endpoint.connectionSettings().auth()));
    }
}

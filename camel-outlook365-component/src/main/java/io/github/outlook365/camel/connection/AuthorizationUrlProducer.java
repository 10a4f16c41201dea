package io.github.outlook365.camel.connection;

import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.auth.DelegatedTokenProvider;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * {@code outlook365:connection/authorizationUrl}: the sign-in link of a delegated connection (body), with a fresh
 * state (header CamelOutlook365AuthorizationState) and PKCE S256 challenge; send it to the person who connects.
 */
public class AuthorizationUrlProducer extends DefaultProducer {

    private final Outlook365Endpoint endpoint;
    private DelegatedTokenProvider delegated;

    public AuthorizationUrlProducer(Outlook365Endpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        delegated = DelegatedConnections.require(endpoint, "authorizationUrl");
    }

    @Override
    public void process(Exchange exchange) {
        DelegatedTokenProvider.SignInRequest request = delegated.authorizationUrl();
        exchange.getMessage().setBody(request.url());
        exchange.getMessage().setHeader(Outlook365Constants.AUTHORIZATION_STATE, request.state());
    }
}

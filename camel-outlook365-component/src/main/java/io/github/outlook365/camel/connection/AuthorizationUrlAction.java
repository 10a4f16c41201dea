package io.github.outlook365.camel.connection;

import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.auth.DelegatedTokenProvider;

/**
 * {@code outlook365:connection/authorizationUrl}: the sign-in link of a delegated connection (body), with a fresh
 * state (header CamelOutlook365AuthorizationState) and PKCE S256 challenge; send it to the person who connects.
 */
final class AuthorizationUrlAction extends SignInAction {

    AuthorizationUrlAction() {
        super("authorizationUrl");
    }

    @Override
    public void process(ActionExchange exchange) {
        DelegatedTokenProvider.SignInRequest request = delegated.authorizationUrl();
        exchange.message().setBody(request.url());
        exchange.message().setHeader(Outlook365Constants.AUTHORIZATION_STATE, request.state());
    }
}

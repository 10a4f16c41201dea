package io.github.outlook365.camel.connection;

import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.auth.DelegatedTokenProvider;
import org.apache.camel.Message;

/**
 * {@code outlook365:connection/authorizationUrl}: starts a sign-in of a delegated connection for the browser that asks
 * (the /provisioning_/signin route): checks the setup token (query parameter {@code setupToken}, or header
 * CamelOutlook365SetupToken), then answers the authorize URL (body) with a fresh state (header
 * CamelOutlook365AuthorizationState) and PKCE S256 challenge, and a {@code Set-Cookie} header that binds the sign-in to
 * this browser: the route must send it back with its redirect, and only that browser can complete the sign-in. A
 * refusal is an {@link io.github.outlook365.camel.auth.SignInRefusedException} (403 without the setup token).
 */
final class AuthorizationUrlAction extends SignInAction {

    AuthorizationUrlAction() {
        super("authorizationUrl");
    }

    @Override
    public void process(ActionExchange exchange) {
        Message message = exchange.message();
        Object given = message.getHeader("setupToken");
        if (given == null) {
            given = message.getHeader(Outlook365Constants.SETUP_TOKEN);
        }
        // whatever happens next, the token goes no further than here (a route that logs its headers)
        message.removeHeader("setupToken");
        message.removeHeader(Outlook365Constants.SETUP_TOKEN);
        DelegatedTokenProvider.SignInRequest request = delegated.startSignIn(given == null ? null : given.toString());
        message.setBody(request.url());
        message.setHeader(Outlook365Constants.AUTHORIZATION_STATE, request.state());
        message.setHeader("Set-Cookie", request.setCookie());
    }
}

package io.github.outlook365.camel.connection;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.auth.DelegatedTokenProvider;
import io.github.outlook365.camel.auth.SignInCookie;
import io.github.outlook365.camel.auth.UntrustedText;
import org.apache.camel.Exchange;

/**
 * {@code outlook365:connection/completeAuthorization}: handles the sign-in callback. Takes {@code code} and
 * {@code state} from the callback's query parameters (the headers {@code code} and {@code state}, as platform-http
 * sets them), from the headers CamelOutlook365AuthorizationCode / CamelOutlook365AuthorizationState, or from a Map
 * body, and the browser's cookies from the {@code Cookie} header; refuses a state this connection did not hand out, one
 * already used, or one another browser started; redeems the code with its PKCE verifier through MSAL4J; refuses a user
 * the connection does not accept (expectedAccount, expectedTenant, another user than the connection's unless
 * allowAccountSwitch). The body becomes a Map: username, usernameHtml (escaped for a page), tenantId, scopes; a
 * {@code Set-Cookie} header clears the sign-in cookie. Refusals (also a callback with Entra ID's {@code error}) are
 * {@link io.github.outlook365.camel.auth.SignInRefusedException}s whose message may be shown to the person (as text);
 * they are logged here, at most once a minute of each kind, since anyone who reaches the callback can send one.
 */
final class CompleteAuthorizationAction extends SignInAction {

    CompleteAuthorizationAction() {
        super("completeAuthorization");
    }

    @Override
    public void process(ActionExchange call) {
        Exchange exchange = call.exchange();
        String error = value(exchange, "error", null);
        String code = value(exchange, "code", Outlook365Constants.AUTHORIZATION_CODE);
        String state = value(exchange, "state", Outlook365Constants.AUTHORIZATION_STATE);
        // the code is spent whatever happens; keep it out of whatever the route logs next
        exchange.getMessage().removeHeader("code");
        exchange.getMessage().removeHeader(Outlook365Constants.AUTHORIZATION_CODE);
        if (error != null) {
            // the callback's parameters come from whoever sent the browser here: cleaned, and logged at most once a
            // minute (anyone can send this request)
            throw delegated.callbackError(error, value(exchange, "error_description", null));
        }
        Object cookies = exchange.getMessage().getHeader("Cookie");
        DelegatedTokenProvider.SignedIn signedIn = delegated.completeAuthorization(code, state,
                cookies == null ? null : cookies.toString());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", signedIn.username());
        body.put("usernameHtml", UntrustedText.html(signedIn.username()));
        body.put("tenantId", signedIn.tenantId());
        body.put("scopes", signedIn.scopes());
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(Outlook365Constants.ACCOUNT, signedIn.username());
        exchange.getMessage().setHeader("Set-Cookie", SignInCookie.clear(state, delegated.redirectUri()));
    }

    private static String value(Exchange exchange, String parameter, String header) {
        Object body = exchange.getMessage().getBody();
        Object value = exchange.getMessage().getHeader(parameter);
        if (value == null && header != null) {
            value = exchange.getMessage().getHeader(header);
        }
        if (value == null && body instanceof Map<?, ?> map) {
            value = map.get(parameter);
        }
        return value == null ? null : value.toString();
    }
}

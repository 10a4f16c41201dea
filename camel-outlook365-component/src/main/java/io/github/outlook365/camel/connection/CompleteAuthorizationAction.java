package io.github.outlook365.camel.connection;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Exception;
import io.github.outlook365.camel.auth.DelegatedTokenProvider;
import org.apache.camel.Exchange;

/**
 * {@code outlook365:connection/completeAuthorization}: handles the sign-in callback. Takes {@code code} and
 * {@code state} from the callback's query parameters (the headers {@code code} and {@code state}, as platform-http
 * sets them), from the headers CamelOutlook365AuthorizationCode / CamelOutlook365AuthorizationState, or from a Map
 * body; refuses a state this connection did not hand out or that was already used; redeems the code with its PKCE
 * verifier through MSAL4J. The body becomes a Map: username, tenantId, scopes.
 */
final class CompleteAuthorizationAction extends SignInAction {

    CompleteAuthorizationAction() {
        super("completeAuthorization");
    }

    @Override
    public void process(ActionExchange call) {
        Exchange exchange = call.exchange();
        String error = value(exchange, "error", null);
        if (error != null) {
            String description = value(exchange, "error_description", null);
            throw new Outlook365Exception("the sign-in did not complete: Entra ID answered " + error
                                          + (description != null ? " (" + firstLine(description) + ")" : "")
                                          + "; start again with outlook365:connection/authorizationUrl, or have an admin"
                                          + " consent (outlook365:connection/adminConsentUrl)");
        }
        String code = value(exchange, "code", Outlook365Constants.AUTHORIZATION_CODE);
        String state = value(exchange, "state", Outlook365Constants.AUTHORIZATION_STATE);
        DelegatedTokenProvider.SignedIn signedIn = delegated.completeAuthorization(code, state);
        // a BROKEN connection works again from here: its triggers resume at their next poll
        call.connection().lifecycle().signedIn(signedIn.username());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", signedIn.username());
        body.put("tenantId", signedIn.tenantId());
        body.put("scopes", signedIn.scopes());
        exchange.getMessage().setBody(body);
        exchange.getMessage().setHeader(Outlook365Constants.ACCOUNT, signedIn.username());
        // the code is spent; keep it out of whatever the route logs next
        exchange.getMessage().removeHeader("code");
        exchange.getMessage().removeHeader(Outlook365Constants.AUTHORIZATION_CODE);
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

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).trim();
    }
}

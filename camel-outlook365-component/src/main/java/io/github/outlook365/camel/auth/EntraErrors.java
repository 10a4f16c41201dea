package io.github.outlook365.camel.auth;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.aad.msal4j.MsalServiceException;

/**
 * The one table of what Entra ID's AADSTS codes mean and what to do about each; the token providers' error messages
 * and the connection's state reasons ({@code connection/ConnectionFailures}) both read it. Decides on the OAuth error
 * and the AADSTS code only, never on description text.
 */
public final class EntraErrors {

    private static final Pattern AADSTS = Pattern.compile("AADSTS(\\d+)");

    private static final Map<String, String> MEANING = Map.ofEntries(
            Map.entry("7000215", "the client secret is not valid: copy the secret's Value (not its Secret ID) from"
                                 + " 'Certificates & secrets' of the app registration into clientSecret"),
            Map.entry("7000222", "the client secret has expired: create a new secret in 'Certificates & secrets' of the"
                                 + " app registration and set clientSecret to it"),
            Map.entry("700016", "no application with this clientId exists in the tenant: check clientId (the Application"
                                + " (client) ID) and tenantId, and that an admin of the tenant consented to the app"),
            Map.entry("90002", "the tenant does not exist: check tenantId (the Directory (tenant) ID or a domain such as"
                               + " contoso.onmicrosoft.com) and the environment (national cloud)"),
            Map.entry("1002012", "the requested scope is not valid for an app-only token: app-only scopes are"
                                 + " {graphEndpoint}/.default"),
            Map.entry("70011", "the requested scope is not valid: app-only scopes are {graphEndpoint}/.default"),
            Map.entry("700027", "Entra ID does not accept the certificate's signature: it refuses the certificate when it"
                                + " is expired or not uploaded to the app registration; upload the configured"
                                + " certificate (its .cer) under 'Certificates & secrets' of the app registration, or"
                                + " configure the .pfx of a certificate that is uploaded there and not expired"),
            Map.entry("700024", "the client assertion is outside its valid time range: check this machine's clock"),
            Map.entry("700021", "the client assertion names another application: check clientId"),
            Map.entry("700023", "the client assertion was made for another token endpoint: check authorityHost,"
                                + " environment and tenantId"),
            Map.entry("70008", "the user's refresh token has expired (unused for too long, or its session ended):"
                               + " someone must sign in again at the sign-in page (/provisioning_/signin)"),
            Map.entry("700082", "the refresh token has expired after a long inactivity: someone must sign in again"
                                + " at the sign-in page (/provisioning_/signin)"),
            Map.entry("50173", "the user's sign-in was revoked: the user's sign-in sessions were revoked (a password"
                               + " change, or an admin): someone must sign in again at the sign-in page"
                               + " (/provisioning_/signin)"),
            Map.entry("65001", "consent is missing for the permissions the connection asks for: sign in again, or have an"
                               + " admin grant consent (outlook365:connection/adminConsentUrl)"),
            Map.entry("50076", "a conditional-access policy requires multi-factor authentication: someone must sign in"
                               + " again"),
            Map.entry("50079", "a conditional-access policy requires multi-factor authentication: someone must sign in"
                               + " again"),
            Map.entry("54005", "this sign-in code was already redeemed: start a new sign-in"),
            Map.entry("501481", "the PKCE code verifier does not match the sign-in request: start a new sign-in"),
            Map.entry("50011", "the redirect URI does not match the app registration: set redirectUri to exactly"
                               + " the Web redirect URI registered under 'Authentication' of the app registration"));

    private EntraErrors() {
    }

    static Outlook365AuthenticationException toException(MsalServiceException e, String clientId, String tenantId) {
        String code = aadstsCode(e.getMessage());
        String advice = meaning(code);
        StringBuilder msg = new StringBuilder("Entra ID refused a token for clientId '").append(clientId)
                .append("' in tenant '").append(tenantId).append("' (").append(e.errorCode());
        if (code != null) {
            msg.append(", AADSTS").append(code);
        }
        if (e.statusCode() != null) {
            // MSAL leaves it out for interaction_required refusals of a refresh token
            msg.append(", HTTP ").append(e.statusCode());
        }
        msg.append(")");
        msg.append(": ").append(advice != null ? advice : firstSentence(e.getMessage()));
        return new Outlook365AuthenticationException(msg.toString(), e.errorCode(), code, e.statusCode(), null);
    }

    /** What the AADSTS code (digits only) means and what to do, or null for a code the table does not know. */
    public static String meaning(String aadstsCode) {
        return aadstsCode == null ? null : MEANING.get(aadstsCode);
    }

    static String aadstsCode(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = AADSTS.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    // Entra's descriptions carry trace and correlation ids after the first sentence; the first sentence says it all.
    private static String firstSentence(String description) {
        if (description == null) {
            return "no description";
        }
        int end = description.indexOf(". ");
        String first = end > 0 ? description.substring(0, end + 1) : description;
        return first.replace('\r', ' ').replace('\n', ' ');
    }
}

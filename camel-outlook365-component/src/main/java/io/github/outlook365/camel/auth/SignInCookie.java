package io.github.outlook365.camel.auth;

import java.net.URI;
import java.util.HexFormat;

/**
 * The cookie that binds a sign-in to the browser that started it: set by the sign-in start (connection/authorizationUrl,
 * the /provisioning_/signin route) and brought back to the callback (the redirect URI) by that browser only; its value
 * is random and checked against the sign-in's state, which is what defeats login CSRF. HttpOnly (no script reads it),
 * scoped to the redirect URI's folder (/provisioning_/), 10 minutes, and named after its state so that several
 * sign-ins may wait in one browser.
 * <p>
 * Entra ID answers with a form the browser posts to the callback from Microsoft's site (response_mode=form_post): a
 * cross-site POST, which carries only a {@code SameSite=None} cookie, and that must be {@code Secure}. So for an https
 * redirect URI the cookie is {@code Secure; SameSite=None}, as ASP.NET Core's OpenID Connect handler sets its
 * correlation cookie; a cookie another site sends along is worthless to it without the matching state. For an http
 * redirect URI (Entra allows it only for localhost, for development) a cookie cannot be Secure, and it has no SameSite
 * attribute, so that browsers send it on that POST as they always did.
 */
public final class SignInCookie {

    private static final String PREFIX = "outlook365_signin_";

    private SignInCookie() {
    }

    /** The Set-Cookie header value that hands {@code binding} to the browser for the sign-in {@code state}. */
    public static String set(String state, String binding, URI redirectUri) {
        return name(state) + "=" + binding + attributes(redirectUri, PendingSignIns.VALIDITY.toSeconds());
    }

    /** The Set-Cookie header value that makes the browser forget the cookie of {@code state}. */
    public static String clear(String state, URI redirectUri) {
        return name(state) + "=" + attributes(redirectUri, 0);
    }

    /** The binding a Cookie request header carries for {@code state}, or null. */
    public static String find(String cookieHeader, String state) {
        if (cookieHeader == null || state == null) {
            return null;
        }
        String wanted = name(state);
        for (String cookie : cookieHeader.split("[;,]")) {
            int eq = cookie.indexOf('=');
            if (eq > 0 && cookie.substring(0, eq).trim().equals(wanted)) {
                String value = cookie.substring(eq + 1).trim();
                // an RFC 2965 client (java.net.CookieManager for a Max-Age cookie) quotes the value
                return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                        ? value.substring(1, value.length() - 1) : value;
            }
        }
        return null;
    }

    private static String name(String state) {
        return PREFIX + HexFormat.of().formatHex(PendingSignIns.sha256(state), 0, 8);
    }

    private static String attributes(URI redirectUri, long maxAgeSeconds) {
        // the folder of the redirect URI: the sign-in page (signin next to it) sets the cookie, the callback gets it
        // back (a cookie path must cover the page that sets it for strict clients such as java.net.CookieManager)
        String raw = redirectUri.getRawPath() == null || redirectUri.getRawPath().isEmpty() ? "/" : redirectUri.getRawPath();
        String path = raw.substring(0, raw.lastIndexOf('/') + 1);
        return "; Path=" + path + "; Max-Age=" + maxAgeSeconds + "; HttpOnly"
               + ("https".equalsIgnoreCase(redirectUri.getScheme()) ? "; Secure; SameSite=None" : "");
    }
}

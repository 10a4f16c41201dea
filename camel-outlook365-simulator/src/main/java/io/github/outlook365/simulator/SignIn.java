package io.github.outlook365.simulator;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Delegated sign-in as Entra ID does it for a web app: the authorization endpoint with a small sign-in and consent
 * page (pick a test user of the tenant, accept), the authorization code and refresh token grants (PKCE checked, refresh
 * tokens rotated, revocation honoured), and the admin consent endpoint.
 */
final class SignIn {

    static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "offline_access", "email");
    private static final Duration CODE_LIFETIME = Duration.ofMinutes(10);

    private final Outlook365Simulator simulator;
    private final SimulatorState state;
    private final TlsMaterial tls;
    private final EntraEndpoints entra;

    SignIn(Outlook365Simulator simulator, SimulatorState state, TlsMaterial tls, EntraEndpoints entra) {
        this.simulator = simulator;
        this.state = state;
        this.tls = tls;
        this.entra = entra;
    }

    static boolean isMultiTenant(String segment) {
        String s = segment.toLowerCase(Locale.ROOT);
        return s.equals("common") || s.equals("organizations");
    }

    /** Answers the authorize and admin consent paths; false for any other path. */
    boolean handle(HttpCall call, List<String> segments) {
        if (segments.size() == 4 && segments.get(1).equalsIgnoreCase("oauth2")
                && segments.get(2).equalsIgnoreCase("v2.0") && segments.get(3).equalsIgnoreCase("authorize")) {
            authorize(call, segments.get(0));
            return true;
        }
        if ((segments.size() == 2 && segments.get(1).equalsIgnoreCase("adminconsent"))
                || (segments.size() == 3 && segments.get(1).equalsIgnoreCase("v2.0")
                        && segments.get(2).equalsIgnoreCase("adminconsent"))) {
            adminConsent(call, segments.get(0));
            return true;
        }
        return false;
    }

    // ------------------------------------------------------------------ authorize

    // docs: https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow (the authorize request,
    //   code and state back to redirect_uri, error=access_denied)
    private void authorize(HttpCall call, String tenantSegment) {
        Map<String, String> p = new LinkedHashMap<>();
        for (String name : List.of("client_id", "response_type", "redirect_uri", "scope", "state", "code_challenge",
                "code_challenge_method", "response_mode", "prompt", "nonce", "login_hint")) {
            if (call.param(name) != null) {
                p.put(name, call.param(name));
            }
        }
        Map<String, String> submitted = Map.of();
        if (call.method.equals("POST")) {
            submitted = EntraEndpoints.form(call.body);
            submitted.forEach((k, v) -> {
                if (!k.equals("login") && !k.equals("consent")) {
                    p.put(k, v);
                }
            });
        }
        SimulatorState.App app = app(tenantSegment, p.get("client_id"));
        if (app == null) {
            page(call, 400, "Sign in", "<p class=\"error\">AADSTS700016: Application with identifier '"
                    + html(p.get("client_id")) + "' was not found in the directory '" + html(tenantSegment) + "'.</p>");
            return;
        }
        String redirectUri = p.get("redirect_uri");
        if (redirectUri == null || !app.redirectUris.contains(redirectUri)) {
            page(call, 400, "Sign in", "<p class=\"error\">AADSTS50011: The redirect URI '" + html(redirectUri)
                    + "' specified in the request does not match the redirect URIs configured for the application '"
                    + html(app.clientId) + "'.</p>");
            return;
        }
        if (!"code".equals(p.get("response_type"))) {
            redirectError(call, p, "unsupported_response_type",
                    "AADSTS700054: response_type '" + p.get("response_type") + "' is not enabled for the application.");
            return;
        }
        String method = p.getOrDefault("code_challenge_method", p.containsKey("code_challenge") ? "plain" : null);
        if (method != null && !method.equals("S256") && !method.equals("plain")) {
            redirectError(call, p, "invalid_request", "AADSTS501491: Invalid size of Code_Challenge parameter.");
            return;
        }
        Set<String> requested = requestedScopes(p.getOrDefault("scope", ""));
        List<Mailbox> users = state.mailboxes.values().stream()
                .filter(m -> m.tenantId.equalsIgnoreCase(app.tenantId))
                .sorted(java.util.Comparator.comparing(m -> m.upn)).toList();
        String login = submitted.get("login");
        if (login == null) {
            signInPage(call, tenantSegment, app, p, requested, users);
            return;
        }
        if (!"accept".equals(submitted.get("consent"))) {
            redirectError(call, p, "access_denied",
                    "AADSTS65004: User declined to consent to access the app.");
            return;
        }
        Mailbox user = state.mailbox(login);
        if (user == null || !user.tenantId.equalsIgnoreCase(app.tenantId)) {
            page(call, 400, "Sign in", "<p class=\"error\">AADSTS50034: The user account " + html(login)
                    + " does not exist in the directory.</p>");
            return;
        }
        Set<String> granted = grantable(app, requested);
        String code = "0.SIM" + Ids.token();
        state.authorizationCodes.put(code, new SimulatorState.AuthorizationCode(code, app.tenantId, app.clientId,
                user.upn, granted, redirectUri, p.get("code_challenge"), method, Instant.now().plus(CODE_LIFETIME)));
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("code", code);
        if (p.containsKey("state")) {
            answer.put("state", p.get("state"));
        }
        answer.put("session_state", Ids.guid());
        respond(call, p.get("response_mode"), redirectUri, answer);
    }

    private void signInPage(HttpCall call, String tenantSegment, SimulatorState.App app, Map<String, String> p,
            Set<String> requested, List<Mailbox> users) {
        StringBuilder body = new StringBuilder();
        body.append("<p>Application <b>").append(html(app.clientId)).append("</b> asks to sign you in and to:</p><ul>");
        for (String scope : new TreeSet<>(requested)) {
            body.append("<li>").append(html(scope)).append("</li>");
        }
        body.append("</ul><form method=\"post\" action=\"/").append(html(tenantSegment))
                .append("/oauth2/v2.0/authorize\">");
        p.forEach((k, v) -> body.append("<input type=\"hidden\" name=\"").append(html(k)).append("\" value=\"")
                .append(html(v)).append("\">"));
        body.append("<fieldset><legend>Pick an account</legend>");
        boolean first = true;
        for (Mailbox m : users) {
            body.append("<label><input type=\"radio\" name=\"login\" value=\"").append(html(m.upn)).append('"')
                    .append(first ? " checked" : "").append("> ").append(html(m.displayName)).append(" (")
                    .append(html(m.upn)).append(")</label><br>");
            first = false;
        }
        body.append("</fieldset><button type=\"submit\" name=\"consent\" value=\"accept\">Accept</button>")
                .append("<button type=\"submit\" name=\"consent\" value=\"cancel\">Cancel</button></form>");
        page(call, 200, "Sign in to your account", body.toString());
    }

    // docs: https://learn.microsoft.com/en-us/entra/identity-platform/v2-admin-consent (admin_consent, tenant and state
    //   back to redirect_uri)
    private void adminConsent(HttpCall call, String tenantSegment) {
        SimulatorState.App app = app(tenantSegment, call.param("client_id"));
        String redirectUri = call.param("redirect_uri");
        if (app == null) {
            page(call, 400, "Permissions requested", "<p class=\"error\">AADSTS700016: Application with identifier '"
                    + html(call.param("client_id")) + "' was not found in the directory '" + html(tenantSegment)
                    + "'.</p>");
            return;
        }
        if (redirectUri == null) {
            redirectUri = app.redirectUris.isEmpty() ? null : app.redirectUris.get(0);
        }
        if (redirectUri == null || !app.redirectUris.contains(redirectUri)) {
            page(call, 400, "Permissions requested", "<p class=\"error\">AADSTS50011: The redirect URI '"
                    + html(redirectUri) + "' specified in the request does not match the redirect URIs configured for"
                    + " the application '" + html(app.clientId) + "'.</p>");
            return;
        }
        // the simulated admin always approves
        app.adminConsented = true;
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("admin_consent", "True");
        answer.put("tenant", app.tenantId);
        if (call.param("state") != null) {
            answer.put("state", call.param("state"));
        }
        redirect(call, redirectUri, answer);
    }

    private SimulatorState.App app(String tenantSegment, String clientId) {
        if (clientId == null) {
            return null;
        }
        if (isMultiTenant(tenantSegment)) {
            return state.appAnywhere(clientId);
        }
        return state.app(tenantSegment, clientId);
    }

    // ------------------------------------------------------------------ token endpoint (delegated grants)

    // docs: https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow (code redeemed once,
    //   PKCE), https://learn.microsoft.com/en-us/entra/identity-platform/refresh-tokens (rotation, revocation)
    // docs: https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes (AADSTS54005, 501481,
    //   70008, 50173, 65001)
    /** The authorization_code and refresh_token grants, after the client authenticated. */
    void redeem(HttpCall call, SimulatorState.Tenant tenant, SimulatorState.App app, Map<String, String> form) {
        Set<String> requested = requestedScopes(form.getOrDefault("scope", ""));
        if ("authorization_code".equals(form.get("grant_type"))) {
            redeemCode(call, tenant, app, form, requested);
        } else {
            redeemRefreshToken(call, tenant, app, form, requested);
        }
    }

    private void redeemCode(HttpCall call, SimulatorState.Tenant tenant, SimulatorState.App app,
            Map<String, String> form, Set<String> requested) {
        String value = form.get("code");
        if (value == null || value.isBlank()) {
            entra.error(call, 400, "invalid_request", 900144,
                    "The request body must contain the following parameter: 'code'.");
            return;
        }
        SimulatorState.AuthorizationCode code = state.authorizationCodes.remove(value);
        if (code == null) {
            if (state.redeemedCodes.contains(value)) {
                entra.error(call, 400, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed,"
                        + " please retry with a new valid code or use an existing refresh token.");
            } else {
                entra.error(call, 400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.");
            }
            return;
        }
        state.redeemedCodes.add(value);
        if (Instant.now().isAfter(code.expiresAt())) {
            entra.error(call, 400, "invalid_grant", 70008, "The provided authorization code or refresh token has"
                    + " expired due to inactivity. Send a new interactive authorization request for this user and"
                    + " resource.");
            return;
        }
        if (!code.clientId().equalsIgnoreCase(app.clientId)) {
            entra.error(call, 400, "invalid_grant", 70000, "The provided authorization code was issued to another"
                    + " client.");
            return;
        }
        if (!code.redirectUri().equals(form.get("redirect_uri"))) {
            entra.error(call, 400, "invalid_grant", 50011, "The redirect URI '" + form.get("redirect_uri")
                    + "' specified in the request does not match the redirect URI used to get the authorization code.");
            return;
        }
        if (code.codeChallenge() != null && !pkceMatches(code, form.get("code_verifier"))) {
            entra.error(call, 400, "invalid_grant", 501481,
                    "The Code_Verifier does not match the code_challenge supplied in the authorization request.");
            return;
        }
        issue(call, tenant, app, code.user(), code.scopes(), requested);
    }

    private void redeemRefreshToken(HttpCall call, SimulatorState.Tenant tenant, SimulatorState.App app,
            Map<String, String> form, Set<String> requested) {
        String value = form.get("refresh_token");
        if (value == null || value.isBlank()) {
            entra.error(call, 400, "invalid_request", 900144,
                    "The request body must contain the following parameter: 'refresh_token'.");
            return;
        }
        SimulatorState.RefreshToken token = state.refreshTokens.get(value);
        if (token == null) {
            entra.error(call, 400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.");
            return;
        }
        if (token.userEpoch() == -1) {
            entra.error(call, 400, "invalid_grant", 70008, "The provided authorization code or refresh token has"
                    + " expired due to inactivity. The token was issued on " + token.issuedAt() + " and was inactive"
                    + " for a long time.");
            return;
        }
        int epoch = state.userEpoch(token.tenantId(), token.user()).get();
        if (token.userEpoch() != epoch) {
            entra.error(call, 400, "invalid_grant", 50173, "The provided grant has expired due to it being revoked, a"
                    + " fresh auth token is needed. The user might have changed or reset their password. The grant was"
                    + " issued on '" + token.issuedAt() + "' and the TokensValidFrom date (before which tokens are not"
                    + " valid) for this user is later.");
            return;
        }
        if (!token.clientId().equalsIgnoreCase(app.clientId)) {
            entra.error(call, 400, "invalid_grant", 70000, "The provided refresh token was issued to another client.");
            return;
        }
        Set<String> graph = graphScopes(requested);
        if (!token.scopes().containsAll(graph)) {
            Set<String> missing = new TreeSet<>(graph);
            missing.removeAll(token.scopes());
            entra.error(call, 400, "invalid_grant", 65001, "The user or administrator has not consented to use the"
                    + " application with ID '" + app.clientId + "' for " + String.join(" ", missing) + ". Send an"
                    + " interactive authorization request for this user and resource.");
            return;
        }
        // rotation: the used refresh token is retired, the answer carries a new one
        state.refreshTokens.put(value, new SimulatorState.RefreshToken(value, token.tenantId(), token.clientId(),
                token.user(), token.scopes(), token.issuedAt(), -1));
        issue(call, tenant, app, token.user(), token.scopes(), requested);
    }

    private static boolean pkceMatches(SimulatorState.AuthorizationCode code, String verifier) {
        if (verifier == null || verifier.isBlank()) {
            return false;
        }
        if ("plain".equals(code.codeChallengeMethod())) {
            return verifier.equals(code.codeChallenge());
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return TlsMaterial.base64Url(digest).equals(code.codeChallenge());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void issue(HttpCall call, SimulatorState.Tenant tenant, SimulatorState.App app, String upn,
            Set<String> granted, Set<String> requested) {
        Mailbox user = state.mailbox(upn);
        if (user == null) {
            entra.error(call, 400, "invalid_grant", 50034, "The user account " + upn + " does not exist in the"
                    + " directory.");
            return;
        }
        Instant now = Instant.now();
        Duration lifetime = state.tokenLifetime;
        Instant expires = now.plus(lifetime);
        int epoch = state.userEpoch(tenant.id, upn).get();

        ObjectNode header = Json.object();
        header.put("typ", "JWT");
        header.put("alg", "RS256");
        header.put("x5t", tls.keyId);
        header.put("kid", tls.keyId);
        ObjectNode payload = Json.object();
        payload.put("aud", EntraEndpoints.GRAPH_RESOURCE);
        payload.put("iss", "https://sts.windows.net/" + tenant.id + "/");
        payload.put("iat", now.getEpochSecond());
        payload.put("nbf", now.getEpochSecond());
        payload.put("exp", expires.getEpochSecond());
        payload.put("acr", "1");
        payload.put("app_displayname", app.clientId);
        payload.put("appid", app.clientId);
        payload.put("appidacr", "1");
        payload.put("idtyp", "user");
        payload.put("name", user.displayName);
        payload.put("oid", user.userId);
        payload.put("scp", String.join(" ", new TreeSet<>(granted)));
        payload.put("sub", Ids.guid());
        payload.put("tid", tenant.id);
        payload.put("unique_name", user.upn);
        payload.put("upn", user.upn);
        payload.put("uti", TlsMaterial.base64Url(Ids.random(16)));
        payload.put("ver", "1.0");
        String jwt = tls.signJwt(header, payload);
        state.tokens.put(jwt, new SimulatorState.AccessToken(jwt, tenant.id, app.clientId, app.objectId, Set.of(),
                EntraEndpoints.GRAPH_RESOURCE, now, expires, app.epoch.get(), user.upn, Set.copyOf(granted), epoch));

        ObjectNode body = Json.object();
        body.put("token_type", "Bearer");
        List<String> scopes = new ArrayList<>(new TreeSet<>(granted));
        for (String oidc : List.of("openid", "profile", "email", "offline_access")) {
            if (requested.contains(oidc)) {
                scopes.add(oidc);
            }
        }
        body.put("scope", String.join(" ", scopes));
        body.put("expires_in", lifetime.toSeconds());
        body.put("ext_expires_in", lifetime.toSeconds());
        body.put("access_token", jwt);
        if (requested.contains("offline_access")) {
            String refresh = "1.SIM" + Ids.token() + Ids.token();
            state.refreshTokens.put(refresh, new SimulatorState.RefreshToken(refresh, tenant.id, app.clientId,
                    user.upn, Set.copyOf(granted), now, epoch));
            body.put("refresh_token", refresh);
        }
        if (requested.contains("openid")) {
            ObjectNode id = Json.object();
            id.put("aud", app.clientId);
            id.put("iss", simulator.baseUrl() + "/" + tenant.id + "/v2.0");
            id.put("iat", now.getEpochSecond());
            id.put("nbf", now.getEpochSecond());
            id.put("exp", expires.getEpochSecond());
            id.put("name", user.displayName);
            id.put("oid", user.userId);
            id.put("preferred_username", user.upn);
            id.put("sub", user.userId);
            id.put("tid", tenant.id);
            id.put("ver", "2.0");
            body.put("id_token", tls.signJwt(header, id));
        }
        ObjectNode clientInfo = Json.object();
        clientInfo.put("uid", user.userId);
        clientInfo.put("utid", tenant.id);
        body.put("client_info", TlsMaterial.base64Url(Json.bytes(clientInfo)));
        call.json(200, body);
    }

    // ------------------------------------------------------------------ helpers

    /** The scopes of a request: Graph permissions by short name (any resource prefix dropped) and OIDC scopes. */
    private Set<String> requestedScopes(String scope) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String s : scope.trim().split("\\s+")) {
            if (s.isEmpty()) {
                continue;
            }
            if (OIDC_SCOPES.contains(s.toLowerCase(Locale.ROOT))) {
                scopes.add(s.toLowerCase(Locale.ROOT));
                continue;
            }
            int slash = s.lastIndexOf('/');
            scopes.add(slash >= 0 && s.startsWith("http") ? s.substring(slash + 1) : s);
        }
        return scopes;
    }

    private static Set<String> graphScopes(Set<String> requested) {
        Set<String> graph = new LinkedHashSet<>();
        for (String s : requested) {
            if (!OIDC_SCOPES.contains(s) && !s.equals(".default")) {
                graph.add(s);
            }
        }
        return graph;
    }

    /** What the consent grants: the requested Graph permissions the app registration holds (.default = all). */
    private static Set<String> grantable(SimulatorState.App app, Set<String> requested) {
        Set<String> granted = new LinkedHashSet<>();
        for (String s : requested) {
            if (s.equals(".default")) {
                granted.addAll(app.delegatedPermissions);
            } else if (!OIDC_SCOPES.contains(s)) {
                for (String known : app.delegatedPermissions) {
                    if (known.equalsIgnoreCase(s)) {
                        granted.add(known);
                    }
                }
            }
        }
        return granted;
    }

    private void redirectError(HttpCall call, Map<String, String> p, String error, String description) {
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("error", error);
        answer.put("error_description", description);
        if (p.containsKey("state")) {
            answer.put("state", p.get("state"));
        }
        respond(call, p.get("response_mode"), p.get("redirect_uri"), answer);
    }

    /**
     * The answer of the authorize endpoint, as response_mode asks: a redirect with the parameters in the query (query,
     * the default for response_type=code), or an HTML page whose form posts them to the redirect URI as soon as it loads
     * (form_post; what MSAL4J asks for, and what Microsoft recommends for web apps).
     */
    // docs: https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-auth-code-flow (response_mode query or
    //   form_post); https://openid.net/specs/oauth-v2-form-post-response-mode-1_0.html (the self-posting form)
    private static void respond(HttpCall call, String responseMode, String redirectUri, Map<String, String> params) {
        if (!"form_post".equals(responseMode)) {
            redirect(call, redirectUri, params);
            return;
        }
        StringBuilder page = new StringBuilder("<html><head><title>Working...</title></head><body>")
                .append("<form method=\"POST\" name=\"hiddenform\" action=\"").append(html(redirectUri)).append("\">");
        params.forEach((k, v) -> page.append("<input type=\"hidden\" name=\"").append(html(k)).append("\" value=\"")
                .append(html(v)).append("\" />"));
        page.append("<noscript><p>Script is disabled. Click Submit to continue.</p><input type=\"submit\" value=\"Submit\" />")
                .append("</noscript></form><script language=\"javascript\">document.forms[0].submit();</script>")
                .append("</body></html>");
        call.send(200, "text/html; charset=utf-8", page.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void redirect(HttpCall call, String redirectUri, Map<String, String> params) {
        StringBuilder location = new StringBuilder(redirectUri);
        char separator = URI.create(redirectUri).getRawQuery() == null ? '?' : '&';
        for (Map.Entry<String, String> e : params.entrySet()) {
            location.append(separator).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        call.setHeader("Location", location.toString());
        call.send(302, "text/html; charset=utf-8", new byte[0]);
    }

    private static void page(HttpCall call, int status, String title, String body) {
        String html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + html(title)
                + "</title></head><body><h1>" + html(title) + "</h1>" + body
                + "<p><small>Outlook 365 simulator</small></p></body></html>";
        call.send(status, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    private static String html(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}

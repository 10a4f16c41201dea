package io.github.outlook365.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Microsoft Entra ID as far as a daemon app needs it: the v2.0 token endpoint for the client credentials grant, OpenID
 * metadata, instance discovery and the signing keys.
 */
final class EntraEndpoints {

    static final String GRAPH_RESOURCE = "https://graph.microsoft.com";
    static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
    private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "offline_access", "email");
    private static final DateTimeFormatter ERROR_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private final Outlook365Simulator simulator;
    private final SimulatorState state;
    private final TlsMaterial tls;
    private final SignIn signIn;

    EntraEndpoints(Outlook365Simulator simulator, SimulatorState state, TlsMaterial tls) {
        this.simulator = simulator;
        this.state = state;
        this.tls = tls;
        this.signIn = new SignIn(simulator, state, tls, this);
    }

    static boolean isTokenPath(List<String> segments) {
        return segments.size() == 4 && segments.get(1).equalsIgnoreCase("oauth2")
                && segments.get(2).equalsIgnoreCase("v2.0") && segments.get(3).equalsIgnoreCase("token");
    }

    /** Answers an Entra path; returns false when the path is not one of Entra's. */
    boolean handle(HttpCall call, List<String> segments) {
        commonHeaders(call);
        if (isTokenPath(segments)) {
            token(call, segments.get(0));
            return true;
        }
        if (signIn.handle(call, segments)) {
            return true;
        }
        if (segments.size() == 3 && segments.get(0).equalsIgnoreCase("common")
                && segments.get(1).equalsIgnoreCase("discovery") && segments.get(2).equalsIgnoreCase("instance")) {
            instanceDiscovery(call);
            return true;
        }
        if ((segments.size() == 4 && segments.get(1).equalsIgnoreCase("v2.0")
                && segments.get(2).equalsIgnoreCase(".well-known")
                && segments.get(3).equalsIgnoreCase("openid-configuration"))) {
            openIdConfiguration(call, segments.get(0));
            return true;
        }
        if ((segments.size() == 4 && segments.get(1).equalsIgnoreCase("discovery")
                && segments.get(2).equalsIgnoreCase("v2.0") && segments.get(3).equalsIgnoreCase("keys"))
                || (segments.size() == 3 && segments.get(1).equalsIgnoreCase("discovery")
                        && segments.get(2).equalsIgnoreCase("keys"))) {
            ObjectNode keys = Json.object();
            keys.putArray("keys").add(tls.jwk());
            call.json(200, keys);
            return true;
        }
        return false;
    }

    private void commonHeaders(HttpCall call) {
        call.setHeader("Cache-Control", "no-store, no-cache");
        call.setHeader("Pragma", "no-cache");
        call.setHeader("x-ms-request-id", Ids.guid());
        call.setHeader("x-ms-ests-server", "2.1.00000.0 - SIM ProdSlices");
        String clientRequestId = call.header("client-request-id");
        if (clientRequestId != null) {
            call.setHeader("client-request-id", clientRequestId);
        }
    }

    /** An error in Entra's JSON shape. */
    void error(HttpCall call, int status, String error, int code, String description) {
        String traceId = Ids.guid();
        String correlationId = call.header("client-request-id") != null ? call.header("client-request-id") : Ids.guid();
        String timestamp = ERROR_TIME.format(Instant.now());
        ObjectNode body = Json.object();
        body.put("error", error);
        body.put("error_description", "AADSTS" + code + ": " + description + " Trace ID: " + traceId
                + " Correlation ID: " + correlationId + " Timestamp: " + timestamp);
        body.putArray("error_codes").add(code);
        body.put("timestamp", timestamp);
        body.put("trace_id", traceId);
        body.put("correlation_id", correlationId);
        body.put("error_uri", simulator.baseUrl() + "/error?code=" + code);
        call.json(status, body);
    }

    /** An injected fault on the token endpoint, in Entra's error shape. */
    void fault(HttpCall call, SimFault fault) {
        commonHeaders(call);
        if (fault.retryAfter() != null) {
            call.setHeader("Retry-After", Long.toString(Outlook365Simulator.retryAfterSeconds(fault.retryAfter())));
        }
        int code = fault.status() == 429 ? 50196 : fault.status() >= 500 ? 90033 : 90000;
        error(call, fault.status(), fault.code(), code,
                "The simulator injected this fault (" + fault.status() + " " + fault.code() + ").");
    }

    static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        if (body == null || body.isEmpty()) {
            return form;
        }
        for (String part : body.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = HttpCall.decode(eq < 0 ? part : part.substring(0, eq));
            String value = eq < 0 ? "" : HttpCall.decode(part.substring(eq + 1));
            form.putIfAbsent(name, value);
        }
        return form;
    }

    // docs: https://learn.microsoft.com/en-us/entra/identity-platform/v2-oauth2-client-creds-grant-flow (secret, or a
    //   certificate's client assertion)
    // docs: https://learn.microsoft.com/en-us/entra/identity-platform/certificate-credentials (the assertion's claims
    //   and x5t / x5t#S256)
    // docs: https://learn.microsoft.com/en-us/entra/identity-platform/reference-error-codes (the AADSTS codes of each
    //   refusal)
    private void token(HttpCall call, String tenantSegment) {
        if (!call.method.equals("POST")) {
            error(call, 400, "invalid_request", 900561,
                    "The endpoint only accepts POST, OPTIONS requests. Received a " + call.method + " request.");
            return;
        }
        Map<String, String> form = form(call.body);
        String basicId = null;
        String basicSecret = null;
        String authorization = call.header("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                if (colon > 0) {
                    basicId = HttpCall.decode(decoded.substring(0, colon));
                    basicSecret = HttpCall.decode(decoded.substring(colon + 1));
                }
            } catch (IllegalArgumentException e) {
                // not Basic credentials after all
            }
        }
        if (basicSecret != null) {
            form.putIfAbsent("client_secret", basicSecret);
        }
        String grantType = form.get("grant_type");
        boolean delegatedGrant = "authorization_code".equals(grantType) || "refresh_token".equals(grantType);
        SimulatorState.Tenant tenant = state.tenant(tenantSegment);
        if (tenant == null && delegatedGrant && SignIn.isMultiTenant(tenantSegment)) {
            // /common and /organizations: the user's home tenant decides; the app lives there in the simulator
            SimulatorState.App anywhere = state.appAnywhere(form.getOrDefault("client_id", basicId == null ? "" : basicId));
            tenant = anywhere == null ? null : state.tenant(anywhere.tenantId);
        }
        if (tenant == null) {
            error(call, 400, "invalid_request", 90002, "Tenant '" + tenantSegment + "' not found. Check to make sure"
                    + " you have the correct tenant ID and are signing into the correct cloud. Check with your"
                    + " subscription administrator, this may happen if there are no active subscriptions for the"
                    + " tenant.");
            return;
        }
        if (grantType == null || grantType.isBlank()) {
            missing(call, "grant_type");
            return;
        }
        if (!grantType.equals("client_credentials") && !delegatedGrant) {
            error(call, 400, "unsupported_grant_type", 70003,
                    "The app requested an unsupported grant type '" + grantType + "'.");
            return;
        }
        String clientId = form.getOrDefault("client_id", basicId);
        if (clientId == null || clientId.isBlank()) {
            missing(call, "client_id");
            return;
        }
        SimulatorState.App app = tenant.apps.get(SimulatorState.key(clientId));
        if (app == null) {
            error(call, 400, "unauthorized_client", 700016, "Application with identifier '" + clientId
                    + "' was not found in the directory '" + tenant.id + "'. This can happen if the application has"
                    + " not been installed by the administrator of the tenant or consented to by any user in the"
                    + " tenant. You may have sent your authentication request to the wrong tenant.");
            return;
        }
        String scope = form.get("scope");
        if (delegatedGrant) {
            if (authenticateClient(call, app, form, tenantSegment)) {
                signIn.redeem(call, tenant, app, form);
            }
            return;
        }
        if (scope == null || scope.isBlank()) {
            missing(call, "scope");
            return;
        }
        String resource = resource(call, scope);
        if (resource == null) {
            return;
        }
        if (authenticateClient(call, app, form, tenantSegment)) {
            issue(call, tenant, app);
        }
    }

    /** Checks the client's secret or certificate assertion; answers Entra's error and returns false when wrong. */
    private boolean authenticateClient(HttpCall call, SimulatorState.App app, Map<String, String> form,
            String tenantSegment) {
        String secret = form.get("client_secret");
        if (form.containsKey("client_assertion")) {
            String endpoint = simulator.baseUrl() + "/" + tenantSegment + "/oauth2/v2.0/token";
            ClientAssertions.Refusal refusal = ClientAssertions.verify(form.get("client_assertion"),
                    form.get("client_assertion_type"), app, Instant.now(), endpoint,
                    endpoint.replace("localhost", "127.0.0.1"));
            if (refusal != null) {
                error(call, refusal.status(), refusal.error(), refusal.code(), refusal.description());
                return false;
            }
            return true;
        }
        if (secret == null || secret.isEmpty()) {
            error(call, 401, "invalid_client", 7000216,
                    "'client_assertion', 'client_secret' or 'request' is required for the '"
                            + form.getOrDefault("grant_type", "client_credentials") + "' grant type.");
            return false;
        }
        if (!app.secretMatches(secret)) {
            error(call, 401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent"
                    + " in the request is the client secret value, not the client secret ID, for a secret added to"
                    + " app '" + app.clientId + "'.");
            return false;
        }
        if (app.secretExpiresAt != null && !Instant.now().isBefore(app.secretExpiresAt)) {
            error(call, 401, "invalid_client", 7000222, "The provided client secret keys for app '" + app.clientId
                    + "' are expired. Visit the Azure portal to create new keys for your app:"
                    + " https://aka.ms/NewClientSecret, or consider using certificate credentials for added security:"
                    + " https://aka.ms/certCreds.");
            return false;
        }
        return true;
    }

    private void missing(HttpCall call, String parameter) {
        error(call, 400, "invalid_request", 900144,
                "The request body must contain the following parameter: '" + parameter + "'.");
    }

    /** Validates the scope of a client credentials request; returns the resource or answers an error and null. */
    private String resource(HttpCall call, String scope) {
        List<String> resources = new java.util.ArrayList<>();
        for (String s : scope.trim().split("\\s+")) {
            if (!OIDC_SCOPES.contains(s.toLowerCase(Locale.ROOT))) {
                resources.add(s);
            }
        }
        if (resources.size() != 1 || !resources.get(0).endsWith("/.default")) {
            String shown = resources.isEmpty() ? scope : String.join(" ", resources);
            error(call, 400, "invalid_scope", 1002012, "The provided value for scope " + shown + " is not valid."
                    + " Client credential flows must have a scope value with /.default suffixed to the resource"
                    + " identifier (application ID URI).");
            return null;
        }
        String resource = resources.get(0).substring(0, resources.get(0).length() - "/.default".length());
        while (resource.endsWith("/")) {
            resource = resource.substring(0, resource.length() - 1);
        }
        if (resource.equalsIgnoreCase(GRAPH_RESOURCE) || resource.equalsIgnoreCase(GRAPH_APP_ID)
                || resource.equalsIgnoreCase(simulator.baseUrl()) || resource.equalsIgnoreCase(simulator.baseUrl()
                        .replace("localhost", "127.0.0.1"))) {
            return GRAPH_RESOURCE;
        }
        error(call, 400, "invalid_resource", 500011, "The resource principal named " + resource + " was not found in"
                + " the tenant. This can happen if the application has not been installed by the administrator of"
                + " the tenant or consented to by any user in the tenant. You might have sent your authentication"
                + " request to the wrong tenant.");
        return null;
    }

    private void issue(HttpCall call, SimulatorState.Tenant tenant, SimulatorState.App app) {
        Instant now = Instant.now();
        java.time.Duration lifetime = state.tokenLifetime;
        Instant expires = now.plus(lifetime);
        ObjectNode header = Json.object();
        header.put("typ", "JWT");
        header.put("alg", "RS256");
        header.put("x5t", tls.keyId);
        header.put("kid", tls.keyId);
        ObjectNode payload = Json.object();
        payload.put("aud", GRAPH_RESOURCE);
        payload.put("iss", "https://sts.windows.net/" + tenant.id + "/");
        payload.put("iat", now.getEpochSecond());
        payload.put("nbf", now.getEpochSecond());
        payload.put("exp", expires.getEpochSecond());
        payload.put("aio", TlsMaterial.base64Url(Ids.random(18)));
        payload.put("app_displayname", app.clientId);
        payload.put("appid", app.clientId);
        payload.put("appidacr", "1");
        payload.put("idp", "https://sts.windows.net/" + tenant.id + "/");
        payload.put("idtyp", "app");
        payload.put("oid", app.objectId);
        ArrayNode roles = payload.putArray("roles");
        new TreeSet<>(app.roles).forEach(roles::add);
        payload.put("sub", app.objectId);
        payload.put("tenant_region_scope", "EU");
        payload.put("tid", tenant.id);
        payload.put("uti", TlsMaterial.base64Url(Ids.random(16)));
        payload.put("ver", "1.0");
        payload.put("xms_tcdt", now.minusSeconds(86_400 * 365L).getEpochSecond());
        String jwt = tls.signJwt(header, payload);
        state.tokens.put(jwt, new SimulatorState.AccessToken(jwt, tenant.id, app.clientId, app.objectId, app.roles,
                GRAPH_RESOURCE, now, expires, app.epoch.get()));

        ObjectNode body = Json.object();
        body.put("token_type", "Bearer");
        body.put("expires_in", lifetime.toSeconds());
        body.put("ext_expires_in", lifetime.toSeconds());
        body.put("access_token", jwt);
        call.json(200, body);
    }

    // docs: https://learn.microsoft.com/en-us/entra/identity-platform/v2-protocols-oidc (the discovery document)
    private void openIdConfiguration(HttpCall call, String tenantSegment) {
        SimulatorState.Tenant tenant = state.tenant(tenantSegment);
        boolean multi = tenantSegment.equalsIgnoreCase("common") || tenantSegment.equalsIgnoreCase("organizations")
                || tenantSegment.equalsIgnoreCase("consumers");
        if (tenant == null && !multi) {
            error(call, 400, "invalid_tenant", 90002, "Tenant '" + tenantSegment + "' not found. Check to make sure"
                    + " you have the correct tenant ID and are signing into the correct cloud.");
            return;
        }
        String base = simulator.baseUrl() + "/" + tenantSegment;
        String issuerTenant = tenant != null ? tenant.id : "{tenantid}";
        ObjectNode doc = Json.object();
        doc.put("token_endpoint", base + "/oauth2/v2.0/token");
        doc.putArray("token_endpoint_auth_methods_supported").add("client_secret_post").add("private_key_jwt")
                .add("client_secret_basic");
        doc.put("jwks_uri", base + "/discovery/v2.0/keys");
        doc.putArray("response_modes_supported").add("query").add("fragment").add("form_post");
        doc.putArray("subject_types_supported").add("pairwise");
        doc.putArray("id_token_signing_alg_values_supported").add("RS256");
        doc.putArray("response_types_supported").add("code").add("id_token").add("code id_token")
                .add("id_token token");
        doc.putArray("scopes_supported").add("openid").add("profile").add("email").add("offline_access");
        doc.put("issuer", simulator.baseUrl() + "/" + issuerTenant + "/v2.0");
        doc.put("request_uri_parameter_supported", false);
        doc.put("userinfo_endpoint", simulator.baseUrl() + "/oidc/userinfo");
        doc.put("authorization_endpoint", base + "/oauth2/v2.0/authorize");
        doc.put("device_authorization_endpoint", base + "/oauth2/v2.0/devicecode");
        doc.put("http_logout_supported", true);
        doc.put("frontchannel_logout_supported", true);
        doc.put("end_session_endpoint", base + "/oauth2/v2.0/logout");
        doc.putArray("claims_supported").add("sub").add("iss").add("aud").add("exp").add("iat").add("auth_time")
                .add("acr").add("nonce").add("tid").add("ver").add("roles");
        doc.put("kerberos_endpoint", base + "/kerberos");
        doc.put("tenant_region_scope", "EU");
        doc.put("cloud_instance_name", "microsoftonline.com");
        doc.put("cloud_graph_host_name", "graph.windows.net");
        doc.put("msgraph_host", simulator.hostAndPort());
        doc.put("rbac_url", "https://pas.windows.net");
        call.json(200, doc);
    }

    // observed: what MSAL asks login.microsoftonline.com for (instance discovery)
    /**
     * The instance discovery answer. preferred_network is the bare host name: MSAL4J builds the token endpoint with
     * {@code new URL(protocol, preferredNetwork, port, file)}, so a "host:port" value there would break it.
     */
    private void instanceDiscovery(HttpCall call) {
        String authorizationEndpoint = call.param("authorization_endpoint");
        String tenant = "common";
        if (authorizationEndpoint != null) {
            try {
                String path = java.net.URI.create(authorizationEndpoint).getPath();
                String[] parts = path.split("/");
                if (parts.length > 1 && !parts[1].isEmpty()) {
                    tenant = parts[1];
                }
            } catch (IllegalArgumentException e) {
                error(call, 400, "invalid_instance", 50049, "Unknown or invalid instance.");
                return;
            }
        }
        ObjectNode doc = Json.object();
        doc.put("tenant_discovery_endpoint",
                simulator.baseUrl() + "/" + tenant + "/v2.0/.well-known/openid-configuration");
        doc.put("api-version", "1.1");
        ArrayNode metadata = doc.putArray("metadata");
        ObjectNode entry = metadata.addObject();
        entry.put("preferred_network", "localhost");
        entry.put("preferred_cache", "localhost");
        entry.putArray("aliases").add("localhost").add(simulator.hostAndPort()).add("127.0.0.1");
        call.json(200, doc);
    }
}

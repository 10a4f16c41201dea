package io.github.outlook365.camel.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.graph.GraphJson;

/**
 * What each trigger and action needs from Microsoft Graph, what a token grants ({@code roles} of an app-only token,
 * {@code scp} of a delegated one), and the admin consent link that fixes the difference.
 */
public final class Permissions {

    /**
     * One permission an operation needs; any of {@code satisfiedBy} will do (Mail.ReadWrite covers Mail.Read).
     *
     * @param kind "application" or "delegated": the tab under 'API permissions' where an admin finds it
     */
    public record Need(String operation, String permission, Set<String> satisfiedBy, String kind) {
        public boolean metBy(Set<String> granted) {
            return satisfiedBy.stream().anyMatch(granted::contains);
        }
    }

    private Permissions() {
    }

    /**
     * What {@code operation} needs, from the permission its registration declares. {@code sharedMailbox}: delegated
     * access to a mailbox other than the signed-in user's, which Graph grants through the .Shared variants.
     */
    public static List<Need> needed(String operation, GraphPermission permission, boolean delegated,
                                    boolean sharedMailbox) {
        if (permission.satisfiedBy().isEmpty()) {
            return List.of();
        }
        Set<String> satisfiedBy = new LinkedHashSet<>();
        for (String p : permission.satisfiedBy()) {
            satisfiedBy.add(delegated && sharedMailbox ? p + ".Shared" : p);
        }
        String first = satisfiedBy.iterator().next();
        return List.of(new Need(operation, first, Set.copyOf(satisfiedBy), delegated ? "delegated" : "application"));
    }

    /**
     * The permissions a Graph access token grants: its roles (app-only) or scp (delegated). No signature check (Graph
     * checks it; this only reads). Null when the token is not a readable JWT: then nothing can be said in advance.
     */
    public static Set<String> granted(String accessToken) {
        Set<String> granted = new TreeSet<>();
        JsonNode payload = payload(accessToken);
        if (payload == null) {
            return null;
        }
        payload.path("roles").forEach(role -> granted.add(role.asText()));
        String scp = payload.path("scp").asText("");
        for (String scope : scp.split(" ")) {
            if (!scope.isBlank()) {
                granted.add(scope);
            }
        }
        return granted;
    }

    /** A claim of the token (e.g. upn, appid, tid), or null. */
    public static String claim(String accessToken, String name) {
        JsonNode payload = payload(accessToken);
        return payload == null || !payload.hasNonNull(name) ? null : payload.get(name).asText();
    }

    private static JsonNode payload(String accessToken) {
        String[] parts = accessToken == null ? new String[0] : accessToken.split("\\.");
        if (parts.length < 2) {
            return null; // not a JWT (Microsoft may issue opaque tokens for other audiences): nothing to read
        }
        try {
            return GraphJson.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IllegalArgumentException | java.io.IOException e) {
            return null;
        }
    }

    public static List<Need> missing(List<Need> needs, Set<String> granted) {
        List<Need> missing = new ArrayList<>();
        if (granted == null) {
            return missing;
        }
        for (Need need : needs) {
            if (!need.metBy(granted)) {
                missing.add(need);
            }
        }
        return missing;
    }

    /** The link an admin of the tenant opens to consent to the app's permissions for the whole organisation. */
    public static String adminConsentUrl(AuthSettings settings) {
        StringBuilder url = new StringBuilder(settings.authorityHost()).append('/').append(settings.tenantId())
                .append("/adminconsent?client_id=").append(encode(settings.clientId()));
        if (settings.delegated() != null) {
            url.append("&redirect_uri=").append(encode(settings.delegated().redirectUri().toString()));
        }
        return url.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

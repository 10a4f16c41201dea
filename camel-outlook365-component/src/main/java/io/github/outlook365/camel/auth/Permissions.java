package io.github.outlook365.camel.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

    // operation -> the base permission and what also satisfies it; the .Shared variants follow for shared mailboxes.
    // Graph's documented least-privileged permission first, then what also satisfies it (ReadWrite covers Read).
    // connection/* operations need nothing beyond a token.
    private static final Map<String, List<String>> NEEDS = Map.ofEntries(
            Map.entry("mail/received", List.of("Mail.Read", "Mail.ReadWrite")),
            Map.entry("mail/sent", List.of("Mail.Read", "Mail.ReadWrite")),
            Map.entry("mail/flagged", List.of("Mail.Read", "Mail.ReadWrite")),
            Map.entry("mail/get", List.of("Mail.Read", "Mail.ReadWrite")),
            Map.entry("mail/list", List.of("Mail.Read", "Mail.ReadWrite")),
            Map.entry("mail/listFolders", List.of("Mail.Read", "Mail.ReadWrite")),
            Map.entry("mail/getAttachments", List.of("Mail.Read", "Mail.ReadWrite")),
            Map.entry("mail/downloadAttachment", List.of("Mail.Read", "Mail.ReadWrite")),
            Map.entry("mail/exportEml", List.of("Mail.Read", "Mail.ReadWrite")),
            Map.entry("calendar/invitationReceived", List.of("Mail.Read", "Mail.ReadWrite")),
            Map.entry("calendar/responseReceived", List.of("Mail.Read", "Mail.ReadWrite")),
            Map.entry("mail/send", List.of("Mail.Send")),
            Map.entry("mail/reply", List.of("Mail.Send")),
            Map.entry("mail/replyAll", List.of("Mail.Send")),
            Map.entry("mail/forward", List.of("Mail.Send")),
            Map.entry("mail/sendDraft", List.of("Mail.Send")),
            Map.entry("mail/createDraft", List.of("Mail.ReadWrite")),
            Map.entry("mail/move", List.of("Mail.ReadWrite")),
            Map.entry("mail/copy", List.of("Mail.ReadWrite")),
            Map.entry("mail/archive", List.of("Mail.ReadWrite")),
            Map.entry("mail/delete", List.of("Mail.ReadWrite")),
            Map.entry("mail/markRead", List.of("Mail.ReadWrite")),
            Map.entry("mail/markUnread", List.of("Mail.ReadWrite")),
            Map.entry("mail/flag", List.of("Mail.ReadWrite")),
            Map.entry("mail/setCategories", List.of("Mail.ReadWrite")),
            Map.entry("mail/createFolder", List.of("Mail.ReadWrite")),
            Map.entry("mail/setAutomaticReplies", List.of("MailboxSettings.ReadWrite")),
            Map.entry("calendar/created", List.of("Calendars.Read", "Calendars.ReadWrite")),
            Map.entry("calendar/updated", List.of("Calendars.Read", "Calendars.ReadWrite")),
            Map.entry("calendar/deleted", List.of("Calendars.Read", "Calendars.ReadWrite")),
            Map.entry("calendar/startingSoon", List.of("Calendars.Read", "Calendars.ReadWrite")),
            Map.entry("calendar/getEvent", List.of("Calendars.Read", "Calendars.ReadWrite")),
            Map.entry("calendar/listEvents", List.of("Calendars.Read", "Calendars.ReadWrite")),
            Map.entry("calendar/listCalendars", List.of("Calendars.Read", "Calendars.ReadWrite")),
            Map.entry("calendar/findMeetingTimes", List.of("Calendars.Read", "Calendars.ReadWrite")),
            Map.entry("calendar/createEvent", List.of("Calendars.ReadWrite")),
            Map.entry("calendar/updateEvent", List.of("Calendars.ReadWrite")),
            Map.entry("calendar/deleteEvent", List.of("Calendars.ReadWrite")),
            Map.entry("calendar/cancelEvent", List.of("Calendars.ReadWrite")),
            Map.entry("calendar/respond", List.of("Calendars.ReadWrite")),
            Map.entry("calendar/forwardEvent", List.of("Calendars.ReadWrite")));

    private Permissions() {
    }

    /**
     * What the operation needs. {@code sharedMailbox}: delegated access to a mailbox other than the signed-in user's,
     * which Graph grants through the .Shared variants.
     */
    /** The operations this table knows (a test keeps it in step with the registered triggers and actions). */
    public static Set<String> operations() {
        return NEEDS.keySet();
    }

    public static List<Need> needed(String operation, boolean delegated, boolean sharedMailbox) {
        List<String> base = NEEDS.get(operation);
        if (base == null) {
            return List.of();
        }
        Set<String> satisfiedBy = new LinkedHashSet<>();
        for (String permission : base) {
            satisfiedBy.add(delegated && sharedMailbox ? permission + ".Shared" : permission);
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

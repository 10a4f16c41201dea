package io.github.outlook365.simulator;

import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code GET|PATCH /users/{u}/mailboxSettings} and {@code .../mailboxSettings/automaticRepliesSetting}: the
 * automatic replies (status disabled, alwaysEnabled or scheduled with both dateTimeTimeZone bounds; externalAudience
 * none, contactsOnly or all; internal and external messages), time zone and language. Needs MailboxSettings.Read or
 * MailboxSettings.ReadWrite (ReadWrite to PATCH).
 */
final class MailboxSettingsApi {

    private static final Set<String> READ = Set.of("MailboxSettings.Read", "MailboxSettings.ReadWrite");
    private static final Set<String> WRITE = Set.of("MailboxSettings.ReadWrite");

    private final Outlook365Simulator simulator;

    MailboxSettingsApi(Outlook365Simulator simulator) {
        this.simulator = simulator;
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/user-get-mailboxsettings,
    //   https://learn.microsoft.com/en-us/graph/api/user-update-mailboxsettings (automaticRepliesSetting)
    void handle(HttpCall call, SimulatorState.AccessToken token, Mailbox mailbox, List<String> rest) {
        if (rest.size() > 2 || (rest.size() == 2 && !rest.get(1).equals("automaticRepliesSetting"))) {
            throw GraphException.segmentNotFound(rest.get(rest.size() - 1));
        }
        GraphApi.requireMethod(call, "GET", "PATCH");
        GraphApi.requireRole(token, call.method.equals("GET") ? READ : WRITE);
        ObjectNode settings;
        synchronized (mailbox) {
            if (call.method.equals("PATCH")) {
                ObjectNode patch = GraphApi.requireObject(call);
                JsonNode replies = rest.size() == 2 ? patch : patch.get("automaticRepliesSetting");
                if (replies != null) {
                    ObjectNode merged = mailbox.settings().with("automaticRepliesSetting").deepCopy();
                    merged.setAll((ObjectNode) validate(replies));
                    check(merged);
                    mailbox.settings().set("automaticRepliesSetting", merged);
                }
                for (String key : List.of("timeZone", "language", "dateFormat", "timeFormat")) {
                    if (rest.size() == 1 && patch.has(key)) {
                        mailbox.settings().set(key, patch.get(key));
                    }
                }
            }
            settings = mailbox.settings().deepCopy();
        }
        ObjectNode body = Json.object();
        body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#users('" + GraphApi.encode(mailbox.upn)
                + "')/mailboxSettings" + (rest.size() == 2 ? "/automaticRepliesSetting" : ""));
        body.setAll(rest.size() == 2 ? (ObjectNode) settings.get("automaticRepliesSetting") : settings);
        call.json(200, GraphApi.GRAPH_JSON, body);
    }

    private static JsonNode validate(JsonNode replies) {
        if (!replies.isObject()) {
            throw new GraphException(400, "RequestBodyRead", "automaticRepliesSetting must be an object.");
        }
        String status = replies.path("status").asText(null);
        if (status != null && !Set.of("disabled", "alwaysEnabled", "scheduled").contains(status)) {
            throw new GraphException(400, "RequestBodyRead", "Requested value '" + status + "' was not found.");
        }
        String audience = replies.path("externalAudience").asText(null);
        if (audience != null && !Set.of("none", "contactsOnly", "all").contains(audience)) {
            throw new GraphException(400, "RequestBodyRead", "Requested value '" + audience + "' was not found.");
        }
        for (String key : List.of("scheduledStartDateTime", "scheduledEndDateTime")) {
            JsonNode t = replies.get(key);
            if (t != null && (!t.isObject() || !t.hasNonNull("dateTime") || !t.hasNonNull("timeZone"))) {
                throw new GraphException(400, "RequestBodyRead", key + " must be a dateTimeTimeZone.");
            }
        }
        return replies;
    }

    private static void check(ObjectNode merged) {
        if ("scheduled".equals(merged.path("status").asText())) {
            String start = merged.at("/scheduledStartDateTime/dateTime").asText("");
            String end = merged.at("/scheduledEndDateTime/dateTime").asText("");
            if (start.isEmpty() || end.isEmpty() || start.compareTo(end) >= 0) {
                throw new GraphException(400, "ErrorInvalidArgument",
                        "A scheduled automatic reply needs a scheduledStartDateTime before its scheduledEndDateTime.");
            }
        }
    }
}

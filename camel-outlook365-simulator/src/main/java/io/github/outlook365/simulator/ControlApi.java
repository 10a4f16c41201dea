package io.github.outlook365.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The HTTP control API under /_simulator/ (no authentication), mirroring the Java API so that another process can
 * drive the simulator. Its requests are not recorded.
 */
final class ControlApi {

    private final Outlook365Simulator simulator;

    ControlApi(Outlook365Simulator simulator) {
        this.simulator = simulator;
    }

    void handle(HttpCall call) {
        try {
            route(call);
        } catch (Json.BadJson e) {
            error(call, 400, "BadRequest", "The request body is not valid JSON: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            error(call, 400, "BadRequest", e.getMessage());
        } catch (NotFound e) {
            error(call, 404, "NotFound", e.getMessage());
        }
    }

    private static final class NotFound extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotFound(String message) {
            super(message, null, false, false);
        }
    }

    private static void error(HttpCall call, int status, String code, String message) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message == null ? code : message);
        call.json(status, body);
    }

    private static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        return segments.subList(1, segments.size()); // drop "_simulator"
    }

    private static ObjectNode object(HttpCall call) {
        JsonNode json = Json.parse(call.body);
        if (json == null) {
            return Json.object();
        }
        if (!json.isObject()) {
            throw new IllegalArgumentException("The request body must be a JSON object");
        }
        return (ObjectNode) json;
    }

    private static String required(JsonNode json, String field) {
        String value = Json.text(json, field);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Missing field '" + field + "'");
        }
        return value;
    }

    private void route(HttpCall call) {
        List<String> s = segments(call.path);
        String m = call.method;
        if (s.isEmpty() || (s.size() == 1 && s.get(0).equals("health"))) {
            ObjectNode body = Json.object();
            body.put("status", "UP");
            body.put("baseUrl", simulator.baseUrl());
            call.json(200, body);
            return;
        }
        String head = s.get(0);
        switch (head) {
            case "reset":
                post(m);
                simulator.reset();
                call.empty(204);
                return;
            case "apps":
                apps(call, s, m);
                return;
            case "tokens":
                tokens(call, s, m);
                return;
            case "mailboxes":
                mailboxes(call, s, m);
                return;
            case "groups":
                groups(call, s, m);
                return;
            case "faults":
                post(m);
                faults(call);
                return;
            case "latency":
                post(m);
                latency(call);
                return;
            case "requests":
                requests(call, s, m);
                return;
            case "subscriptions":
                subscriptions(call, s, m);
                return;
            case "notifications":
                notifications(call, s, m);
                return;
            default:
                throw new NotFound("No control resource " + call.path);
        }
    }

    /**
     * GET /_simulator/subscriptions: the live subscriptions; POST /_simulator/subscriptions/{id}/lifecycle
     * {"lifecycleEvent": "missed"}: a lifecycle notification; POST /_simulator/subscriptions/{id}/expire.
     */
    private void subscriptions(HttpCall call, List<String> s, String m) {
        if (s.size() == 1 && m.equals("GET")) {
            ObjectNode body = Json.object();
            ArrayNode value = body.putArray("value");
            simulator.subscriptions().forEach(value::add);
            call.json(200, body);
            return;
        }
        post(m);
        if (s.size() == 3 && s.get(2).equals("lifecycle")) {
            simulator.fireLifecycleEvent(s.get(1), required(object(call), "lifecycleEvent"));
            call.empty(204);
            return;
        }
        if (s.size() == 3 && s.get(2).equals("expire")) {
            simulator.expireSubscription(s.get(1));
            call.empty(204);
            return;
        }
        throw new NotFound("No control resource " + call.path);
    }

    /** POST /_simulator/notifications/drop {"count": 2}: the next change notifications are lost. */
    private void notifications(HttpCall call, List<String> s, String m) {
        post(m);
        if (s.size() == 2 && s.get(1).equals("drop")) {
            JsonNode count = object(call).get("count");
            if (count == null || !count.canConvertToInt()) {
                throw new IllegalArgumentException("Missing field 'count'");
            }
            simulator.dropNotifications(count.asInt());
            call.empty(204);
            return;
        }
        throw new NotFound("No control resource " + call.path);
    }

    private static void post(String method) {
        if (!method.equals("POST")) {
            throw new IllegalArgumentException("Use POST");
        }
    }

    private void apps(HttpCall call, List<String> s, String m) {
        post(m);
        if (s.size() != 1) {
            throw new NotFound("No control resource " + call.path);
        }
        ObjectNode json = object(call);
        String tenantId = required(json, "tenantId");
        String clientId = required(json, "clientId");
        String clientSecret = required(json, "clientSecret");
        JsonNode rolesNode = json.get("roles");
        Set<String> roles;
        if (rolesNode == null || rolesNode.isNull()) {
            roles = SimulatorState.ALL_ROLES;
            simulator.registerApp(tenantId, clientId, clientSecret);
        } else {
            if (!rolesNode.isArray()) {
                throw new IllegalArgumentException("roles must be an array of strings");
            }
            roles = new LinkedHashSet<>();
            for (JsonNode r : rolesNode) {
                roles.add(r.asText());
            }
            simulator.registerApp(tenantId, clientId, clientSecret, roles);
        }
        ObjectNode body = Json.object();
        body.put("tenantId", tenantId);
        body.put("clientId", clientId);
        ArrayNode array = body.putArray("roles");
        roles.stream().sorted().forEach(array::add);
        call.json(201, body);
    }

    private void tokens(HttpCall call, List<String> s, String m) {
        post(m);
        ObjectNode json = object(call);
        if (s.size() == 2 && s.get(1).equals("revoke") && json.hasNonNull("upn")) {
            // a user's sign-in sessions: refresh tokens answer AADSTS50173, or AADSTS70008 with "expire": true
            if (json.path("expire").asBoolean(false)) {
                simulator.expireRefreshTokens(required(json, "tenantId"), required(json, "upn"));
            } else {
                simulator.revokeSignInSessions(required(json, "tenantId"), required(json, "upn"));
            }
            call.empty(204);
        } else if (s.size() == 2 && s.get(1).equals("revoke")) {
            simulator.revokeTokens(required(json, "tenantId"), required(json, "clientId"));
            call.empty(204);
        } else if (s.size() == 2 && s.get(1).equals("lifetime")) {
            JsonNode seconds = json.get("seconds");
            if (seconds == null || !seconds.canConvertToLong()) {
                throw new IllegalArgumentException("Missing numeric field 'seconds'");
            }
            simulator.setTokenLifetime(Duration.ofSeconds(seconds.asLong()));
            call.empty(204);
        } else {
            throw new NotFound("No control resource " + call.path);
        }
    }

    /**
     * POST /_simulator/groups {tenantId, mail, displayName, unified}: creates a group (a distribution list unless
     * unified is true), answers its id; POST /_simulator/groups/{idOrMail}/members {upn}: adds a member; DELETE
     * /_simulator/groups/{idOrMail}/members/{upn}: removes one.
     */
    private void groups(HttpCall call, List<String> s, String m) {
        if (s.size() == 1) {
            post(m);
            ObjectNode json = object(call);
            JsonNode unified = json.get("unified");
            String id = simulator.createGroup(required(json, "tenantId"), required(json, "mail"),
                    Json.text(json, "displayName"), unified != null && unified.asBoolean());
            ObjectNode body = Json.object();
            body.put("id", id);
            call.json(201, body);
        } else if (s.size() == 3 && s.get(2).equals("members") && m.equals("POST")) {
            simulator.addGroupMember(s.get(1), required(object(call), "upn"));
            call.empty(204);
        } else if (s.size() == 4 && s.get(2).equals("members") && m.equals("DELETE")) {
            if (!simulator.removeGroupMember(s.get(1), s.get(3))) {
                throw new NotFound("No member " + s.get(3) + " in group " + s.get(1));
            }
            call.empty(204);
        } else {
            throw new NotFound("No control resource " + call.path);
        }
    }

    private void mailboxes(HttpCall call, List<String> s, String m) {
        if (s.size() == 1) {
            post(m);
            ObjectNode json = object(call);
            String upn = required(json, "upn");
            simulator.createMailbox(required(json, "tenantId"), upn, Json.text(json, "displayName"));
            ObjectNode body = Json.object();
            body.put("upn", upn);
            ObjectNode folders = body.putObject("folders");
            for (String name : Mailbox.WELL_KNOWN.keySet()) {
                folders.put(name, simulator.folderId(upn, name));
            }
            call.json(201, body);
            return;
        }
        String upn = s.get(1);
        if (simulator.state().mailbox(upn) == null) {
            throw new NotFound("No simulated mailbox " + upn);
        }
        String sub = s.size() > 2 ? s.get(2) : "";
        if (s.size() == 3 && sub.equals("deltaReset")) {
            post(m);
            simulator.forceDeltaReset(upn);
            call.empty(204);
        } else if (s.size() == 3 && sub.equals("messages") && m.equals("POST")) {
            deliver(call, upn);
        } else if (s.size() == 4 && sub.equals("messages") && m.equals("PATCH")) {
            ObjectNode json = object(call);
            JsonNode isRead = json.get("isRead");
            if (isRead == null || !isRead.isBoolean()) {
                throw new IllegalArgumentException("Missing boolean field 'isRead'");
            }
            requireMessage(upn, s.get(3));
            simulator.markRead(upn, s.get(3), isRead.asBoolean());
            call.json(200, message(upn, s.get(3)));
        } else if (s.size() == 4 && sub.equals("messages") && m.equals("DELETE")) {
            requireMessage(upn, s.get(3));
            simulator.deleteMessage(upn, s.get(3));
            call.empty(204);
        } else if (s.size() == 5 && sub.equals("messages") && s.get(4).equals("move") && m.equals("POST")) {
            requireMessage(upn, s.get(3));
            simulator.moveMessage(upn, s.get(3), required(object(call), "destinationFolder"));
            call.json(200, message(upn, s.get(3)));
        } else if (s.size() == 4 && sub.equals("messages") && m.equals("GET")) {
            call.json(200, message(upn, s.get(3)));
        } else if (s.size() == 3 && sub.equals("folders") && m.equals("GET")) {
            ArrayNode array = Json.array();
            simulator.folders(upn).forEach(array::add);
            ObjectNode body = Json.object();
            body.set("value", array);
            call.json(200, body);
        } else if (s.size() == 4 && sub.equals("folders") && m.equals("GET")) {
            ObjectNode body = Json.object();
            body.put("id", simulator.folderId(upn, s.get(3)));
            call.json(200, body);
        } else if (s.size() == 5 && sub.equals("folders") && s.get(4).equals("messages") && m.equals("GET")) {
            ArrayNode array = Json.array();
            simulator.messages(upn, s.get(3)).forEach(array::add);
            ObjectNode body = Json.object();
            body.set("value", array);
            call.json(200, body);
        } else if (s.size() == 3 && sub.equals("maxConcurrentRequests") && m.equals("GET")) {
            ObjectNode body = Json.object();
            body.put("max", simulator.maxConcurrentRequests(upn));
            call.json(200, body);
        } else {
            throw new NotFound("No control resource " + m + " " + call.path);
        }
    }

    private void requireMessage(String upn, String id) {
        if (simulator.state().requireMailbox(upn).get(id) == null) {
            throw new NotFound("No message " + id + " in mailbox " + upn);
        }
    }

    private ObjectNode message(String upn, String id) {
        Mailbox mailbox = simulator.state().requireMailbox(upn);
        synchronized (mailbox) {
            Mailbox.StoredMessage message = mailbox.get(id);
            if (message == null) {
                throw new NotFound("No message " + id + " in mailbox " + upn);
            }
            return Messages.render(message.json, null, false, null);
        }
    }

    private void deliver(HttpCall call, String upn) {
        ObjectNode json = object(call);
        JsonNode from = json.get("from");
        String fromAddress;
        String fromName = null;
        if (from == null || from.isNull()) {
            throw new IllegalArgumentException("Missing field 'from'");
        } else if (from.isTextual()) {
            fromAddress = from.asText();
        } else {
            JsonNode address = from.has("emailAddress") ? from.get("emailAddress") : from;
            fromAddress = required(address, "address");
            fromName = Json.text(address, "name");
        }
        SimMail mail = SimMail.from(fromAddress, fromName);
        addresses(json.get("to"), "to").forEach(mail::to);
        addresses(json.get("cc"), "cc").forEach(mail::cc);
        if (json.hasNonNull("subject")) {
            mail.subject(json.get("subject").asText());
        }
        JsonNode body = json.get("body");
        if (body != null && !body.isNull()) {
            if (body.isTextual()) {
                mail.textBody(body.asText());
            } else if ("html".equalsIgnoreCase(body.path("contentType").asText("text"))) {
                mail.htmlBody(body.path("content").asText(""));
            } else {
                mail.textBody(body.path("content").asText(""));
            }
        }
        if (json.hasNonNull("importance")) {
            mail.importance(json.get("importance").asText());
        }
        if (json.hasNonNull("receivedDateTime")) {
            mail.receivedAt(Instant.parse(json.get("receivedDateTime").asText()));
        }
        if (json.hasNonNull("isRead")) {
            mail.read(json.get("isRead").asBoolean());
        }
        String folder = json.hasNonNull("folder") ? json.get("folder").asText() : "inbox";
        String id = simulator.deliver(upn, folder, mail);
        ObjectNode answer = Json.object();
        answer.put("id", id);
        call.json(201, answer);
    }

    private static List<String> addresses(JsonNode node, String field) {
        List<String> list = new ArrayList<>();
        if (node == null || node.isNull()) {
            return list;
        }
        if (node.isTextual()) {
            list.add(node.asText());
            return list;
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(field + " must be an array");
        }
        for (JsonNode entry : node) {
            if (entry.isTextual()) {
                list.add(entry.asText());
            } else {
                JsonNode address = entry.has("emailAddress") ? entry.get("emailAddress") : entry;
                list.add(required(address, "address"));
            }
        }
        return list;
    }

    /**
     * POST /_simulator/faults {"status":503, "method":"GET", "pathRegex":"/messages", "code":..., "times":1,
     * "retryAfterSeconds":..., "mode":"INSTEAD", "stallMillis":...}: the fields of {@link SimFault}. A field of the
     * wrong type or value is the caller's mistake, answered 400 naming the field, and sets no fault.
     */
    private void faults(HttpCall call) {
        ObjectNode json = object(call);
        JsonNode status = json.get("status");
        if (status == null || !status.isIntegralNumber() || !status.canConvertToInt()) {
            throw new IllegalArgumentException("Missing numeric field 'status' (an HTTP status such as 503)");
        }
        String method = optionalText(json, "method");
        String code = optionalText(json, "code");
        if (code == null) {
            code = status.asInt() == 429 ? "ApplicationThrottled" : "ServiceUnavailable";
        }
        String pathRegex = optionalText(json, "pathRegex");
        if (pathRegex != null) {
            try {
                Pattern.compile(pathRegex);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("Field 'pathRegex' is not a regular expression: "
                                                   + e.getDescription() + " near index " + e.getIndex());
            }
        }
        Long times = optionalLong(json, "times");
        if (times != null && (times < 1 || times > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("Field 'times' must be a whole number of at least 1: " + times);
        }
        Long retryAfter = optionalLong(json, "retryAfterSeconds");
        if (retryAfter != null && retryAfter < 0) {
            throw new IllegalArgumentException("Field 'retryAfterSeconds' must not be negative: " + retryAfter);
        }
        String modeName = optionalText(json, "mode");
        SimFault.Mode mode = SimFault.Mode.INSTEAD;
        if (modeName != null) {
            try {
                mode = SimFault.Mode.valueOf(modeName);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Field 'mode' must be one of " + Arrays.toString(SimFault.Mode.values())
                                                   + ", not '" + modeName + "'");
            }
        }
        Long stall = optionalLong(json, "stallMillis");
        if (mode == SimFault.Mode.STALLED_BODY && (stall == null || stall <= 0)) {
            throw new IllegalArgumentException("Field 'stallMillis' must be a positive number of milliseconds with mode"
                                               + " STALLED_BODY");
        }
        if (mode == SimFault.Mode.STALLED_BODY ? status.asInt() < 200 || status.asInt() > 299
                : status.asInt() < 400 || status.asInt() > 599) {
            throw new IllegalArgumentException("Field 'status' must be " + (mode == SimFault.Mode.STALLED_BODY
                    ? "a success status (2xx) with mode STALLED_BODY" : "an error status (4xx or 5xx)") + ": "
                                               + status.asInt());
        }
        simulator.injectFault(new SimFault(method == null || method.isBlank() ? null : method,
                pathRegex == null ? "" : pathRegex, status.asInt(), code, times == null ? 1 : times.intValue(),
                retryAfter == null ? null : Duration.ofSeconds(retryAfter), mode,
                stall == null ? null : Duration.ofMillis(stall)));
        call.empty(201);
    }

    /** A field that is absent, null or a string; anything else is answered 400 naming it. */
    private static String optionalText(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("Field '" + field + "' must be a string, not " + value.getNodeType());
        }
        return value.asText();
    }

    /** A field that is absent, null or a whole number; anything else is answered 400 naming it. */
    private static Long optionalLong(JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new IllegalArgumentException("Field '" + field + "' must be a whole number, not " + value);
        }
        return value.asLong();
    }

    private void latency(HttpCall call) {
        ObjectNode json = object(call);
        JsonNode millis = json.get("latencyMillis");
        if (millis == null || !millis.canConvertToLong()) {
            throw new IllegalArgumentException("Missing numeric field 'latencyMillis'");
        }
        simulator.setLatency(required(json, "pathRegex"), Duration.ofMillis(millis.asLong()));
        call.empty(204);
    }

    private void requests(HttpCall call, List<String> s, String m) {
        if (s.size() == 2 && s.get(1).equals("count") && m.equals("GET")) {
            String method = call.param("method");
            String path = call.param("path");
            ObjectNode body = Json.object();
            body.put("count", simulator.countRequests(method == null || method.isBlank() ? null : method,
                    path == null ? "" : path));
            call.json(200, body);
        } else if (s.size() == 1 && m.equals("GET")) {
            ArrayNode array = Json.array();
            for (RecordedRequest r : simulator.requests()) {
                ObjectNode node = array.addObject();
                node.put("method", r.method());
                node.put("path", r.path());
                node.put("query", r.query());
                node.set("headers", Json.MAPPER.valueToTree(r.headers()));
                node.put("body", r.body());
                node.put("status", r.status());
                node.put("at", r.at().toString());
            }
            ObjectNode body = Json.object();
            body.set("value", array);
            call.json(200, body);
        } else if (s.size() == 1 && m.equals("DELETE")) {
            simulator.clearRequests();
            call.empty(204);
        } else {
            throw new NotFound("No control resource " + m + " " + call.path);
        }
    }
}

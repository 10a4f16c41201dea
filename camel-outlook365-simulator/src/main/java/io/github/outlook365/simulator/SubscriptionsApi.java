package io.github.outlook365.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Graph change notifications for Outlook messages and events: {@code /v1.0/subscriptions} (create with the validation
 * handshake, get, list, renew, delete, reauthorize), the notifications a change of a watched mailbox sends to a
 * subscription's {@code notificationUrl}, expiry, and the three lifecycle notifications. Tests can drop notifications
 * ({@link Outlook365Simulator#dropNotifications(int)}) and fire lifecycle events.
 * <p>
 * One leniency, for tests on one machine: Graph requires an {@code https} notification URL; the simulator also takes
 * {@code http://localhost} and {@code http://127.0.0.1}.
 */
final class SubscriptionsApi {

    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionsApi.class);

    /** Graph's longest lifetime of a subscription to Outlook messages and events: 10,080 minutes (under 7 days). */
    static final Duration MAX_LIFETIME = Duration.ofMinutes(10_080);
    /** Graph's deadline for the validation answer. */
    static final Duration VALIDATION_TIMEOUT = Duration.ofSeconds(10);
    private static final int CLIENT_STATE_MAX = 128;

    /** One subscription as Graph keeps it. */
    static final class Subscription {
        final String id = Ids.guid();
        final String tenantId;
        final String applicationId;
        final String creatorId;
        final String resource;
        final Set<String> changeTypes;
        final String notificationUrl;
        final String lifecycleNotificationUrl;
        final String clientState;
        final String mailboxKey;
        final boolean events;
        /** The folder (messages) or calendar (events) it watches; null: the whole mailbox. */
        final String containerId;
        volatile Instant expiration;
        /** After a reauthorizationRequired: no notifications until the app reauthorizes or renews. */
        volatile boolean needsReauthorization;

        Subscription(String tenantId, String applicationId, String creatorId, String resource, Set<String> changeTypes,
                String notificationUrl, String lifecycleNotificationUrl, String clientState, String mailboxKey,
                boolean events, String containerId, Instant expiration) {
            this.tenantId = tenantId;
            this.applicationId = applicationId;
            this.creatorId = creatorId;
            this.resource = resource;
            this.changeTypes = changeTypes;
            this.notificationUrl = notificationUrl;
            this.lifecycleNotificationUrl = lifecycleNotificationUrl;
            this.clientState = clientState;
            this.mailboxKey = mailboxKey;
            this.events = events;
            this.containerId = containerId;
            this.expiration = expiration;
        }

        boolean expired() {
            return !Instant.now().isBefore(expiration);
        }
    }

    /** A change of a mailbox's content that a subscription may be told about. */
    record Change(Mailbox mailbox, boolean event, String containerId, String changeType, String itemId) {
    }

    private final Outlook365Simulator simulator;
    private final SimulatorState state;
    private final HttpClient http;
    private final ExecutorService senders;
    private final AtomicInteger toDrop = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    SubscriptionsApi(Outlook365Simulator simulator, SimulatorState state) {
        this.simulator = simulator;
        this.state = state;
        AtomicInteger n = new AtomicInteger();
        this.senders = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "outlook365-simulator-notifications-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).executor(senders).build();
    }

    void close() {
        senders.shutdownNow();
    }

    // ------------------------------------------------------------------ /v1.0/subscriptions

    void handle(HttpCall call, SimulatorState.AccessToken token, List<String> segments) {
        if (segments.size() == 1) {
            if (call.method.equals("POST")) {
                create(call, token);
            } else {
                GraphApi.requireMethod(call, "GET");
                list(call, token);
            }
            return;
        }
        Subscription s = find(token, segments.get(1));
        if (segments.size() == 3 && segments.get(2).equalsIgnoreCase("reauthorize")) {
            reauthorize(call, s);
            return;
        }
        if (segments.size() != 2) {
            throw GraphException.segmentNotFound(segments.get(2));
        }
        switch (call.method) {
            case "GET":
                // docs: https://learn.microsoft.com/en-us/graph/api/subscription-get
                call.json(200, GraphApi.GRAPH_JSON, json(s, true));
                return;
            case "PATCH":
                renew(call, s);
                return;
            case "DELETE":
                // docs: https://learn.microsoft.com/en-us/graph/api/subscription-delete (204 No Content)
                state.subscriptions.remove(s.id);
                call.empty(204);
                return;
            default:
                throw GraphException.methodNotAllowed(call.method);
        }
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/subscription-post-subscriptions (request body and 201 answer)
    // docs: https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks (the validation request:
    //   POST {notificationUrl}?validationToken=..., answered within 10 s with 200 text/plain and the decoded token;
    //   both notificationUrl and lifecycleNotificationUrl are validated)
    // docs: https://learn.microsoft.com/en-us/graph/api/resources/subscription (maximum lifetime of an Outlook message
    //   or event subscription: 10,080 minutes; clientState at most 128 characters)
    private void create(HttpCall call, SimulatorState.AccessToken token) {
        ObjectNode body = GraphApi.requireObject(call);
        String changeType = required(body, "changeType");
        String notificationUrl = required(body, "notificationUrl");
        String resource = required(body, "resource");
        String expiration = required(body, "expirationDateTime");
        String lifecycleUrl = Json.text(body, "lifecycleNotificationUrl");
        String clientState = Json.text(body, "clientState");
        Set<String> changeTypes = new LinkedHashSet<>();
        for (String t : changeType.split(",")) {
            String type = t.trim().toLowerCase(Locale.ROOT);
            if (!Set.of("created", "updated", "deleted").contains(type)) {
                throw badRequest("Invalid 'changeType' attribute: '" + t.trim() + "'.");
            }
            changeTypes.add(type);
        }
        if (clientState != null && clientState.length() > CLIENT_STATE_MAX) {
            throw badRequest("clientState can't be longer than " + CLIENT_STATE_MAX + " characters.");
        }
        Instant expires = expiration(expiration);
        requireUrl(notificationUrl, "notificationUrl");
        if (lifecycleUrl != null) {
            requireUrl(lifecycleUrl, "lifecycleNotificationUrl");
        }
        Watched watched = watched(token, resource);
        validate(notificationUrl);
        if (lifecycleUrl != null && !lifecycleUrl.equals(notificationUrl)) {
            validate(lifecycleUrl);
        }
        Subscription s = new Subscription(token.tenantId(), token.clientId(),
                token.delegated() ? watched.mailbox.userId : token.appObjectId(), resource, changeTypes,
                notificationUrl, lifecycleUrl, clientState, SimulatorState.key(watched.mailbox.upn), watched.events,
                watched.containerId, expires);
        state.subscriptions.put(s.id, s);
        call.setHeader("Location", simulator.baseUrl() + "/v1.0/subscriptions/" + s.id);
        call.json(201, GraphApi.GRAPH_JSON, json(s, true));
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/subscription-list (an app sees the subscriptions it created)
    private void list(HttpCall call, SimulatorState.AccessToken token) {
        ObjectNode body = Json.object();
        body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#subscriptions");
        ArrayNode value = body.putArray("value");
        for (Subscription s : state.subscriptions.values()) {
            if (!s.expired() && s.tenantId.equalsIgnoreCase(token.tenantId())
                    && s.applicationId.equals(token.clientId())) {
                value.add(json(s, false));
            }
        }
        call.json(200, GraphApi.GRAPH_JSON, body);
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/subscription-update (PATCH expirationDateTime; 200 with the
    //   subscription)
    private void renew(HttpCall call, Subscription s) {
        ObjectNode body = GraphApi.requireObject(call);
        String expiration = Json.text(body, "expirationDateTime");
        if (expiration == null) {
            throw badRequest("Only expirationDateTime and notificationUrl can be updated.");
        }
        s.expiration = expiration(expiration);
        s.needsReauthorization = false;
        call.json(200, GraphApi.GRAPH_JSON, json(s, true));
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/subscription-reauthorize (POST, no body, 200 OK)
    private void reauthorize(HttpCall call, Subscription s) {
        GraphApi.requireMethod(call, "POST");
        s.needsReauthorization = false;
        call.empty(200);
    }

    private Subscription find(SimulatorState.AccessToken token, String id) {
        Subscription s = state.subscriptions.get(id);
        if (s != null && s.expired()) {
            // an expired subscription is gone, as Graph removes it
            state.subscriptions.remove(id);
            s = null;
        }
        if (s == null || !s.tenantId.equalsIgnoreCase(token.tenantId()) || !s.applicationId.equals(token.clientId())) {
            throw new GraphException(404, "ResourceNotFound", "The object was not found.");
        }
        return s;
    }

    private static String required(ObjectNode body, String field) {
        String value = Json.text(body, field);
        if (value == null || value.isBlank()) {
            throw badRequest("Missing required property '" + field + "'.");
        }
        return value;
    }

    // observed: Graph answers an invalid subscription with 400 ExtensionError or ValidationError; the simulator uses
    //   ValidationError for all of them
    private static GraphException badRequest(String message) {
        return new GraphException(400, "ValidationError", message);
    }

    private static Instant expiration(String value) {
        Instant expires;
        try {
            expires = Instant.parse(value.endsWith("Z") || value.contains("+") ? value : value + "Z");
        } catch (DateTimeParseException e) {
            throw badRequest("Invalid expirationDateTime '" + value + "'.");
        }
        Instant now = Instant.now();
        if (!expires.isAfter(now)) {
            throw badRequest("Subscription expiration can only be in the future.");
        }
        if (expires.isAfter(now.plus(MAX_LIFETIME).plusSeconds(60))) {
            throw badRequest("Subscription expiration can only be " + MAX_LIFETIME.toMinutes()
                    + " minutes in the future.");
        }
        return expires;
    }

    private static void requireUrl(String url, String property) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw badRequest("Invalid " + property + " '" + url + "'.");
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        boolean localHttp = "http".equalsIgnoreCase(uri.getScheme())
                && ("localhost".equalsIgnoreCase(uri.getHost()) || "127.0.0.1".equals(uri.getHost()));
        if (!https && !localHttp || uri.getHost() == null) {
            throw badRequest("The " + property + " must be an absolute https URL.");
        }
    }

    private void validate(String url) {
        String validationToken = "Validation: Testing client application reachability for subscription Request-Id: "
                + Ids.guid();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + (url.contains("?") ? "&" : "?")
                        + "validationToken=" + GraphApi.encode(validationToken)))
                .timeout(VALIDATION_TIMEOUT)
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw badRequest("Subscription validation request timed out.");
        } catch (IOException e) {
            throw badRequest("Subscription validation request failed. Notification endpoint must respond with 200 OK"
                    + " to validation request.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw badRequest("Subscription validation request timed out.");
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        if (response.statusCode() != 200) {
            throw badRequest("Subscription validation request failed. Notification endpoint must respond with 200 OK"
                    + " to validation request.");
        }
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("text/plain")
                || !validationToken.equals(response.body())) {
            throw badRequest("Subscription validation request failed. Response must exactly match validationToken"
                    + " query parameter.");
        }
    }

    private record Watched(Mailbox mailbox, boolean events, String containerId) {
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/subscription-post-subscriptions (Outlook message resources:
    //   users/{id}/messages, users/{id}/mailFolders('{id}')/messages; event resources: users/{id}/events,
    //   users/{id}/calendars/{id}/events, and me/... for delegated tokens; permission Mail.Read / Calendars.Read)
    private Watched watched(SimulatorState.AccessToken token, String resource) {
        // the resource is a path: its segments may be percent-encoded, as in a request URL
        List<String> s = new ArrayList<>();
        for (String segment : GraphApi.segments(resource)) {
            s.add(java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        if (!s.isEmpty() && s.get(0).equalsIgnoreCase("me")) {
            if (!token.delegated()) {
                throw GraphException.badRequest("/me request is only valid with delegated authentication flow.");
            }
            s.set(0, "users");
            s.add(1, token.user());
        }
        if (s.size() < 3 || !s.get(0).equalsIgnoreCase("users")) {
            throw badRequest("Resource '" + resource + "' is not supported.");
        }
        SimulatorState.AccessToken access = DelegatedAccess.onMailbox(state, token, s.get(1));
        Mailbox mailbox = state.mailbox(s.get(1));
        if (mailbox == null || !mailbox.tenantId.equalsIgnoreCase(token.tenantId())) {
            throw GraphException.invalidUser(s.get(1));
        }
        List<String> rest = s.subList(2, s.size());
        String last = rest.get(rest.size() - 1).toLowerCase(Locale.ROOT);
        if (last.equals("messages")) {
            GraphApi.requireRole(access, GraphApi.READ_ROLES);
            if (rest.size() == 1) {
                return new Watched(mailbox, false, null);
            }
            if (rest.size() == 3 && rest.get(0).equalsIgnoreCase("mailFolders")) {
                return new Watched(mailbox, false, GraphApi.folder(mailbox, rest.get(1)).id());
            }
        } else if (last.equals("events")) {
            GraphApi.requireRole(access, CalendarApi.READ_ROLES);
            if (rest.size() == 1) {
                return new Watched(mailbox, true, null);
            }
            if (rest.size() == 2 && rest.get(0).equalsIgnoreCase("calendar")) {
                return new Watched(mailbox, true, mailbox.calendars.defaultCalendar().id);
            }
            if (rest.size() == 3 && rest.get(0).equalsIgnoreCase("calendars")) {
                CalendarStore.Calendar calendar = mailbox.calendars.calendar(rest.get(1));
                if (calendar == null) {
                    throw GraphException.itemNotFound();
                }
                return new Watched(mailbox, true, calendar.id);
            }
        }
        throw badRequest("Resource '" + resource + "' is not supported.");
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/resources/subscription (its properties)
    private static ObjectNode json(Subscription s, boolean withContext) {
        ObjectNode json = Json.object();
        if (withContext) {
            json.put("@odata.context", "https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity");
        }
        json.put("id", s.id);
        json.put("resource", s.resource);
        json.put("applicationId", s.applicationId);
        json.put("changeType", String.join(",", s.changeTypes));
        if (s.clientState == null) {
            json.putNull("clientState");
        } else {
            json.put("clientState", s.clientState);
        }
        json.put("notificationUrl", s.notificationUrl);
        json.putNull("notificationQueryOptions");
        if (s.lifecycleNotificationUrl == null) {
            json.putNull("lifecycleNotificationUrl");
        } else {
            json.put("lifecycleNotificationUrl", s.lifecycleNotificationUrl);
        }
        json.put("expirationDateTime", Json.graphTime(s.expiration));
        json.put("creatorId", s.creatorId);
        json.put("includeResourceData", false);
        json.put("latestSupportedTlsVersion", "v1_2");
        json.putNull("encryptionCertificate");
        json.putNull("encryptionCertificateId");
        json.putNull("notificationUrlAppId");
        return json;
    }

    // ------------------------------------------------------------------ notifications

    /** A change of a mailbox (called under the mailbox's monitor: only queues the sending). */
    void changed(Change change) {
        if (state.subscriptions.isEmpty()) {
            return;
        }
        String key = SimulatorState.key(change.mailbox().upn);
        for (Subscription s : state.subscriptions.values()) {
            if (s.mailboxKey.equals(key) && s.events == change.event() && s.changeTypes.contains(change.changeType())
                    && (s.containerId == null || s.containerId.equals(change.containerId()))) {
                if (s.expired()) {
                    // Graph stops notifying when a subscription expires, and forgets it
                    state.subscriptions.remove(s.id);
                    continue;
                }
                if (s.needsReauthorization) {
                    continue;
                }
                ObjectNode notification = changeNotification(s, change);
                send(s.notificationUrl, notification, true);
            }
        }
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/resources/changenotification and
    //   https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks (a changeNotificationCollection:
    //   value[] with subscriptionId, subscriptionExpirationDateTime, changeType, resource, resourceData, clientState,
    //   tenantId)
    private static ObjectNode changeNotification(Subscription s, Change change) {
        ObjectNode n = Json.object();
        n.put("id", Ids.guid());
        n.put("subscriptionId", s.id);
        n.put("subscriptionExpirationDateTime", Json.graphTime(s.expiration));
        n.put("changeType", change.changeType());
        String kind = change.event() ? "Events" : "Messages";
        String resource = "Users/" + change.mailbox().userId + "/" + kind + "/" + change.itemId();
        n.put("resource", resource);
        ObjectNode data = n.putObject("resourceData");
        data.put("@odata.type", change.event() ? "#Microsoft.Graph.Event" : "#Microsoft.Graph.Message");
        data.put("@odata.id", resource);
        data.put("@odata.etag", "W/\"" + Ids.guid() + "\"");
        data.put("id", change.itemId());
        if (s.clientState == null) {
            n.putNull("clientState");
        } else {
            n.put("clientState", s.clientState);
        }
        n.put("tenantId", s.tenantId);
        return n;
    }

    // docs: https://learn.microsoft.com/en-us/graph/change-notifications-lifecycle-events (a lifecycle notification:
    //   subscriptionId, subscriptionExpirationDateTime, tenantId, clientState, lifecycleEvent; sent to the
    //   lifecycleNotificationUrl; subscriptionRemoved and missed for Outlook messages and events)
    void lifecycle(String subscriptionId, String event) {
        if (!Set.of("reauthorizationRequired", "subscriptionRemoved", "missed").contains(event)) {
            throw new IllegalArgumentException("lifecycle event must be reauthorizationRequired, subscriptionRemoved"
                    + " or missed, not " + event);
        }
        Subscription s = state.subscriptions.get(subscriptionId);
        if (s == null) {
            throw new IllegalArgumentException("No subscription " + subscriptionId);
        }
        if (s.lifecycleNotificationUrl == null) {
            throw new IllegalArgumentException("Subscription " + subscriptionId
                    + " has no lifecycleNotificationUrl: Graph sends it no lifecycle notifications");
        }
        if (event.equals("reauthorizationRequired")) {
            s.needsReauthorization = true;
        } else if (event.equals("subscriptionRemoved")) {
            state.subscriptions.remove(subscriptionId);
        }
        ObjectNode n = Json.object();
        n.put("subscriptionId", s.id);
        n.put("subscriptionExpirationDateTime", Json.graphTime(s.expiration));
        n.put("tenantId", s.tenantId);
        if (s.clientState == null) {
            n.putNull("clientState");
        } else {
            n.put("clientState", s.clientState);
        }
        n.put("lifecycleEvent", event);
        // lifecycle notifications are never dropped by dropNotifications: tests drop change notifications only
        send(s.lifecycleNotificationUrl, n, false);
    }

    private void send(String url, ObjectNode notification, boolean droppable) {
        if (droppable && toDrop.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            dropped.incrementAndGet();
            return;
        }
        ObjectNode body = Json.object();
        body.putArray("value").add(notification);
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)))
                .build();
        try {
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> {
                if (failure != null) {
                    LOG.debug("A notification to {} failed: {}", url, failure.toString());
                } else if (response.statusCode() / 100 != 2) {
                    LOG.debug("A notification to {} was answered {}", url, response.statusCode());
                }
            });
            sent.incrementAndGet();
        } catch (RuntimeException e) {
            // the executor is shut down: the simulator is closing
            LOG.debug("A notification to {} was not sent: {}", url, e.toString());
        }
    }

    void dropNotifications(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be 0 or more: " + count);
        }
        toDrop.set(count);
    }

    long notificationsSent() {
        return sent.get();
    }

    long notificationsDropped() {
        return dropped.get();
    }

    void expire(String subscriptionId) {
        Subscription s = state.subscriptions.get(subscriptionId);
        if (s == null) {
            throw new IllegalArgumentException("No subscription " + subscriptionId);
        }
        s.expiration = Instant.now().minusSeconds(1);
    }

    List<ObjectNode> subscriptions() {
        List<ObjectNode> list = new ArrayList<>();
        for (Map.Entry<String, Subscription> e : state.subscriptions.entrySet()) {
            if (!e.getValue().expired()) {
                list.add(json(e.getValue(), false));
            }
        }
        return list;
    }

    static Map<String, Subscription> newStore() {
        return new ConcurrentHashMap<>();
    }
}

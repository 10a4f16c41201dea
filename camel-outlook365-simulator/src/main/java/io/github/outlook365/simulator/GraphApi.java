package io.github.outlook365.simulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Microsoft Graph v1.0's front door: every request's headers, errors and injected faults, the bearer token, Outlook's
 * concurrency limit per mailbox, and the routing of {@code /users/{id}/...} to the class of each resource; also what
 * those classes share (roles, method checks, query parameters).
 */
final class GraphApi {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GraphApi.class);

    static final String GRAPH_JSON =
            "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
    /** Exchange Online allows 4 concurrent requests per app and mailbox. */
    static final int MAILBOX_CONCURRENCY_LIMIT = 4;

    static final Set<String> READ_ROLES = Set.of("Mail.Read", "Mail.ReadWrite");
    static final Set<String> WRITE_ROLES = Set.of("Mail.ReadWrite");
    static final Set<String> SEND_ROLES = Set.of("Mail.Send");
    private static final DateTimeFormatter INNER_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Outlook365Simulator simulator;
    private final SimulatorState state;
    private final CalendarApi calendar;
    private final MailAttachments attachments;
    private final UsersApi users;
    private final GroupsApi groups;
    private final SendMailApi sendMail;
    private final MessagesApi messages;
    private final MailFoldersApi mailFolders;
    private final MailboxSettingsApi mailboxSettings;
    private final BatchApi batch;
    private final SubscriptionsApi subscriptions;

    GraphApi(Outlook365Simulator simulator, SimulatorState state) {
        this.simulator = simulator;
        this.state = state;
        this.calendar = new CalendarApi(simulator, this);
        this.attachments = new MailAttachments(simulator);
        this.users = new UsersApi(simulator, state, this);
        this.groups = new GroupsApi(simulator, state);
        this.sendMail = new SendMailApi(state);
        this.messages = new MessagesApi(simulator, this, new MailActions(simulator, state, sendMail), attachments,
                calendar.meetings());
        this.mailFolders = new MailFoldersApi(simulator, this, new MailFolderTree(simulator, this),
                new DeltaEngine(simulator, state), messages);
        this.mailboxSettings = new MailboxSettingsApi(simulator);
        this.batch = new BatchApi(simulator, this);
        this.subscriptions = new SubscriptionsApi(simulator, state);
        state.changeListener = subscriptions::changed;
    }

    SubscriptionsApi subscriptions() {
        return subscriptions;
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static int intParam(HttpCall call, String name, int min, int max) {
        String value = call.param(name);
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw GraphException.badRequest("Invalid value '" + value + "' for query option " + name
                    + "; expected an integer from " + min + " to " + max + ".");
        }
    }


    /** The $batch handler (the simulator closes its threads when it stops). */
    BatchApi batches() {
        return batch;
    }

    // docs: https://learn.microsoft.com/en-us/graph/errors (the error body: code, message, innerError with date,
    //   request-id, client-request-id)
    // observed: the response headers request-id, client-request-id, Date and x-ms-ags-diagnostic
    void handle(HttpCall call) {
        String requestId = Ids.guid();
        String clientRequestId = call.header("client-request-id");
        if (clientRequestId == null || clientRequestId.isBlank()) {
            clientRequestId = Ids.guid();
        }
        call.setHeader("request-id", requestId);
        call.setHeader("client-request-id", clientRequestId);
        call.setHeader("Date", DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().atZone(ZoneOffset.UTC)));
        call.setHeader("x-ms-ags-diagnostic", "{\"ServerInfo\":{\"DataCenter\":\"Localhost\",\"Slice\":\"E\","
                + "\"Ring\":\"5\",\"ScaleUnit\":\"000\",\"RoleInstance\":\"SIM0001\"}}");
        call.setHeader("Strict-Transport-Security", "max-age=31536000");
        try {
            route(call);
        } catch (GraphException e) {
            error(call, e, requestId, clientRequestId);
        } catch (Json.BadJson e) {
            error(call, new GraphException(400, "BadRequest", "Unable to read JSON request payload. Please ensure"
                    + " Content-Type header is set and payload is of valid JSON format."), requestId, clientRequestId);
        } catch (RuntimeException e) {
            LOG.error("The Outlook 365 simulator failed on {} {}", call.method, call.path, e);
            error(call, new GraphException(500, "InternalServerError", "The simulator failed: " + e), requestId,
                    clientRequestId);
        }
    }

    // docs: https://learn.microsoft.com/en-us/graph/errors
    // observed: WWW-Authenticate on 401, as Graph sends it
    private void error(HttpCall call, GraphException e, String requestId, String clientRequestId) {
        e.headers.forEach(call::setHeader);
        if (e.status == 401) {
            call.setHeader("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"" + simulator.baseUrl()
                    + "/common/oauth2/authorize\", client_id=\"" + EntraEndpoints.GRAPH_APP_ID + "\"");
        }
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("code", e.code);
        error.put("message", e.getMessage());
        ObjectNode inner = error.putObject("innerError");
        inner.put("date", INNER_DATE.format(Instant.now()));
        inner.put("request-id", requestId);
        inner.put("client-request-id", clientRequestId);
        call.json(e.status, GRAPH_JSON, body);
    }

    // observed: the messages Graph gives with these statuses
    static String faultMessage(SimFault fault) {
        if ("ApplicationThrottled".equals(fault.code())) {
            return "Application is over its MailboxConcurrency limit.";
        }
        switch (fault.status()) {
            case 429:
                return "Too many requests. Please retry after the time given in Retry-After.";
            case 500:
                return "An internal server error occurred.";
            case 502:
                return "Bad gateway.";
            case 503:
                return "The service is temporarily unavailable. Please retry later.";
            case 504:
                return "The request timed out.";
            case 401:
                return "Access token validation failure.";
            case 403:
                return "Access is denied. Check credentials and try again.";
            case 404:
                return "The specified object was not found in the store.";
            default:
                return "The simulator injected this fault.";
        }
    }

    // observed: Graph takes OData key syntax (mailFolders('inbox')) as a path segment
    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String raw : path.split("/")) {
            if (raw.isEmpty()) {
                continue;
            }
            // OData key syntax: mailFolders('inbox') -> mailFolders, inbox
            int paren = raw.indexOf('(');
            if (paren > 0 && raw.endsWith(")")) {
                String key = raw.substring(paren + 1, raw.length() - 1);
                if (key.length() >= 2 && key.startsWith("'") && key.endsWith("'")) {
                    key = key.substring(1, key.length() - 1);
                }
                String name = raw.substring(0, paren);
                if (name.equalsIgnoreCase("delta") || name.equalsIgnoreCase("microsoft.graph.delta")) {
                    segments.add(name);
                    continue;
                }
                segments.add(name);
                segments.add(key);
            } else {
                segments.add(raw);
            }
        }
        return segments;
    }

    // docs: https://learn.microsoft.com/en-us/graph/throttling-limits#outlook-service-limits (4 concurrent requests per
    //   app and mailbox)
    // docs: https://learn.microsoft.com/en-us/graph/throttling (429 with Retry-After)
    // observed: the code ApplicationThrottled and its MailboxConcurrency message; /me with an app-only token answers
    //   400
    private void route(HttpCall call) {
        SimFault fault = state.takeFault(call.method, call.path);
        if (fault != null && fault.mode() == SimFault.Mode.STALLED_BODY) {
            simulator.stall(call, fault);
            return;
        }
        if (fault != null) {
            GraphException e = new GraphException(fault.status(), fault.code(), faultMessage(fault));
            if (fault.retryAfter() != null) {
                e.header("Retry-After", Long.toString(Outlook365Simulator.retryAfterSeconds(fault.retryAfter())));
            }
            if (fault.mode() == SimFault.Mode.INSTEAD) {
                throw e;
            }
            // carried out, then its answer is replaced by the error: the work is done, the client cannot tell
            String requestId = call.exchange != null ? call.exchange.getResponseHeaders().getFirst("request-id") : Ids.guid();
            String clientRequestId = call.exchange != null
                    ? call.exchange.getResponseHeaders().getFirst("client-request-id") : Ids.guid();
            call.answerInstead = c -> error(c, e, requestId, clientRequestId);
        }
        Duration latency = state.latencyFor(call.path);
        if (call.path.startsWith(MailAttachments.UPLOAD_PATH)) {
            // upload URLs carry their own credential; no bearer token
            sleep(latency);
            attachments.upload(call);
            return;
        }
        List<String> segments = segments(call.path.substring("/v1.0".length()));
        SimulatorState.AccessToken token;
        try {
            token = authenticate(call);
            if (segments.isEmpty()) {
                throw GraphException.badRequest("Invalid request.");
            }
            String first = segments.get(0);
            if (first.equals("$batch") && segments.size() == 1) {
                batch.handle(call);
                return;
            }
            if (first.equalsIgnoreCase("me")) {
                if (!token.delegated()) {
                    throw GraphException.badRequest("/me request is only valid with delegated authentication flow.");
                }
                // /me is the signed-in user's own mailbox: the same as /users/{upn}
                segments = new ArrayList<>(segments);
                segments.set(0, "users");
                segments.add(1, token.user());
                first = "users";
            }
            if (first.equalsIgnoreCase("subscriptions")) {
                sleep(latency);
                subscriptions.handle(call, token, segments);
                return;
            }
            if (first.equalsIgnoreCase("groups")) {
                sleep(latency);
                groups.handle(call, token, segments);
                return;
            }
            if (!first.equalsIgnoreCase("users")) {
                throw GraphException.segmentNotFound(first);
            }
        } catch (GraphException e) {
            sleep(latency);
            throw e;
        }
        if (segments.size() == 1) {
            sleep(latency);
            users.list(call, token);
            return;
        }
        String mailboxKey = SimulatorState.key(segments.get(1));
        String slotKey = token.tenantId() + "|" + token.clientId() + "|" + mailboxKey;
        AtomicInteger perApp = state.inFlightPerApp.computeIfAbsent(slotKey, k -> new AtomicInteger());
        AtomicInteger perMailbox = state.inFlightPerMailbox.computeIfAbsent(mailboxKey, k -> new AtomicInteger());
        int appCount = perApp.incrementAndGet();
        int mailboxCount = perMailbox.incrementAndGet();
        state.maxInFlightPerMailbox.computeIfAbsent(mailboxKey, k -> new AtomicInteger())
                .accumulateAndGet(mailboxCount, Math::max);
        // a request stops being in flight when its answer is decided, before the client can read it: otherwise a
        // client that sends its next request on reading an answer would be counted twice
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                perApp.decrementAndGet();
                perMailbox.decrementAndGet();
            }
        };
        Runnable recordResponse = call.beforeResponse;
        call.beforeResponse = () -> {
            release.run();
            if (recordResponse != null) {
                recordResponse.run();
            }
        };
        try {
            if (appCount > MAILBOX_CONCURRENCY_LIMIT) {
                throw new GraphException(429, "ApplicationThrottled",
                        "Application is over its MailboxConcurrency limit.").header("Retry-After", "1");
            }
            sleep(latency);
            dispatch(call, DelegatedAccess.onMailbox(state, token, segments.get(1)), segments);
        } finally {
            release.run();
        }
    }

    private static void sleep(Duration latency) {
        if (latency.isZero()) {
            return;
        }
        try {
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // docs: https://learn.microsoft.com/en-us/graph/errors (401 InvalidAuthenticationToken)
    // observed: the messages of an empty, malformed, expired or revoked token
    private SimulatorState.AccessToken authenticate(HttpCall call) {
        String authorization = call.header("Authorization");
        if (authorization == null || authorization.isBlank()) {
            throw new GraphException(401, "InvalidAuthenticationToken", "Access token is empty.");
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new GraphException(401, "InvalidAuthenticationToken",
                    "Access token validation failure. The Authorization header must use the Bearer scheme.");
        }
        String value = authorization.substring(7).trim();
        if (value.chars().filter(c -> c == '.').count() != 2) {
            throw new GraphException(401, "InvalidAuthenticationToken",
                    "IDX14100: JWT is not well formed, there are no dots (.).");
        }
        SimulatorState.AccessToken token = state.tokens.get(value);
        if (token == null) {
            throw new GraphException(401, "InvalidAuthenticationToken", "Access token validation failure.");
        }
        if (!Instant.now().isBefore(token.expiresAt())) {
            throw new GraphException(401, "InvalidAuthenticationToken",
                    "Lifetime validation failed, the token is expired.");
        }
        SimulatorState.App app = state.app(token.tenantId(), token.clientId());
        if (app == null || app.epoch.get() != token.epoch()) {
            throw new GraphException(401, "InvalidAuthenticationToken",
                    "Access token validation failure. The token was issued before its application's tokens were"
                            + " revoked.");
        }
        if (token.delegated() && state.userEpoch(token.tenantId(), token.user()).get() != token.userEpoch()) {
            throw new GraphException(401, "InvalidAuthenticationToken",
                    "Access token validation failure. The user's sessions were revoked after the token was issued.");
        }
        return token;
    }

    // docs: the Permissions table of each API page (403 ErrorAccessDenied without one of them)
    static void requireRole(SimulatorState.AccessToken token, Set<String> anyOf) {
        for (String role : token.permissions()) {
            if (anyOf.contains(role)) {
                return;
            }
        }
        throw GraphException.accessDenied();
    }

    static void requireMethod(HttpCall call, String... methods) {
        for (String method : methods) {
            if (call.method.equals(method)) {
                return;
            }
        }
        throw GraphException.methodNotAllowed(call.method);
    }

    Mailbox mailbox(SimulatorState.AccessToken token, String user) {
        Mailbox mailbox = state.mailbox(user);
        if (mailbox == null || !mailbox.tenantId.equalsIgnoreCase(token.tenantId())) {
            throw GraphException.invalidUser(user);
        }
        return mailbox;
    }

    static Mailbox.Folder folder(Mailbox mailbox, String idOrName) {
        Mailbox.Folder folder = mailbox.folder(idOrName);
        if (folder == null) {
            throw GraphException.itemNotFound();
        }
        return folder;
    }

    static boolean isDelta(String segment) {
        String s = segment.toLowerCase(Locale.ROOT);
        return s.equals("delta") || s.equals("delta()") || s.equals("microsoft.graph.delta")
                || s.equals("microsoft.graph.delta()");
    }

    private void dispatch(HttpCall call, SimulatorState.AccessToken token, List<String> segments) {
        String user = segments.get(1);
        List<String> rest = segments.subList(2, segments.size());
        if (rest.isEmpty()) {
            users.get(call, token, user);
            return;
        }
        String resource = rest.get(0).toLowerCase(Locale.ROOT);
        switch (resource) {
            case "mailfolders":
                mailFolders.handle(call, token, user, rest);
                return;
            case "messages":
                messages.handle(call, token, user, rest);
                return;
            case "sendmail":
                if (rest.size() != 1) {
                    throw GraphException.segmentNotFound(rest.get(1));
                }
                requireMethod(call, "POST");
                requireRole(token, SEND_ROLES);
                sendMail.handle(call, mailbox(token, user));
                return;
            case "mailboxsettings":
                mailboxSettings.handle(call, token, mailbox(token, user), rest);
                return;
            case "calendars":
            case "calendar":
            case "events":
            case "calendarview":
            case "findmeetingtimes":
                calendar.handle(call, token, user, rest);
                return;
            default:
                throw GraphException.segmentNotFound(rest.get(0));
        }
    }

    static ObjectNode requireObject(HttpCall call) {
        JsonNode json = Json.parse(call.body);
        if (json == null) {
            throw GraphException.badRequest("Empty Payload. JSON content expected.");
        }
        if (!json.isObject()) {
            throw new GraphException(400, "RequestBodyRead",
                    "An unexpected 'StartArray' node was found when reading from the JSON reader. A 'StartObject'"
                            + " node was expected.");
        }
        return (ObjectNode) json;
    }
}

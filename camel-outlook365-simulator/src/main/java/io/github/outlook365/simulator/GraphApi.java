package io.github.outlook365.simulator;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Microsoft Graph v1.0, mail part: users, mailFolders, messages, message delta and sendMail. */
final class GraphApi {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GraphApi.class);

    static final String GRAPH_JSON =
            "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
    /** Exchange Online allows 4 concurrent requests per app and mailbox. */
    static final int MAILBOX_CONCURRENCY_LIMIT = 4;

    static final Set<String> READ_ROLES = Set.of("Mail.Read", "Mail.ReadWrite");
    static final Set<String> WRITE_ROLES = Set.of("Mail.ReadWrite");
    static final Set<String> SEND_ROLES = Set.of("Mail.Send");
    private static final Set<String> USER_ROLES = Set.of("User.Read.All", "User.ReadBasic.All", "User.ReadWrite.All",
            "Directory.Read.All", "Directory.ReadWrite.All");
    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$");
    private static final Set<String> PATCHABLE = Set.of("isRead", "categories", "flag", "importance",
            "inferenceClassification", "subject", "body", "toRecipients", "ccRecipients", "bccRecipients", "replyTo",
            "isDeliveryReceiptRequested", "isReadReceiptRequested");
    private static final Set<String> DRAFT_ONLY = Set.of("subject", "body", "toRecipients", "ccRecipients",
            "bccRecipients", "replyTo", "isDeliveryReceiptRequested", "isReadReceiptRequested");
    private static final DateTimeFormatter INNER_DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Outlook365Simulator simulator;
    private final SimulatorState state;
    private final DeltaEngine delta;
    private final CalendarApi calendar;
    private final MailActions mailActions;
    private final MailFolderTree folderTree;
    private final MailAttachments attachments;
    private final MailboxSettingsApi mailboxSettings;
    private final BatchApi batch;

    GraphApi(Outlook365Simulator simulator, SimulatorState state) {
        this.simulator = simulator;
        this.state = state;
        this.delta = new DeltaEngine(simulator, state);
        this.calendar = new CalendarApi(simulator, this);
        this.mailActions = new MailActions(simulator, state, this);
        this.folderTree = new MailFolderTree(simulator, this);
        this.attachments = new MailAttachments(simulator);
        this.mailboxSettings = new MailboxSettingsApi(simulator);
        this.batch = new BatchApi(simulator, this);
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

    private static List<String> segments(String path) {
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

    private void route(HttpCall call) {
        SimFault fault = state.takeFault(call.method, call.path);
        if (fault != null) {
            GraphException e = new GraphException(fault.status(), fault.code(), faultMessage(fault));
            if (fault.retryAfter() != null) {
                e.header("Retry-After", Long.toString(Outlook365Simulator.retryAfterSeconds(fault.retryAfter())));
            }
            throw e;
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
            if (!first.equalsIgnoreCase("users")) {
                throw GraphException.segmentNotFound(first);
            }
        } catch (GraphException e) {
            sleep(latency);
            throw e;
        }
        if (segments.size() == 1) {
            sleep(latency);
            listUsers(call, token);
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

    private static boolean isDelta(String segment) {
        String s = segment.toLowerCase(Locale.ROOT);
        return s.equals("delta") || s.equals("delta()") || s.equals("microsoft.graph.delta")
                || s.equals("microsoft.graph.delta()");
    }

    private void dispatch(HttpCall call, SimulatorState.AccessToken token, List<String> segments) {
        String user = segments.get(1);
        List<String> rest = segments.subList(2, segments.size());
        if (rest.isEmpty()) {
            requireMethod(call, "GET");
            requireRole(token, token.delegated() && token.user().equalsIgnoreCase(user) ? DelegatedAccess.OWN_PROFILE
                    : USER_ROLES);
            Mailbox mailbox = mailbox(token, user);
            ObjectNode body = Json.object();
            body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#users/$entity");
            body.setAll(userJson(mailbox));
            call.json(200, GRAPH_JSON, body);
            return;
        }
        String resource = rest.get(0).toLowerCase(Locale.ROOT);
        switch (resource) {
            case "mailfolders":
                mailFolders(call, token, user, rest);
                return;
            case "messages":
                messages(call, token, user, rest);
                return;
            case "sendmail":
                if (rest.size() != 1) {
                    throw GraphException.segmentNotFound(rest.get(1));
                }
                requireMethod(call, "POST");
                requireRole(token, SEND_ROLES);
                sendMail(call, mailbox(token, user));
                return;
            case "mailboxsettings":
                mailboxSettings.handle(call, token, mailbox(token, user), rest);
                return;
            // mail resources (mailboxSettings, ...): add above this line, each delegating to its own class

            case "calendars":
            case "calendar":
            case "events":
            case "calendarview":
            case "findmeetingtimes":
                calendar.handle(call, token, user, rest);
                return;
            // calendar resources (events, calendars, calendarView, ...): add above this line, each delegating to its own class

            default:
                throw GraphException.segmentNotFound(rest.get(0));
        }
    }

    // ---------------------------------------------------------------- users

    private void listUsers(HttpCall call, SimulatorState.AccessToken token) {
        requireMethod(call, "GET");
        requireRole(token, USER_ROLES);
        ObjectNode body = Json.object();
        body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#users");
        ArrayNode value = body.putArray("value");
        state.mailboxes.values().stream()
                .filter(m -> m.tenantId.equalsIgnoreCase(token.tenantId()))
                .sorted(Comparator.comparing(m -> m.upn))
                .forEach(m -> value.add(userJson(m)));
        call.json(200, GRAPH_JSON, body);
    }

    private static ObjectNode userJson(Mailbox mailbox) {
        ObjectNode user = Json.object();
        user.putArray("businessPhones");
        user.put("displayName", mailbox.displayName);
        String[] names = mailbox.displayName.split(" ", 2);
        user.put("givenName", names[0]);
        user.putNull("jobTitle");
        user.put("mail", mailbox.upn);
        user.putNull("mobilePhone");
        user.putNull("officeLocation");
        user.put("preferredLanguage", "en-US");
        if (names.length > 1) {
            user.put("surname", names[1]);
        } else {
            user.putNull("surname");
        }
        user.put("userPrincipalName", mailbox.upn);
        user.put("id", mailbox.userId);
        return user;
    }

    // ---------------------------------------------------------------- mail folders

    private void mailFolders(HttpCall call, SimulatorState.AccessToken token, String user, List<String> rest) {
        if (rest.size() == 1 && call.method.equals("POST")) {
            requireRole(token, WRITE_ROLES);
            folderTree.create(call, mailbox(token, user), null);
            return;
        }
        if (rest.size() == 1) {
            requireMethod(call, "GET");
            requireRole(token, READ_ROLES);
            Mailbox mailbox = mailbox(token, user);
            List<Mailbox.Folder> folders = mailbox.children(mailbox.rootFolderId);
            folders.sort(Comparator.comparing(Mailbox.Folder::displayName));
            int top = call.param("$top") == null ? 10 : intParam(call, "$top", 1, 1000);
            int skip = call.param("$skip") == null ? 0 : intParam(call, "$skip", 0, Integer.MAX_VALUE);
            ObjectNode body = Json.object();
            body.put("@odata.context",
                    simulator.baseUrl() + "/v1.0/$metadata#users('" + encode(mailbox.upn) + "')/mailFolders");
            int end = Math.min(folders.size(), skip + top);
            if (end < folders.size()) {
                body.put("@odata.nextLink", simulator.baseUrl() + "/v1.0/users/" + mailbox.upn
                        + "/mailFolders?$top=" + top + "&$skip=" + end);
            }
            ArrayNode value = body.putArray("value");
            for (int i = Math.min(skip, folders.size()); i < end; i++) {
                value.add(folderJson(mailbox, folders.get(i)));
            }
            call.json(200, GRAPH_JSON, body);
            return;
        }
        String folderSegment = rest.get(1);
        if (rest.size() == 2) {
            requireMethod(call, "GET");
            requireRole(token, READ_ROLES);
            Mailbox mailbox = mailbox(token, user);
            Mailbox.Folder folder = folder(mailbox, folderSegment);
            ObjectNode body = Json.object();
            body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#users('" + encode(mailbox.upn)
                    + "')/mailFolders/$entity");
            body.setAll(folderJson(mailbox, folder));
            call.json(200, GRAPH_JSON, body);
            return;
        }
        String sub = rest.get(2).toLowerCase(Locale.ROOT);
        if (sub.equals("childfolders") && rest.size() == 3) {
            requireMethod(call, "GET", "POST");
            requireRole(token, call.method.equals("POST") ? WRITE_ROLES : READ_ROLES);
            Mailbox mailbox = mailbox(token, user);
            Mailbox.Folder folder = folder(mailbox, folderSegment);
            if (call.method.equals("POST")) {
                folderTree.create(call, mailbox, folder);
            } else {
                folderTree.children(call, mailbox, folder);
            }
            return;
        }
        if (!sub.equals("messages")) {
            throw GraphException.segmentNotFound(rest.get(2));
        }
        if (rest.size() == 3) {
            requireMethod(call, "GET");
            requireRole(token, READ_ROLES);
            Mailbox mailbox = mailbox(token, user);
            Mailbox.Folder folder = folder(mailbox, folderSegment);
            listMessages(call, mailbox, folder, folderSegment);
            return;
        }
        if (rest.size() == 4 && isDelta(rest.get(3))) {
            requireMethod(call, "GET");
            requireRole(token, READ_ROLES);
            Mailbox mailbox = mailbox(token, user);
            Mailbox.Folder folder = folder(mailbox, folderSegment);
            delta.handle(call, mailbox, folder);
            return;
        }
        if (rest.size() == 4) {
            requireMethod(call, "GET");
            requireRole(token, READ_ROLES);
            Mailbox mailbox = mailbox(token, user);
            Mailbox.Folder folder = folder(mailbox, folderSegment);
            getMessage(call, mailbox, rest.get(3), folder);
            return;
        }
        throw GraphException.segmentNotFound(rest.get(rest.size() - 1));
    }

    static ObjectNode folderJson(Mailbox mailbox, Mailbox.Folder folder) {
        ObjectNode json = Json.object();
        json.put("id", folder.id());
        json.put("displayName", folder.displayName());
        json.put("parentFolderId", folder.parentFolderId());
        json.put("childFolderCount", mailbox.children(folder.id()).size());
        json.put("unreadItemCount", mailbox.unreadCount(folder.id()));
        json.put("totalItemCount", mailbox.totalCount(folder.id()));
        json.put("isHidden", false);
        return json;
    }

    // ---------------------------------------------------------------- messages

    private void messages(HttpCall call, SimulatorState.AccessToken token, String user, List<String> rest) {
        if (rest.size() == 1 && call.method.equals("POST")) {
            requireRole(token, WRITE_ROLES);
            mailActions.createDraft(call, mailbox(token, user));
            return;
        }
        if (rest.size() == 1) {
            requireMethod(call, "GET");
            requireRole(token, READ_ROLES);
            listMessages(call, mailbox(token, user), null, null);
            return;
        }
        String id = rest.get(1);
        if (isDelta(id)) {
            requireRole(token, READ_ROLES);
            throw GraphException.badRequest("Change tracking is not supported against 'microsoft.graph.message'."
                    + " Use /mailFolders/{id}/messages/delta.");
        }
        if (rest.size() == 2) {
            switch (call.method) {
                case "GET":
                    requireRole(token, READ_ROLES);
                    getMessage(call, mailbox(token, user), id, null);
                    return;
                case "PATCH":
                    requireRole(token, WRITE_ROLES);
                    patchMessage(call, mailbox(token, user), id);
                    return;
                case "DELETE":
                    requireRole(token, WRITE_ROLES);
                    deleteMessage(call, mailbox(token, user), id);
                    return;
                default:
                    throw GraphException.methodNotAllowed(call.method);
            }
        }
        String action = rest.get(2).toLowerCase(Locale.ROOT);
        if (rest.size() == 3 && (action.equals("move") || action.equals("microsoft.graph.move"))) {
            requireMethod(call, "POST");
            requireRole(token, WRITE_ROLES);
            moveMessage(call, mailbox(token, user), id);
            return;
        }
        if (MailAttachments.handles(call, action, rest)) {
            attachments.handle(call, token, mailbox(token, user), id, rest.subList(2, rest.size()));
            return;
        }
        if (rest.size() >= 3 && mailActions.handles(action)) {
            mailActions.handle(call, token, mailbox(token, user), id, action, rest.subList(3, rest.size()));
            return;
        }
        if (rest.size() == 3 && action.equals("attachments")) {
            requireMethod(call, "GET");
            requireRole(token, READ_ROLES);
            listAttachments(call, mailbox(token, user), id);
            return;
        }
        throw GraphException.segmentNotFound(rest.get(rest.size() - 1));
    }

    private void listMessages(HttpCall call, Mailbox mailbox, Mailbox.Folder folder, String folderSegment) {
        List<String> select = Messages.parseSelect(call.param("$select"));
        MessageFilter filter = MessageFilter.parse(call.param("$filter"), false);
        MessageSearch search = MessageSearch.parse(call.param("$search"));
        if (search != null && (filter != null || call.param("$orderby") != null)) {
            throw new GraphException(400, "ErrorInvalidUrlQuery",
                    "The query parameter '$search' cannot be combined with '$filter' or '$orderby'.");
        }
        int top = call.param("$top") == null ? 10 : intParam(call, "$top", 1, 1000);
        int skip = call.param("$skip") == null ? 0 : intParam(call, "$skip", 0, Integer.MAX_VALUE);
        Comparator<Mailbox.StoredMessage> order = order(call.param("$orderby"));
        String bodyType = Messages.bodyPreference(call.headerValues("Prefer"));

        ObjectNode body = Json.object();
        String context = simulator.baseUrl() + "/v1.0/$metadata#users('" + encode(mailbox.upn) + "')"
                + (folder == null ? "" : "/mailFolders('" + folderSegment + "')") + "/messages"
                + (select == null ? "" : "(" + String.join(",", select) + ")");
        body.put("@odata.context", context);
        List<ObjectNode> page = new ArrayList<>();
        int total;
        synchronized (mailbox) {
            List<Mailbox.StoredMessage> list = new ArrayList<>();
            for (Mailbox.StoredMessage m : mailbox.inFolder(folder == null ? null : folder.id())) {
                if ((filter == null || filter.test(m.json)) && (search == null || search.test(m.json))) {
                    list.add(m);
                }
            }
            list.sort(order);
            total = list.size();
            for (int i = Math.min(skip, total); i < Math.min(total, skip + top); i++) {
                page.add(Messages.render(list.get(i).json, select, false, bodyType));
            }
        }
        if (skip + top < total) {
            Map<String, String> next = new LinkedHashMap<>();
            if (call.param("$select") != null) {
                next.put("$select", call.param("$select"));
            }
            if (call.param("$filter") != null) {
                next.put("$filter", call.param("$filter"));
            }
            if (call.param("$orderby") != null) {
                next.put("$orderby", call.param("$orderby"));
            }
            if (search != null) {
                next.put("$search", call.param("$search"));
            }
            next.put("$top", Integer.toString(top));
            next.put("$skip", Integer.toString(skip + top));
            StringBuilder link = new StringBuilder(simulator.baseUrl()).append("/v1.0/users/").append(mailbox.upn);
            if (folder != null) {
                link.append("/mailFolders/").append(folderSegment);
            }
            link.append("/messages?");
            List<String> parts = new ArrayList<>();
            next.forEach((k, v) -> parts.add(k + "=" + encode(v)));
            link.append(String.join("&", parts));
            body.put("@odata.nextLink", link.toString());
        }
        if ("true".equalsIgnoreCase(call.param("$count"))) {
            body.put("@odata.count", total);
        }
        ArrayNode value = body.putArray("value");
        page.forEach(value::add);
        if (bodyType != null) {
            call.setHeader("Preference-Applied", "outlook.body-content-type=\"" + bodyType + "\"");
        }
        call.json(200, GRAPH_JSON, body);
    }

    private static Comparator<Mailbox.StoredMessage> order(String orderBy) {
        Comparator<Mailbox.StoredMessage> newestFirst = Mailbox.OLDEST_FIRST.reversed();
        if (orderBy == null || orderBy.isBlank()) {
            return newestFirst;
        }
        String[] parts = orderBy.trim().split("\\s+");
        if (parts.length > 2) {
            throw GraphException.badRequest("The $orderby expression '" + orderBy + "' is not supported.");
        }
        boolean desc = parts.length == 2 && parts[1].equalsIgnoreCase("desc");
        if (parts.length == 2 && !desc && !parts[1].equalsIgnoreCase("asc")) {
            throw GraphException.badRequest("The $orderby expression '" + orderBy + "' is not supported.");
        }
        String property = null;
        for (String candidate : List.of("receivedDateTime", "sentDateTime", "createdDateTime",
                "lastModifiedDateTime", "subject", "importance")) {
            if (candidate.equalsIgnoreCase(parts[0])) {
                property = candidate;
            }
        }
        if (property == null) {
            throw GraphException.badRequest("The $orderby expression '" + orderBy + "' is not supported.");
        }
        String p = property;
        Comparator<Mailbox.StoredMessage> comparator = Comparator.comparing(
                (Mailbox.StoredMessage m) -> m.json.path(p).asText(""), String.CASE_INSENSITIVE_ORDER)
                .thenComparingLong(m -> m.order);
        return desc ? comparator.reversed() : comparator;
    }

    private void getMessage(HttpCall call, Mailbox mailbox, String id, Mailbox.Folder folder) {
        List<String> select = Messages.parseSelect(call.param("$select"));
        String bodyType = Messages.bodyPreference(call.headerValues("Prefer"));
        ObjectNode rendered;
        ObjectNode stored;
        synchronized (mailbox) {
            Mailbox.StoredMessage message = mailbox.get(id);
            if (message == null || (folder != null && !message.folderId.equals(folder.id()))) {
                throw GraphException.itemNotFound();
            }
            rendered = Messages.render(message.json, select, false, bodyType);
            stored = message.json.deepCopy();
        }
        ObjectNode body = Json.object();
        body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#users('" + encode(mailbox.upn)
                + "')/messages" + (select == null ? "" : "(" + String.join(",", select) + ")") + "/$entity");
        body.setAll(rendered);
        calendar.expandEvent(call, stored, body);
        if (bodyType != null) {
            call.setHeader("Preference-Applied", "outlook.body-content-type=\"" + bodyType + "\"");
        }
        call.json(200, GRAPH_JSON, body);
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

    private void patchMessage(HttpCall call, Mailbox mailbox, String id) {
        ObjectNode patch = requireObject(call);
        Map<String, JsonNode> changes = new LinkedHashMap<>();
        var fields = patch.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            String name = field.getKey();
            if (name.startsWith("@odata.")) {
                continue;
            }
            String canonical = null;
            for (String p : Messages.DEFAULT_PROPERTIES) {
                if (p.equals(name)) {
                    canonical = p;
                }
            }
            if (canonical == null) {
                throw new GraphException(400, "RequestBodyRead", "The property '" + name + "' does not exist on type"
                        + " 'microsoft.graph.message'. Make sure to only use property names that are defined by the"
                        + " type or mark the type as open type.");
            }
            if (!PATCHABLE.contains(canonical)) {
                throw new GraphException(400, "ErrorInvalidPropertyRequest",
                        "The property '" + canonical + "' is read-only and cannot be set.");
            }
            changes.put(canonical, validatePatchValue(canonical, field.getValue()));
        }
        String bodyType = Messages.bodyPreference(call.headerValues("Prefer"));
        ObjectNode rendered;
        synchronized (mailbox) {
            Mailbox.StoredMessage existing = mailbox.get(id);
            if (existing == null) {
                throw GraphException.itemNotFound();
            }
            boolean draft = existing.json.path("isDraft").asBoolean();
            Mailbox.StoredMessage message = mailbox.update(id, json -> changes.forEach((name, value) -> {
                if (DRAFT_ONLY.contains(name) && !draft) {
                    return;
                }
                json.set(name, value);
                if (name.equals("body")) {
                    json.put("bodyPreview", Messages.bodyPreview(value.path("contentType").asText(),
                            value.path("content").asText()));
                }
            }));
            rendered = Messages.render(message.json, null, false, bodyType);
        }
        ObjectNode body = Json.object();
        body.put("@odata.context",
                simulator.baseUrl() + "/v1.0/$metadata#users('" + encode(mailbox.upn) + "')/messages/$entity");
        body.setAll(rendered);
        call.json(200, GRAPH_JSON, body);
    }

    static JsonNode validatePatchValue(String name, JsonNode value) {
        switch (name) {
            case "isRead":
            case "isDeliveryReceiptRequested":
            case "isReadReceiptRequested":
                if (!value.isBoolean()) {
                    throw invalidValue(name, value);
                }
                return value;
            case "categories": {
                if (!value.isArray()) {
                    throw invalidValue(name, value);
                }
                for (JsonNode c : value) {
                    if (!c.isTextual()) {
                        throw invalidValue(name, value);
                    }
                }
                return value;
            }
            case "importance": {
                String s = value.asText("").toLowerCase(Locale.ROOT);
                if (!value.isTextual() || !Set.of("low", "normal", "high").contains(s)) {
                    throw invalidValue(name, value);
                }
                return Json.MAPPER.getNodeFactory().textNode(s);
            }
            case "inferenceClassification": {
                String s = value.asText("").toLowerCase(Locale.ROOT);
                if (!value.isTextual() || !Set.of("focused", "other").contains(s)) {
                    throw invalidValue(name, value);
                }
                return Json.MAPPER.getNodeFactory().textNode(s);
            }
            case "flag": {
                if (!value.isObject()) {
                    throw invalidValue(name, value);
                }
                ObjectNode flag = value.deepCopy();
                String status = flag.path("flagStatus").asText("notFlagged");
                String canonical = null;
                for (String s : List.of("notFlagged", "complete", "flagged")) {
                    if (s.equalsIgnoreCase(status)) {
                        canonical = s;
                    }
                }
                if (canonical == null) {
                    throw invalidValue("flagStatus", flag.path("flagStatus"));
                }
                flag.put("flagStatus", canonical);
                return flag;
            }
            case "subject":
                if (!value.isTextual()) {
                    throw invalidValue(name, value);
                }
                return value;
            case "body":
                return itemBody(value);
            default:
                return recipients(name, value);
        }
    }

    static GraphException invalidValue(String name, JsonNode value) {
        return new GraphException(400, "RequestBodyRead",
                "Cannot convert the literal '" + value + "' to the expected type of property '" + name + "'.");
    }

    static ObjectNode itemBody(JsonNode value) {
        if (value == null || value.isNull()) {
            ObjectNode empty = Json.object();
            empty.put("contentType", "text");
            empty.put("content", "");
            return empty;
        }
        if (!value.isObject()) {
            throw invalidValue("body", value);
        }
        String contentType = value.path("contentType").asText("text").toLowerCase(Locale.ROOT);
        if (!contentType.equals("text") && !contentType.equals("html")) {
            throw new GraphException(400, "RequestBodyRead",
                    "Requested value '" + value.path("contentType").asText() + "' was not found.");
        }
        ObjectNode body = Json.object();
        body.put("contentType", contentType);
        body.put("content", value.path("content").asText(""));
        return body;
    }

    /** Validates a recipient collection; answers ErrorInvalidRecipients for an address that is not an address. */
    ArrayNode recipientsResolved(String name, JsonNode value) {
        ArrayNode recipients = recipients(name, value);
        for (JsonNode r : recipients) {
            ObjectNode emailAddress = (ObjectNode) r.get("emailAddress");
            String address = emailAddress.path("address").asText();
            if (!emailAddress.hasNonNull("name") || emailAddress.path("name").asText().isBlank()) {
                Mailbox known = state.mailbox(address);
                emailAddress.put("name", known != null ? known.displayName : address);
            }
        }
        return recipients;
    }

    private static ArrayNode recipients(String name, JsonNode value) {
        ArrayNode out = Json.array();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isArray()) {
            throw invalidValue(name, value);
        }
        for (JsonNode r : value) {
            JsonNode emailAddress = r.path("emailAddress");
            if (!emailAddress.isObject()) {
                throw invalidValue(name, value);
            }
            String address = emailAddress.path("address").asText("").trim();
            if (!EMAIL.matcher(address).matches()) {
                throw new GraphException(400, "ErrorInvalidRecipients", "At least one recipient isn't valid.,"
                        + " Recipient '" + address + "' isn't resolved. All recipients must be resolved before a"
                        + " message can be submitted.");
            }
            ObjectNode recipient = out.addObject();
            ObjectNode address2 = recipient.putObject("emailAddress");
            if (emailAddress.hasNonNull("name")) {
                address2.put("name", emailAddress.get("name").asText());
            }
            address2.put("address", address);
        }
        return out;
    }

    private void deleteMessage(HttpCall call, Mailbox mailbox, String id) {
        synchronized (mailbox) {
            Mailbox.StoredMessage message = mailbox.get(id);
            if (message == null) {
                throw GraphException.itemNotFound();
            }
            Mailbox.Folder deletedItems = mailbox.folder("deleteditems");
            if (message.folderId.equals(deletedItems.id())) {
                mailbox.delete(id);
            } else {
                mailbox.move(id, deletedItems, true);
            }
        }
        call.empty(204);
    }

    private void moveMessage(HttpCall call, Mailbox mailbox, String id) {
        ObjectNode request = requireObject(call);
        String destinationId = Json.text(request, "destinationId");
        if (destinationId == null || destinationId.isBlank()) {
            throw new GraphException(400, "ErrorInvalidRequest", "The destinationId parameter is missing.");
        }
        ObjectNode rendered;
        synchronized (mailbox) {
            Mailbox.StoredMessage message = mailbox.get(id);
            if (message == null) {
                throw GraphException.itemNotFound();
            }
            Mailbox.Folder destination = folder(mailbox, destinationId);
            Mailbox.StoredMessage moved = mailbox.move(id, destination, true);
            rendered = Messages.render(moved.json, null, false, null);
        }
        ObjectNode body = Json.object();
        body.put("@odata.context",
                simulator.baseUrl() + "/v1.0/$metadata#users('" + encode(mailbox.upn) + "')/messages/$entity");
        body.setAll(rendered);
        call.json(201, GRAPH_JSON, body);
    }

    private void listAttachments(HttpCall call, Mailbox mailbox, String id) {
        ObjectNode body = Json.object();
        body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#users('" + encode(mailbox.upn)
                + "')/messages('" + id + "')/attachments");
        ArrayNode value = body.putArray("value");
        synchronized (mailbox) {
            Mailbox.StoredMessage message = mailbox.get(id);
            if (message == null) {
                throw GraphException.itemNotFound();
            }
            if (message.attachments != null) {
                String select = call.param("$select");
                for (JsonNode a : message.attachments) {
                    if (select == null || select.isBlank()) {
                        value.add(a.deepCopy());
                        continue;
                    }
                    // $select as in Graph: the type and id always, contentBytes only when asked for
                    ObjectNode picked = value.addObject();
                    picked.set("@odata.type", a.get("@odata.type"));
                    picked.set("id", a.get("id"));
                    for (String field : select.split(",")) {
                        if (a.has(field.trim())) {
                            picked.set(field.trim(), a.get(field.trim()).deepCopy());
                        }
                    }
                }
            }
        }
        call.json(200, GRAPH_JSON, body);
    }

    // ---------------------------------------------------------------- sendMail

    private void sendMail(HttpCall call, Mailbox sender) {
        ObjectNode request = requireObject(call);
        JsonNode message = request.get("message");
        if (message == null || message.isNull()) {
            throw new GraphException(400, "ErrorInvalidRequest", "The message parameter is missing.");
        }
        if (!message.isObject()) {
            throw new GraphException(400, "RequestBodyRead", "The value of the message parameter must be an object.");
        }
        boolean saveToSentItems = true;
        JsonNode save = request.get("saveToSentItems");
        if (save != null && !save.isNull()) {
            if (save.isBoolean()) {
                saveToSentItems = save.asBoolean();
            } else if (save.isTextual() && (save.asText().equalsIgnoreCase("true")
                    || save.asText().equalsIgnoreCase("false"))) {
                saveToSentItems = Boolean.parseBoolean(save.asText().toLowerCase(Locale.ROOT));
            } else {
                throw invalidValue("saveToSentItems", save);
            }
        }
        ObjectNode content = outgoing(sender, message);
        ArrayNode bcc = recipientsResolved("bccRecipients", message.get("bccRecipients"));
        requireRecipients(content, bcc);
        deliver(sender, content, bcc, attachments(message.get("attachments")), saveToSentItems);
        call.empty(202);
    }

    static void requireRecipients(ObjectNode content, ArrayNode bcc) {
        if (content.path("toRecipients").isEmpty() && content.path("ccRecipients").isEmpty() && bcc.isEmpty()) {
            throw new GraphException(400, "ErrorInvalidRecipients",
                    "At least one recipient isn't valid., A message can't be sent because it contains no recipients.");
        }
    }

    /**
     * The stored form of a message {@code sender} writes (validated): subject, body, recipients (bcc left empty),
     * importance, categories, times, ids.
     */
    ObjectNode outgoing(Mailbox sender, JsonNode message) {
        ArrayNode to = recipientsResolved("toRecipients", message.get("toRecipients"));
        ArrayNode cc = recipientsResolved("ccRecipients", message.get("ccRecipients"));
        ArrayNode replyTo = recipientsResolved("replyTo", message.get("replyTo"));
        ObjectNode itemBody = itemBody(message.get("body"));
        String subject = message.hasNonNull("subject") ? message.get("subject").asText() : "";
        String importance = "normal";
        if (message.hasNonNull("importance")) {
            importance = validatePatchValue("importance", message.get("importance")).asText();
        }
        ArrayNode categories = Json.array();
        if (message.hasNonNull("categories")) {
            validatePatchValue("categories", message.get("categories")).forEach(categories::add);
        }
        String now = Json.graphTime(Instant.now());
        ObjectNode content = Json.object();
        content.set("categories", categories);
        content.put("receivedDateTime", now);
        content.put("sentDateTime", now);
        content.put("internetMessageId", Ids.internetMessageId());
        content.put("subject", subject);
        content.put("bodyPreview", Messages.bodyPreview(itemBody.get("contentType").asText(),
                itemBody.get("content").asText()));
        content.put("importance", importance);
        content.put("conversationId", Ids.conversationId());
        content.put("conversationIndex", Ids.conversationIndex());
        content.put("isDeliveryReceiptRequested", message.path("isDeliveryReceiptRequested").asBoolean(false));
        content.put("isReadReceiptRequested", message.path("isReadReceiptRequested").asBoolean(false));
        content.put("isRead", false);
        content.put("isDraft", false);
        content.put("inferenceClassification", "focused");
        content.set("body", itemBody);
        content.set("sender", Messages.recipient(sender.address(), sender.displayName));
        content.set("from", Messages.recipient(sender.address(), sender.displayName));
        content.set("toRecipients", to);
        content.set("ccRecipients", cc);
        content.set("bccRecipients", Json.array());
        content.set("replyTo", replyTo);
        content.putObject("flag").put("flagStatus", "notFlagged");
        return content;
    }

    /**
     * Delivers a sent message to every simulated recipient's Inbox (once each) and, when asked, keeps a read copy with
     * the bcc list in the sender's Sent Items.
     */
    void deliver(Mailbox sender, ObjectNode content, ArrayNode bcc, ArrayNode attachments, boolean saveToSentItems) {
        Map<String, Mailbox> targets = new LinkedHashMap<>();
        for (JsonNode list : List.of(content.path("toRecipients"), content.path("ccRecipients"), bcc)) {
            for (JsonNode r : list) {
                String address = r.path("emailAddress").path("address").asText();
                Mailbox target = state.mailbox(address);
                if (target != null) {
                    targets.putIfAbsent(SimulatorState.key(target.upn), target);
                }
            }
        }
        for (Mailbox target : targets.values()) {
            target.insert(target.folder("inbox"), content, attachments == null ? null : attachments.deepCopy());
        }
        if (saveToSentItems) {
            ObjectNode sent = content.deepCopy();
            sent.put("isRead", true);
            sent.set("bccRecipients", bcc);
            sender.insert(sender.folder("sentitems"), sent, attachments == null ? null : attachments.deepCopy());
        }
    }

    static ArrayNode attachments(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw invalidValue("attachments", value);
        }
        if (value.isEmpty()) {
            return null;
        }
        ArrayNode out = Json.array();
        String now = Json.graphTime(Instant.now());
        for (JsonNode a : value) {
            String type = a.path("@odata.type").asText("");
            if (!type.equalsIgnoreCase("#microsoft.graph.fileAttachment")) {
                throw new GraphException(400, "ErrorInvalidRequest", "Only #microsoft.graph.fileAttachment"
                        + " attachments are supported by the simulator; got '" + type + "'.");
            }
            String name = a.path("name").asText("");
            String contentBytes = a.path("contentBytes").asText(null);
            if (contentBytes == null) {
                throw new GraphException(400, "ErrorInvalidRequest", "The attachment '" + name
                        + "' has no contentBytes.");
            }
            byte[] bytes;
            try {
                bytes = Base64.getMimeDecoder().decode(contentBytes);
            } catch (IllegalArgumentException e) {
                throw new GraphException(400, "RequestBodyRead",
                        "The attachment '" + name + "' has contentBytes that are not base64.");
            }
            String contentType = a.hasNonNull("contentType") ? a.get("contentType").asText()
                    : "application/octet-stream";
            ObjectNode attachment = out.addObject();
            attachment.put("@odata.type", "#microsoft.graph.fileAttachment");
            attachment.put("@odata.mediaContentType", contentType);
            attachment.put("id", "AAMkAG" + TlsMaterial.base64Url(Ids.random(30)) + "=");
            attachment.put("lastModifiedDateTime", now);
            attachment.put("name", name);
            attachment.put("contentType", contentType);
            attachment.put("size", bytes.length + 200);
            attachment.put("isInline", a.path("isInline").asBoolean(false));
            if (a.hasNonNull("contentId")) {
                attachment.put("contentId", a.get("contentId").asText());
            } else {
                attachment.putNull("contentId");
            }
            attachment.putNull("contentLocation");
            attachment.put("contentBytes", Base64.getEncoder().encodeToString(bytes));
        }
        return out;
    }
}

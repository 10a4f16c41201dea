package io.github.outlook365.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import static io.github.outlook365.simulator.GraphApi.GRAPH_JSON;
import static io.github.outlook365.simulator.GraphApi.READ_ROLES;
import static io.github.outlook365.simulator.GraphApi.WRITE_ROLES;
import static io.github.outlook365.simulator.GraphApi.encode;
import static io.github.outlook365.simulator.GraphApi.folder;
import static io.github.outlook365.simulator.GraphApi.intParam;
import static io.github.outlook365.simulator.GraphApi.isDelta;
import static io.github.outlook365.simulator.GraphApi.requireMethod;
import static io.github.outlook365.simulator.GraphApi.requireObject;
import static io.github.outlook365.simulator.GraphApi.requireRole;

/**
 * Microsoft Graph v1.0 messages of a mailbox: list (with $select, $filter, $search, $orderby, $top, $skip), get,
 * create a draft, update, delete, move, and the message actions and attachments (delegated to their classes); and
 * the rules Graph applies to a message's properties, which sendMail follows too.
 */
final class MessagesApi {

    private static final Set<String> PATCHABLE = Set.of("isRead", "categories", "flag", "importance",
            "inferenceClassification", "subject", "body", "toRecipients", "ccRecipients", "bccRecipients", "replyTo",
            "isDeliveryReceiptRequested", "isReadReceiptRequested");
    private static final Set<String> DRAFT_ONLY = Set.of("subject", "body", "toRecipients", "ccRecipients",
            "bccRecipients", "replyTo", "isDeliveryReceiptRequested", "isReadReceiptRequested");
    private static final Pattern EMAIL = Pattern.compile(
            "^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$");

    private final Outlook365Simulator simulator;
    private final GraphApi graph;
    private final MailActions mailActions;
    private final MailAttachments attachments;
    private final MeetingsApi meetings;

    MessagesApi(Outlook365Simulator simulator, GraphApi graph, MailActions mailActions, MailAttachments attachments,
                MeetingsApi meetings) {
        this.simulator = simulator;
        this.graph = graph;
        this.mailActions = mailActions;
        this.attachments = attachments;
        this.meetings = meetings;
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/user-post-messages (a draft),
    //   https://learn.microsoft.com/en-us/graph/api/user-list-messages,
    //   https://learn.microsoft.com/en-us/graph/api/message-get,
    //   https://learn.microsoft.com/en-us/graph/api/message-update,
    //   https://learn.microsoft.com/en-us/graph/api/message-delete,
    //   https://learn.microsoft.com/en-us/graph/api/message-move
    // observed: messages/delta without a folder answers 400 (delta is documented on a folder only)
    void handle(HttpCall call, SimulatorState.AccessToken token, String user, List<String> rest) {
        if (rest.size() == 1 && call.method.equals("POST")) {
            requireRole(token, WRITE_ROLES);
            mailActions.createDraft(call, graph.mailbox(token, user));
            return;
        }
        if (rest.size() == 1) {
            requireMethod(call, "GET");
            requireRole(token, READ_ROLES);
            listMessages(call, graph.mailbox(token, user), null, null);
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
                    getMessage(call, graph.mailbox(token, user), id, null);
                    return;
                case "PATCH":
                    requireRole(token, WRITE_ROLES);
                    patchMessage(call, graph.mailbox(token, user), id);
                    return;
                case "DELETE":
                    requireRole(token, WRITE_ROLES);
                    deleteMessage(call, graph.mailbox(token, user), id);
                    return;
                default:
                    throw GraphException.methodNotAllowed(call.method);
            }
        }
        String action = rest.get(2).toLowerCase(Locale.ROOT);
        if (rest.size() == 3 && (action.equals("move") || action.equals("microsoft.graph.move"))) {
            requireMethod(call, "POST");
            requireRole(token, WRITE_ROLES);
            moveMessage(call, graph.mailbox(token, user), id);
            return;
        }
        if (MailAttachments.handles(call, action, rest)) {
            attachments.handle(call, token, graph.mailbox(token, user), id, rest.subList(2, rest.size()));
            return;
        }
        if (rest.size() >= 3 && mailActions.handles(action)) {
            mailActions.handle(call, token, graph.mailbox(token, user), id, action, rest.subList(3, rest.size()));
            return;
        }
        if (rest.size() == 3 && action.equals("attachments")) {
            requireMethod(call, "GET");
            requireRole(token, READ_ROLES);
            listAttachments(call, graph.mailbox(token, user), id);
            return;
        }
        throw GraphException.segmentNotFound(rest.get(rest.size() - 1));
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/user-list-messages (newest first, 10 a page unless $top),
    //   https://learn.microsoft.com/en-us/graph/query-parameters
    // docs: https://learn.microsoft.com/en-us/graph/search-query-parameter ($search takes no $filter or $orderby)
    // docs: https://learn.microsoft.com/en-us/graph/api/message-get (Prefer: outlook.body-content-type, answered with
    //   Preference-Applied)
    void listMessages(HttpCall call, Mailbox mailbox, Mailbox.Folder folder, String folderSegment) {
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
        int total = -1;
        boolean more;
        boolean counted = "true".equalsIgnoreCase(call.param("$count"));
        synchronized (mailbox) {
            Boolean byReceived = orderedByReceived(call.param("$orderby"));
            if (folder != null && search == null && byReceived != null && !counted) {
                // a folder by receivedDateTime: walk its index from the filter's start, a page's worth (a large
                // folder read page by page costs each page, not the folder)
                Instant from = filter == null ? null : filter.receivedFrom();
                NavigableSet<Mailbox.StoredMessage> index = mailbox.folderFrom(folder.id(), byReceived ? from : null);
                int matched = 0;
                more = false;
                for (Mailbox.StoredMessage m : byReceived ? index : index.descendingSet()) {
                    if (!byReceived && from != null && m.received().isBefore(from)) {
                        break;
                    }
                    if (filter != null && !filter.test(m.json)) {
                        continue;
                    }
                    if (matched >= skip + top) {
                        more = true;
                        break;
                    }
                    if (matched >= skip) {
                        page.add(Messages.render(m.json, select, false, bodyType));
                    }
                    matched++;
                }
            } else {
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
                more = skip + top < total;
            }
        }
        if (more) {
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
        if (counted) {
            body.put("@odata.count", total);
        }
        ArrayNode value = body.putArray("value");
        page.forEach(value::add);
        if (bodyType != null) {
            call.setHeader("Preference-Applied", "outlook.body-content-type=\"" + bodyType + "\"");
        }
        call.json(200, GRAPH_JSON, body);
    }

    /** True for oldest first, false for newest first (also Graph's default), null for another order. */
    private static Boolean orderedByReceived(String orderBy) {
        if (orderBy == null || orderBy.isBlank()) {
            return false;
        }
        String[] parts = orderBy.trim().split("\\s+");
        if (parts.length > 2 || !parts[0].equalsIgnoreCase("receivedDateTime")) {
            return null;
        }
        return parts.length == 1 || parts[1].equalsIgnoreCase("asc") ? Boolean.TRUE
                : parts[1].equalsIgnoreCase("desc") ? Boolean.FALSE : null;
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

    // docs: https://learn.microsoft.com/en-us/graph/api/message-get ($select, Prefer: outlook.body-content-type),
    //   https://learn.microsoft.com/en-us/graph/api/eventmessage-get ($expand)
    void getMessage(HttpCall call, Mailbox mailbox, String id, Mailbox.Folder folder) {
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
        meetings.expandEvent(call, stored, body);
        if (bodyType != null) {
            call.setHeader("Preference-Applied", "outlook.body-content-type=\"" + bodyType + "\"");
        }
        call.json(200, GRAPH_JSON, body);
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/message-update (which properties change, and subject, body and
    //   recipients of drafts only)
    // observed: the codes and messages of an unknown or read-only property
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

    // docs: https://learn.microsoft.com/en-us/graph/api/message-delete
    // observed: Exchange moves the message to Deleted Items, and removes it there
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

    // docs: https://learn.microsoft.com/en-us/graph/api/message-move (201, the moved message with a new id)
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

    // docs: https://learn.microsoft.com/en-us/graph/api/message-list-attachments
    // observed: with $select, the type and id always and contentBytes only when asked for
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

    // docs: the properties of https://learn.microsoft.com/en-us/graph/api/resources/message
    // observed: the RequestBodyRead messages of a value of the wrong type
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

    // observed: ErrorInvalidRecipients for an address that is no address
    static ArrayNode recipients(String name, JsonNode value) {
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
}

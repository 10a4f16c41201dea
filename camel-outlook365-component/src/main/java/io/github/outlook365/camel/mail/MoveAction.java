package io.github.outlook365.camel.mail;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.model.Message;

/**
 * {@code outlook365:mail/move}, {@code mail/copy} and {@code mail/archive}: {@code POST /messages/{id}/move|copy}
 * with {@code {"destinationId": ...}}. Graph gives the moved or copied message a new id: the body becomes that
 * {@link Message} and header CamelOutlook365MessageId its id.
 */
final class MoveAction implements BatchableAction {

    /** Names Graph accepts as destinationId as they are. */
    static final Set<String> WELL_KNOWN = Set.of("archive", "deleteditems", "drafts", "inbox", "junkemail", "outbox",
            "sentitems", "clutter", "conversationhistory", "recoverableitemsdeletions", "scheduled", "searchfolders",
            "syncissues", "msgfolderroot");

    private final String graphAction;
    private final String fixedDestination;
    /** Display-name paths resolved at most, per endpoint: a route on many mailboxes resolves a path in each. */
    static final int RESOLVED_KEPT = 1_000;

    // display-name paths resolved once per endpoint and mailbox (a folder's id is its mailbox's own), the least
    // recently used forgotten first; ids and well-known names need no lookup
    private final Map<String, String> resolved = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > RESOLVED_KEPT;
                }
            });

    /** @param fixedDestination the destination of archive; null to read it from header or option */
    MoveAction(String graphAction, String fixedDestination) {
        this.graphAction = graphAction;
        this.fixedDestination = fixedDestination;
    }

    @Override
    public void validate(Outlook365Endpoint endpoint) {
        if (fixedDestination != null && endpoint.getConfiguration().getDestinationFolder() != null) {
            throw new IllegalArgumentException("outlook365:mail/archive always moves to the Archive folder: remove option"
                                               + " destinationFolder, or use outlook365:mail/move");
        }
    }

    @Override
    public void processOne(ActionExchange call) {
        String id = call.messageId();
        Message moved = Message.fromGraph(call.send("POST", call.connection().messagePath(id) + "/" + graphAction,
                destinationBody(call)).body());
        call.message().setBody(moved);
        call.message().setHeader(Outlook365Constants.MESSAGE_ID, moved.id());
    }

    @Override
    public Request request(ActionExchange call, String messageId) {
        return new Request("POST", BatchableAction.batchPath(call.connection(), messageId) + "/" + graphAction,
                destinationBody(call));
    }

    /** {@code {"destinationId": ...}}. */
    private ObjectNode destinationBody(ActionExchange call) {
        return GraphJson.MAPPER.createObjectNode().put("destinationId", destinationId(call, destination(call)));
    }

    private String destination(ActionExchange call) {
        String destination = fixedDestination != null ? fixedDestination
                : call.value(Outlook365Constants.DESTINATION_FOLDER, null, "destinationFolder",
                        call.configuration().getDestinationFolder());
        if (destination == null) {
            throw new IllegalArgumentException(call.action() + " needs a destination folder: set header "
                                               + Outlook365Constants.DESTINATION_FOLDER + " or the option"
                                               + " destinationFolder (a well-known name, a path such as Inbox/Invoices,"
                                               + " or a folder id)");
        }
        return destination.trim();
    }

    private String destinationId(ActionExchange call, String destination) {
        if (WELL_KNOWN.contains(destination.toLowerCase(Locale.ROOT))) {
            return destination.toLowerCase(Locale.ROOT);
        }
        String key = String.valueOf(call.connection().account()).toLowerCase(Locale.ROOT) + "|" + destination;
        String id = resolved.get(key);
        if (id == null) {
            // resolved outside the map's lock: a lookup is a Graph round trip
            id = MailFolders.resolveId(call.connection(), destination,
                    fixedDestination != null ? "archive folder" : "destination folder");
            resolved.put(key, id);
        }
        return id;
    }
}

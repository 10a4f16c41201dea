package io.github.outlook365.camel.mail;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
    // display-name paths resolved once per endpoint; ids and well-known names need no lookup
    private final Map<String, String> resolved = new ConcurrentHashMap<>();

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
        return resolved.computeIfAbsent(destination,
                d -> MailFolders.resolveId(call.connection(), d,
                        fixedDestination != null ? "archive folder" : "destination folder"));
    }
}

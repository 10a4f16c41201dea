package io.github.outlook365.camel.calendar;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.model.Recipient;
import org.apache.camel.Exchange;

/**
 * {@code outlook365:calendar/forwardEvent}: {@code POST /users/{account}/events/{id}/forward {"toRecipients",
 * "comment"}}. Recipients from header CamelOutlook365To (addresses separated by ;) or the to option; the comment from
 * header CamelOutlook365Comment, a text body or the comment option.
 */
final class ForwardEventProducer extends CalendarProducer {

    ForwardEventProducer(Outlook365Endpoint endpoint) {
        super(endpoint, "forwardEvent");
    }

    @Override
    protected void handle(Exchange exchange) {
        String id = eventId(exchange);
        String to = exchange.getMessage().getHeader(Outlook365Constants.TO, String.class);
        String what = "header " + Outlook365Constants.TO;
        if (to == null && exchange.getMessage().getBody() instanceof Map<?, ?> map && map.get("to") != null) {
            to = String.valueOf(map.get("to"));
            what = "body key to";
        }
        if (to == null) {
            to = configuration.getTo();
            what = "option to";
        }
        List<Recipient> recipients = Recipient.parseList(to, what);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException(operation + " has no recipient: set header " + Outlook365Constants.TO
                                               + " or the to option");
        }
        String comment = exchange.getMessage().getHeader(Outlook365Constants.COMMENT, String.class);
        if (comment == null && exchange.getMessage().getBody() instanceof String text && !text.isBlank()) {
            comment = text;
        }
        if (comment == null) {
            comment = configuration.getComment();
        }
        ObjectNode body = GraphJson.MAPPER.createObjectNode();
        body.set("toRecipients", GraphJson.MAPPER.valueToTree(recipients));
        if (comment != null) {
            body.put("comment", comment);
        }
        call(request("POST", eventPath(id) + "/forward", json(body)), id, "forward events of");
    }
}

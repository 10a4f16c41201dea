package io.github.outlook365.camel.calendar;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.model.Event;
import org.apache.camel.Exchange;

/**
 * {@code outlook365:calendar/updateEvent}: {@code PATCH /users/{account}/events/{id}} with the properties the body
 * gives (only those change; an occurrence's id changes that occurrence alone). The body becomes the updated event.
 */
final class UpdateEventProducer extends CalendarProducer {

    UpdateEventProducer(Outlook365Endpoint endpoint) {
        super(endpoint, "updateEvent");
    }

    @Override
    protected void handle(Exchange exchange) {
        String id = eventId(exchange);
        ObjectNode patch = EventInput.read(exchange, false, timeZone, operation);
        if (patch.isEmpty()) {
            throw new IllegalArgumentException(operation + " has nothing to change: give the properties to change in the"
                                               + " body (a Map or an Event)");
        }
        exchange.getMessage().setBody(Event.fromGraph(call(request("PATCH", eventPath(id), json(patch)), id,
                "change events in")));
    }
}

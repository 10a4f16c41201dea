package io.github.outlook365.camel.calendar;

import io.github.outlook365.camel.Outlook365Endpoint;
import org.apache.camel.Exchange;

/**
 * {@code outlook365:calendar/deleteEvent}: {@code DELETE /users/{account}/events/{id}}. A series master's id deletes
 * the series, an occurrence's id that occurrence. Organizers: Outlook sends the attendees a cancellation; use
 * cancelEvent to add a message.
 */
final class DeleteEventProducer extends CalendarProducer {

    DeleteEventProducer(Outlook365Endpoint endpoint) {
        super(endpoint, "deleteEvent");
    }

    @Override
    protected void handle(Exchange exchange) {
        String id = eventId(exchange);
        call(request("DELETE", eventPath(id), null), id, "delete events in");
    }
}

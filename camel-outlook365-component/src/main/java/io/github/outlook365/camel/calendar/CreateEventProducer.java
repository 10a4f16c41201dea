package io.github.outlook365.camel.calendar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.model.Event;
import org.apache.camel.Exchange;

/**
 * {@code outlook365:calendar/createEvent}: {@code POST /users/{account}/calendar/events} (or
 * {@code /calendars/{id}/events} for the calendar option). The body becomes the created {@link Event}; header
 * CamelOutlook365EventId its id.
 */
final class CreateEventProducer extends CalendarProducer {

    CreateEventProducer(Outlook365Endpoint endpoint) {
        super(endpoint, "createEvent");
    }

    @Override
    protected void handle(Exchange exchange) {
        ObjectNode event = EventInput.read(exchange, true, timeZone, operation);
        JsonNode created = call(request("POST", calendarPath() + "/events", json(event)), null, "create events in");
        Event result = Event.fromGraph(created);
        exchange.getMessage().setBody(result);
        exchange.getMessage().setHeader(Outlook365Constants.EVENT_ID, result.id());
    }
}

package io.github.outlook365.camel.calendar;

import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.model.Event;
import org.apache.camel.Exchange;

/** {@code outlook365:calendar/getEvent}: {@code GET /users/{account}/events/{id}}; the body becomes the {@link Event}. */
final class GetEventProducer extends CalendarProducer {

    GetEventProducer(Outlook365Endpoint endpoint) {
        super(endpoint, "getEvent");
    }

    @Override
    protected void handle(Exchange exchange) {
        String id = eventId(exchange);
        exchange.getMessage().setBody(Event.fromGraph(call(request("GET", eventPath(id), null), id, "read events of")));
    }
}

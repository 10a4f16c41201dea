package io.github.outlook365.camel.calendar;

import io.github.outlook365.camel.Outlook365Endpoint;
import org.apache.camel.Exchange;

/**
 * {@code outlook365:calendar/listCalendars}: {@code GET /users/{account}/calendars}, every page; the body becomes a
 * List of {@link io.github.outlook365.camel.model.Calendar}.
 */
final class ListCalendarsProducer extends CalendarProducer {

    ListCalendarsProducer(Outlook365Endpoint endpoint) {
        super(endpoint, "listCalendars");
    }

    @Override
    protected void handle(Exchange exchange) {
        exchange.getMessage().setBody(Calendars.list(connection));
    }
}

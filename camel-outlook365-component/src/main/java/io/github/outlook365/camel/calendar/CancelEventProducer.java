package io.github.outlook365.camel.calendar;

import java.util.Map;

import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import org.apache.camel.Exchange;

/**
 * {@code outlook365:calendar/cancelEvent}: {@code POST /users/{account}/events/{id}/cancel {"comment": ...}}. Only
 * the organizer can cancel; the attendees get the comment (header CamelOutlook365Comment, else a text body, else the
 * comment option).
 */
final class CancelEventProducer extends CalendarProducer {

    CancelEventProducer(Outlook365Endpoint endpoint) {
        super(endpoint, "cancelEvent");
    }

    @Override
    protected void handle(Exchange exchange) {
        String id = eventId(exchange);
        String comment = exchange.getMessage().getHeader(Outlook365Constants.COMMENT, String.class);
        if (comment == null && exchange.getMessage().getBody() instanceof String text && !text.isBlank()) {
            comment = text;
        }
        if (comment == null) {
            comment = configuration.getComment();
        }
        call(request("POST", eventPath(id) + "/cancel", json(Map.of("comment", comment == null ? "" : comment))), id,
                "cancel events in");
    }
}

package io.github.outlook365.camel.calendar;

import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Action;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.graph.Prefer;

/**
 * An {@code outlook365:calendar/<action>}: Graph answers with event times in the endpoint's {@code timeZone} (checked
 * when the route starts), date-times given without a zone take that zone, and refusals about an event are explained by
 * {@link Calendars}.
 */
interface CalendarAction extends Outlook365Action {

    @Override
    default String preference(Outlook365Configuration configuration) {
        return Prefer.timeZone(CalendarTimes.checkOption(configuration.getTimeZone()));
    }

    @Override
    default RuntimeException explain(GraphException e, ActionExchange exchange) {
        return Calendars.explain(e, exchange.connection().account(), exchange.knownEventId());
    }

    /** The timeZone option, checked; null for UTC. */
    static String timeZone(ActionExchange exchange) {
        return CalendarTimes.checkOption(exchange.configuration().getTimeZone());
    }
}

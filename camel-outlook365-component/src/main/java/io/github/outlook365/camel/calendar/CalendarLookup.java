package io.github.outlook365.camel.calendar;

import io.github.outlook365.camel.ActionExchange;

/**
 * The calendar the {@code calendar} option names, looked up once per endpoint at its first exchange (a calendar that
 * does not exist fails that exchange, with the mailbox's calendars in the message).
 */
final class CalendarLookup {

    private volatile String path;

    /** {@code /v1.0/users/{account}/calendar}, or {@code .../calendars/{id}} for the calendar option. */
    String path(ActionExchange exchange) {
        if (path == null) {
            path = exchange.connection().mailboxPath()
                   + Calendars.path(exchange.connection(), exchange.configuration().getCalendar());
        }
        return path;
    }
}

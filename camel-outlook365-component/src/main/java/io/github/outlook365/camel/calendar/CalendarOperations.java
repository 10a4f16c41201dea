package io.github.outlook365.camel.calendar;

import java.util.List;

import io.github.outlook365.camel.Outlook365Operation;

/**
 * The calendar triggers and actions.
 */
public final class CalendarOperations {

    public static final List<Outlook365Operation> OPERATIONS = List.of();

    private CalendarOperations() {
    }
}

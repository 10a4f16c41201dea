package io.github.outlook365.camel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.github.outlook365.camel.calendar.CalendarOperations;
import io.github.outlook365.camel.connection.ConnectionOperations;
import io.github.outlook365.camel.mail.MailOperations;

/**
 * Every trigger and action of the component, by {@code resource/action}. Each resource package contributes its list.
 */
public final class Outlook365Operations {

    private static final Map<String, Outlook365Operation> ALL = new LinkedHashMap<>();

    static {
        Stream.of(MailOperations.OPERATIONS,
                CalendarOperations.OPERATIONS,
                ConnectionOperations.OPERATIONS)
                .flatMap(List::stream)
                .forEach(op -> ALL.put(op.name(), op));
    }

    private Outlook365Operations() {
    }

    /** The operation, or null when there is none of that name. */
    public static Outlook365Operation find(String name) {
        return ALL.get(name);
    }

    /** Every {@code resource/action} name, in registration order. */
    public static java.util.Set<String> names() {
        return java.util.Collections.unmodifiableSet(ALL.keySet());
    }

    public static String triggers() {
        return names(true);
    }

    public static String actions() {
        return names(false);
    }

    private static String names(boolean triggers) {
        return ALL.values().stream().filter(op -> op.isTrigger() == triggers).map(Outlook365Operation::name)
                .collect(Collectors.toCollection(TreeSet::new)).toString();
    }
}

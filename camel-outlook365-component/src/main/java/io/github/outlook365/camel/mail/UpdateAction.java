package io.github.outlook365.camel.mail;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.graph.GraphRequest;
import io.github.outlook365.camel.model.FlagStatus;
import io.github.outlook365.camel.model.Message;

/**
 * The actions that change a message's properties with {@code PATCH /messages/{id}}: markRead, markUnread, flag,
 * setCategories. The body becomes the updated {@link Message}.
 */
final class UpdateAction implements BatchableAction {

    private static final DateTimeFormatter GRAPH_LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final Function<ActionExchange, ObjectNode> patch;
    private final Consumer<Outlook365Configuration> validation;

    private UpdateAction(Function<ActionExchange, ObjectNode> patch, Consumer<Outlook365Configuration> validation) {
        this.patch = patch;
        this.validation = validation;
    }

    static UpdateAction markRead(boolean read) {
        return new UpdateAction(call -> readPatch(read), c -> {
        });
    }

    /**
     * Marks one message read: what mail/markRead does, and what the mail triggers do after the route succeeded when
     * {@code markAsRead} is set.
     */
    static void markRead(Outlook365Connection connection, String messageId) {
        connection.graph().execute(new GraphRequest("PATCH", connection.messagePath(messageId), connection.account(),
                new LinkedHashMap<>(), readPatch(true).toString()));
    }

    private static ObjectNode readPatch(boolean read) {
        return GraphJson.MAPPER.createObjectNode().put("isRead", read);
    }

    /** {@code {"flag": {"flagStatus", "startDateTime", "dueDateTime"}}} with dateTimeTimeZone values in UTC. */
    static UpdateAction flag() {
        return new UpdateAction(UpdateAction::flagPatch, c -> {
            if (c.getDueDateTime() != null && !c.getDueDateTime().isBlank()) {
                dueDate(c.getDueDateTime(), "option dueDateTime");
            }
        });
    }

    static UpdateAction setCategories() {
        return new UpdateAction(call -> {
            ObjectNode patch = GraphJson.MAPPER.createObjectNode();
            ArrayNode list = patch.putArray("categories");
            categories(call).forEach(list::add);
            return patch;
        }, c -> {
        });
    }

    @Override
    public void validate(Outlook365Endpoint endpoint) {
        validation.accept(endpoint.getConfiguration());
    }

    @Override
    public void processOne(ActionExchange call) {
        String id = call.messageId();
        ObjectNode body = patch.apply(call);
        Message updated = Message.fromGraph(call.send("PATCH", call.connection().messagePath(id), body).body());
        call.message().setBody(updated);
    }

    @Override
    public Request request(ActionExchange call, String messageId) {
        return new Request("PATCH", BatchableAction.batchPath(call.connection(), messageId), patch.apply(call));
    }

    private static ObjectNode flagPatch(ActionExchange call) {
        FlagStatus status = call.configuration().getFlagStatus() == null ? FlagStatus.flagged
                : call.configuration().getFlagStatus();
        ObjectNode patch = GraphJson.MAPPER.createObjectNode();
        ObjectNode flag = patch.putObject("flag");
        flag.put("flagStatus", status.name());
        ActionExchange.Given due = call.given(Outlook365Constants.DUE_DATE_TIME, null, "dueDateTime",
                call.configuration().getDueDateTime());
        if (due != null && status == FlagStatus.flagged) {
            Instant dueAt = dueDate(due.value(), due.source());
            // Graph wants a start whenever a due date is set
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            flag.set("startDateTime", dateTimeTimeZone(start.isAfter(dueAt) ? dueAt : start));
            flag.set("dueDateTime", dateTimeTimeZone(dueAt));
        }
        if (status == FlagStatus.complete) {
            flag.set("completedDateTime", dateTimeTimeZone(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        }
        return patch;
    }

    private static ObjectNode dateTimeTimeZone(Instant instant) {
        ObjectNode node = GraphJson.MAPPER.createObjectNode();
        node.put("dateTime", GRAPH_LOCAL.format(instant.atOffset(ZoneOffset.UTC)));
        node.put("timeZone", "UTC");
        return node;
    }

    private static Instant dueDate(String value, String what) {
        String v = value.trim();
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDate.parse(v).atTime(17, 0).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                throw new IllegalArgumentException(what + "='" + value + "' is not a date: give an ISO-8601 date-time with"
                                                   + " offset (2026-02-01T17:00:00Z) or a date (2026-02-01)");
            }
        }
    }

    private static List<String> categories(ActionExchange call) {
        Object header = call.headerValue(Outlook365Constants.CATEGORIES);
        List<String> result = new ArrayList<>();
        if (header instanceof Collection<?> items) {
            items.forEach(i -> result.add(String.valueOf(i).trim()));
        } else if (header != null) {
            split(String.valueOf(header), result);
        } else if (call.configuration().getCategories() != null) {
            split(call.configuration().getCategories(), result);
        } else {
            throw new IllegalArgumentException("outlook365:mail/setCategories needs the categories: set header "
                                               + Outlook365Constants.CATEGORIES + " (a ; list, or a List: an empty List clears them)"
                                               + " or the option categories");
        }
        result.removeIf(String::isEmpty);
        return result;
    }

    private static void split(String list, List<String> into) {
        for (String s : list.split(";")) {
            into.add(s.trim());
        }
    }
}

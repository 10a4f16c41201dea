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
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.model.Message;

/**
 * The actions that change a message's properties with {@code PATCH /messages/{id}}: markRead, markUnread, flag,
 * setCategories. The body becomes the updated {@link Message}.
 */
final class UpdateAction implements BatchableAction {

    private static final DateTimeFormatter GRAPH_LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private final Function<MailCall, ObjectNode> patch;
    private final java.util.function.Consumer<Outlook365Configuration> validation;

    private UpdateAction(Function<MailCall, ObjectNode> patch, java.util.function.Consumer<Outlook365Configuration> validation) {
        this.patch = patch;
        this.validation = validation;
    }

    static UpdateAction markRead(boolean read) {
        return new UpdateAction(call -> GraphJson.MAPPER.createObjectNode().put("isRead", read), c -> {
        });
    }

    /** {@code {"flag": {"flagStatus", "startDateTime", "dueDateTime"}}} with dateTimeTimeZone values in UTC. */
    static UpdateAction flag() {
        return new UpdateAction(UpdateAction::flagPatch, c -> {
            flagStatus(c.getFlagStatus());
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
    public void validate(Outlook365Configuration configuration) {
        validation.accept(configuration);
    }

    @Override
    public void process(MailCall call) {
        String id = call.messageId();
        ObjectNode body = patch.apply(call);
        Message updated = Message.fromGraph(call.send("PATCH", call.messagePath(id), body).body());
        call.in().setBody(updated);
    }

    @Override
    public Request request(MailCall call, String messageId) {
        return new Request("PATCH", call.batchPath(messageId), patch.apply(call));
    }

    @Override
    public String permission() {
        return "Mail.ReadWrite";
    }

    private static ObjectNode flagPatch(MailCall call) {
        String status = flagStatus(call.configuration.getFlagStatus());
        ObjectNode patch = GraphJson.MAPPER.createObjectNode();
        ObjectNode flag = patch.putObject("flag");
        flag.put("flagStatus", status);
        String due = call.headerOrOption(Outlook365Constants.DUE_DATE_TIME, call.configuration.getDueDateTime());
        if (due != null && status.equals("flagged")) {
            Instant dueAt = dueDate(due, call.header(Outlook365Constants.DUE_DATE_TIME) != null
                    ? "header " + Outlook365Constants.DUE_DATE_TIME : "option dueDateTime");
            // Graph wants a start whenever a due date is set
            Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            flag.set("startDateTime", dateTimeTimeZone(start.isAfter(dueAt) ? dueAt : start));
            flag.set("dueDateTime", dateTimeTimeZone(dueAt));
        }
        if (status.equals("complete")) {
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

    private static String flagStatus(String value) {
        for (String s : List.of("flagged", "complete", "notFlagged")) {
            if (s.equalsIgnoreCase(value == null ? "" : value.trim())) {
                return s;
            }
        }
        throw new IllegalArgumentException("option flagStatus='" + value + "' is not known: use flagged, complete or"
                                           + " notFlagged");
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

    private static List<String> categories(MailCall call) {
        Object header = call.in().getHeader(Outlook365Constants.CATEGORIES);
        List<String> result = new ArrayList<>();
        if (header instanceof Collection<?> items) {
            items.forEach(i -> result.add(String.valueOf(i).trim()));
        } else if (header != null) {
            split(String.valueOf(header), result);
        } else if (call.configuration.getCategories() != null) {
            split(call.configuration.getCategories(), result);
        } else {
            throw new IllegalArgumentException("outlook365:mail/setCategories needs the categories: set header "
                                               + Outlook365Constants.CATEGORIES + " (a ; list or a List, empty to clear)"
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

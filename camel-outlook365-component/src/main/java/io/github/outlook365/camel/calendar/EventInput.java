package io.github.outlook365.camel.calendar;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.model.DateTimeTimeZone;
import io.github.outlook365.camel.model.Event;
import io.github.outlook365.camel.model.ItemBody;
import io.github.outlook365.camel.model.Recipient;

/**
 * Reads the event a route gives to createEvent or updateEvent (an {@link Event}, a Map of Graph's event properties or
 * short keys, or Graph's JSON) into a checked Graph request body. Every problem is reported before anything is sent.
 */
final class EventInput {

    private static final Set<String> SHOW_AS = Set.of("free", "tentative", "busy", "oof", "workingElsewhere", "unknown");
    private static final Set<String> SENSITIVITY = Set.of("normal", "personal", "private", "confidential");
    private static final Set<String> IMPORTANCE = Set.of("low", "normal", "high");
    private static final Set<String> ATTENDEE_TYPES = Set.of("required", "optional", "resource");

    private EventInput() {
    }

    /**
     * @param create true for createEvent (start and end required), false for updateEvent (only what is given changes)
     */
    static ObjectNode read(ActionExchange call, boolean create) {
        String zone = CalendarAction.timeZone(call);
        String operation = call.action();
        Object body = call.message().getBody();
        ObjectNode event;
        if (body instanceof Event e) {
            event = e.toGraphRequest();
        } else if (body instanceof JsonNode json && json.isObject()) {
            event = ((ObjectNode) json).deepCopy();
        } else if (body instanceof Map<?, ?> map) {
            event = fromMap(map, zone);
        } else if (body == null || body instanceof String s && s.isBlank()) {
            event = GraphJson.MAPPER.createObjectNode();
        } else {
            throw new IllegalArgumentException(operation + " takes an io.github.outlook365.camel.model.Event, a Map of"
                                               + " event properties or Graph's event JSON as the body, not "
                                               + body.getClass().getName());
        }
        String subject = call.header(Outlook365Constants.SUBJECT);
        if (subject != null) {
            event.put("subject", subject);
        }
        Object start = call.headerValue(Outlook365Constants.START_DATE_TIME);
        if (start != null) {
            event.set("start", time(start, zone, "header " + Outlook365Constants.START_DATE_TIME));
        }
        Object end = call.headerValue(Outlook365Constants.END_DATE_TIME);
        if (end != null) {
            event.set("end", time(end, zone, "header " + Outlook365Constants.END_DATE_TIME));
        }
        check(event, create, zone, operation);
        return event;
    }

    private static ObjectNode fromMap(Map<?, ?> map, String optionZone) {
        ObjectNode event = GraphJson.MAPPER.createObjectNode();
        String zone = map.get("timeZone") != null ? String.valueOf(map.get("timeZone")) : optionZone;
        if (map.get("timeZone") != null) {
            CalendarTimes.checkOption(zone);
        }
        Object content = null;
        String contentType = null;
        List<ObjectNode> attendees = new ArrayList<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = String.valueOf(entry.getKey());
            Object value = entry.getValue();
            switch (key) {
                case "timeZone" -> {
                    // applied to start and end
                }
                case "start", "end" -> event.set(key, time(value, zone, "body key " + key));
                case "contentType" -> contentType = String.valueOf(value);
                case "body", "content" -> {
                    if (value instanceof Map<?, ?> || value instanceof ItemBody) {
                        event.set("body", GraphJson.MAPPER.valueToTree(value));
                    } else {
                        content = value;
                    }
                }
                case "allDay", "isAllDay" -> event.put("isAllDay", bool(value, key));
                case "location" -> {
                    if (value instanceof String s) {
                        event.putObject("location").put("displayName", s);
                    } else {
                        event.set("location", GraphJson.MAPPER.valueToTree(value));
                    }
                }
                case "attendees", "requiredAttendees" -> attendees.addAll(attendees(value, "required", key));
                case "optionalAttendees" -> attendees.addAll(attendees(value, "optional", key));
                case "resources", "resourceAttendees" -> attendees.addAll(attendees(value, "resource", key));
                case "onlineMeeting", "isOnlineMeeting" -> event.put("isOnlineMeeting", bool(value, key));
                case "reminder", "reminderMinutesBeforeStart" -> {
                    int minutes = integer(value, key);
                    if (minutes < 0) {
                        event.put("isReminderOn", false);
                    } else {
                        event.put("isReminderOn", true);
                        event.put("reminderMinutesBeforeStart", minutes);
                    }
                }
                case "categories" -> {
                    ArrayNode categories = event.putArray("categories");
                    if (value instanceof Collection<?> list) {
                        list.forEach(c -> categories.add(String.valueOf(c)));
                    } else if (value != null) {
                        for (String c : String.valueOf(value).split(",")) {
                            if (!c.isBlank()) {
                                categories.add(c.trim());
                            }
                        }
                    }
                }
                default -> event.set(key, GraphJson.MAPPER.valueToTree(value));
            }
        }
        if (content != null || contentType != null) {
            String type = contentType == null ? "text" : contentType.trim().toLowerCase(Locale.ROOT);
            event.set("body", GraphJson.MAPPER.valueToTree(new ItemBody(type, content == null ? "" : String.valueOf(content))));
        }
        if (!attendees.isEmpty()) {
            event.set("attendees", GraphJson.MAPPER.valueToTree(attendees));
        }
        return event;
    }

    private static List<ObjectNode> attendees(Object value, String type, String key) {
        List<ObjectNode> list = new ArrayList<>();
        if (value instanceof Collection<?> items) {
            for (Object item : items) {
                if (item instanceof Map<?, ?> || item instanceof io.github.outlook365.camel.model.Attendee) {
                    list.add(GraphJson.MAPPER.valueToTree(item));
                } else {
                    list.addAll(attendees(item, type, key));
                }
            }
            return list;
        }
        if (value == null) {
            return list;
        }
        for (Recipient r : Recipient.parseList(String.valueOf(value), "body key " + key)) {
            ObjectNode attendee = GraphJson.MAPPER.createObjectNode();
            attendee.put("type", type);
            attendee.set("emailAddress", GraphJson.MAPPER.valueToTree(r.emailAddress()));
            list.add(attendee);
        }
        return list;
    }

    private static ObjectNode time(Object value, String zone, String what) {
        if (value instanceof JsonNode json) {
            value = GraphJson.MAPPER.convertValue(json, Map.class);
        }
        return GraphJson.MAPPER.valueToTree(CalendarTimes.dateTimeTimeZone(value, zone, what));
    }

    private static void check(ObjectNode event, boolean create, String zone, String operation) {
        DateTimeTimeZone start = null;
        DateTimeTimeZone end = null;
        if (event.hasNonNull("start")) {
            start = CalendarTimes.dateTimeTimeZone(GraphJson.MAPPER.convertValue(event.get("start"), Map.class), zone,
                    "start");
            event.set("start", GraphJson.MAPPER.valueToTree(start));
        }
        if (event.hasNonNull("end")) {
            end = CalendarTimes.dateTimeTimeZone(GraphJson.MAPPER.convertValue(event.get("end"), Map.class), zone, "end");
            event.set("end", GraphJson.MAPPER.valueToTree(end));
        }
        if (create && (start == null || end == null)) {
            throw new IllegalArgumentException(operation + " needs the event's start and end: set them in the body (start,"
                                               + " end) or in headers " + Outlook365Constants.START_DATE_TIME + " and "
                                               + Outlook365Constants.END_DATE_TIME);
        }
        if (start != null && end != null) {
            Instant s = start.toZonedDateTime().toInstant();
            Instant e = end.toZonedDateTime().toInstant();
            if (e.isBefore(s)) {
                throw new IllegalArgumentException("the event ends (" + end + ") before it starts (" + start
                                                   + "): give an end after the start");
            }
            if (event.path("isAllDay").asBoolean(false) && (!start.localDateTime().toLocalTime().equals(java.time.LocalTime.MIDNIGHT)
                    || !end.localDateTime().toLocalTime().equals(java.time.LocalTime.MIDNIGHT) || !e.isAfter(s))) {
                throw new IllegalArgumentException("an all-day event starts and ends at midnight and lasts at least a"
                                                   + " day: give dates such as start 2025-03-10 and end 2025-03-11");
            }
        }
        enumValue(event, "showAs", SHOW_AS);
        enumValue(event, "sensitivity", SENSITIVITY);
        enumValue(event, "importance", IMPORTANCE);
        for (JsonNode a : event.path("attendees")) {
            String type = a.path("type").asText("required");
            if (!ATTENDEE_TYPES.contains(type)) {
                throw new IllegalArgumentException("attendee type '" + type + "' is not known: use required, optional or"
                                                   + " resource");
            }
            String address = a.path("emailAddress").path("address").asText("");
            Recipient.parseList(address, "attendee");
            if (address.isBlank()) {
                throw new IllegalArgumentException("an attendee has no email address");
            }
        }
        if (event.hasNonNull("body")) {
            String type = event.path("body").path("contentType").asText("text").toLowerCase(Locale.ROOT);
            if (!type.equals("text") && !type.equals("html")) {
                throw new IllegalArgumentException("body contentType '" + type + "' is not known: use text or html");
            }
        }
    }

    private static void enumValue(ObjectNode event, String name, Set<String> allowed) {
        if (!event.hasNonNull(name)) {
            return;
        }
        String value = event.get(name).asText();
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value)) {
                event.put(name, a);
                return;
            }
        }
        throw new IllegalArgumentException(name + " '" + value + "' is not known: use one of " + new java.util.TreeSet<>(allowed));
    }

    private static boolean bool(Object value, String key) {
        if (value instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(value).trim();
        if (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("body key " + key + " '" + value + "' is not true or false");
    }

    private static int integer(Object value, String key) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return Integer.parseInt(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("body key " + key + " '" + value + "' is not a number of minutes", e);
        }
    }
}

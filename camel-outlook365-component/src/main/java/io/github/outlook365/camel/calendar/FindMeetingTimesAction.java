package io.github.outlook365.camel.calendar;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.model.MeetingTimeSuggestionsResult;
import io.github.outlook365.camel.model.Recipient;

/**
 * {@code outlook365:calendar/findMeetingTimes}: {@code POST /users/{account}/findMeetingTimes}. The body is Graph's
 * request JSON, or a Map with attendees (addresses separated by ;), optionalAttendees, start and end (the window to
 * search), meetingDuration (ISO-8601 such as PT1H, or minutes), maxCandidates, activityDomain (work, personal,
 * unrestricted) and isOrganizerOptional. The body becomes a {@link MeetingTimeSuggestionsResult}.
 */
final class FindMeetingTimesAction implements CalendarAction {

    @Override
    public void process(ActionExchange call) {
        Object body = call.message().getBody();
        ObjectNode request;
        if (body instanceof JsonNode json && json.isObject()) {
            request = ((ObjectNode) json).deepCopy();
        } else if (body instanceof Map<?, ?> map) {
            request = fromMap(map, CalendarAction.timeZone(call));
        } else {
            throw new IllegalArgumentException(call.action() + " takes a Map (attendees, start, end, meetingDuration, ...)"
                                               + " or Graph's findMeetingTimes JSON as the body");
        }
        JsonNode answer = call.send("POST", call.connection().mailboxPath() + "/findMeetingTimes", request).body();
        call.message().setBody(MeetingTimeSuggestionsResult.fromGraph(answer));
    }

    private static ObjectNode fromMap(Map<?, ?> map, String timeZone) {
        ObjectNode request = GraphJson.MAPPER.createObjectNode();
        ArrayNode attendees = request.putArray("attendees");
        addAttendees(attendees, map.get("attendees"), "required", "body key attendees");
        addAttendees(attendees, map.get("optionalAttendees"), "optional", "body key optionalAttendees");
        if (map.get("start") != null || map.get("end") != null) {
            var start = CalendarTimes.dateTimeTimeZone(map.get("start"), timeZone, "body key start");
            var end = CalendarTimes.dateTimeTimeZone(map.get("end"), timeZone, "body key end");
            if (!end.toZonedDateTime().isAfter(start.toZonedDateTime())) {
                throw new IllegalArgumentException("the search window ends before it starts: give body key end after start");
            }
            ObjectNode constraint = request.putObject("timeConstraint");
            constraint.put("activityDomain", map.get("activityDomain") == null ? "work"
                    : String.valueOf(map.get("activityDomain")));
            ObjectNode slot = constraint.putArray("timeSlots").addObject();
            slot.set("start", GraphJson.MAPPER.valueToTree(start));
            slot.set("end", GraphJson.MAPPER.valueToTree(end));
        }
        Object duration = map.get("meetingDuration");
        if (duration != null) {
            request.put("meetingDuration", duration(duration).toString());
        }
        if (map.get("maxCandidates") != null) {
            request.put("maxCandidates", Integer.parseInt(String.valueOf(map.get("maxCandidates"))));
        }
        if (map.get("isOrganizerOptional") != null) {
            request.put("isOrganizerOptional", Boolean.parseBoolean(String.valueOf(map.get("isOrganizerOptional"))));
        }
        request.put("returnSuggestionReasons", true);
        return request;
    }

    private static Duration duration(Object value) {
        if (value instanceof Duration d) {
            return d;
        }
        if (value instanceof Number n) {
            return Duration.ofMinutes(n.longValue());
        }
        String text = String.valueOf(value).trim();
        try {
            return text.matches("\\d+") ? Duration.ofMinutes(Long.parseLong(text)) : Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("body key meetingDuration '" + text + "' is not a duration: use PT1H or a"
                                               + " number of minutes", e);
        }
    }

    private static void addAttendees(ArrayNode attendees, Object value, String type, String what) {
        List<Recipient> list = new ArrayList<>();
        if (value instanceof java.util.Collection<?> items) {
            items.forEach(i -> list.addAll(Recipient.parseList(String.valueOf(i), what)));
        } else if (value != null) {
            list.addAll(Recipient.parseList(String.valueOf(value), what));
        }
        for (Recipient r : list) {
            ObjectNode a = attendees.addObject();
            a.put("type", type);
            a.set("emailAddress", GraphJson.MAPPER.valueToTree(r.emailAddress()));
        }
    }
}

package io.github.outlook365.camel.calendar;

import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Exception;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.model.MeetingResponse;

/**
 * {@code outlook365:calendar/respond}: answers an invitation with {@code POST /users/{account}/events/{id}/accept},
 * {@code /decline} or {@code /tentativelyAccept} and Graph's body {@code {"comment", "sendResponse",
 * "proposedNewTime"}}. The response comes from header CamelOutlook365Response or the response option; a Map body may
 * give response, comment, sendResponse, proposedStart and proposedEnd (a new time, with decline or tentative).
 */
final class EventResponseAction implements CalendarAction {

    static String action(String response, String what) {
        String r = response.trim().toLowerCase(Locale.ROOT);
        return switch (r) {
            case "accept", "accepted" -> "accept";
            case "decline", "declined" -> "decline";
            case "tentative", "tentativelyaccept", "tentativelyaccepted" -> "tentativelyAccept";
            default -> throw new IllegalArgumentException(what + " '" + response + "' is not known: use accept, decline"
                                                          + " or tentative");
        };
    }

    @Override
    public void process(ActionExchange call) {
        String id = call.eventId();
        Map<?, ?> map = call.message().getBody() instanceof Map<?, ?> m ? m : Map.of();
        MeetingResponse option = call.configuration().getResponse();
        ActionExchange.Given response = call.given(Outlook365Constants.RESPONSE, "response", "response",
                option == null ? null : option.name());
        if (response == null) {
            throw new IllegalArgumentException(call.action() + " needs a response: set header "
                                               + Outlook365Constants.RESPONSE
                                               + " or the response option to accept, decline or tentative");
        }
        String action = action(response.value(), response.source());
        String comment = call.comment();
        boolean sendResponse = map.get("sendResponse") != null ? Boolean.parseBoolean(String.valueOf(map.get("sendResponse")))
                : call.configuration().isSendResponse();
        String timeZone = CalendarAction.timeZone(call);
        ObjectNode body = GraphJson.MAPPER.createObjectNode();
        if (comment != null) {
            body.put("comment", comment);
        }
        body.put("sendResponse", sendResponse);
        Object proposedStart = map.get("proposedStart");
        Object proposedEnd = map.get("proposedEnd");
        if (proposedStart != null || proposedEnd != null) {
            if (action.equals("accept")) {
                throw new IllegalArgumentException("a new time can only be proposed with decline or tentative, not accept");
            }
            if (!sendResponse) {
                throw new IllegalArgumentException("a new time can only be proposed when the response is sent"
                                                   + " (sendResponse true)");
            }
            var start = CalendarTimes.dateTimeTimeZone(proposedStart, timeZone, "body key proposedStart");
            var end = CalendarTimes.dateTimeTimeZone(proposedEnd, timeZone, "body key proposedEnd");
            if (end.toZonedDateTime().isBefore(start.toZonedDateTime())) {
                throw new IllegalArgumentException("the proposed time ends before it starts: give proposedEnd after"
                                                   + " proposedStart");
            }
            ObjectNode proposed = body.putObject("proposedNewTime");
            proposed.set("start", GraphJson.MAPPER.valueToTree(start));
            proposed.set("end", GraphJson.MAPPER.valueToTree(end));
        }
        call.send("POST", call.connection().eventPath(id) + "/" + action, body);
    }

    @Override
    public RuntimeException explain(GraphException e, ActionExchange call) {
        if (e.getStatus() == 400 && e.getCode() != null && e.getCode().startsWith("ErrorCalendarIsOrganizerFor")) {
            return new Outlook365Exception("event '" + call.knownEventId() + "' (header " + Outlook365Constants.EVENT_ID
                                           + ") is a meeting '" + call.connection().account() + "' organizes ("
                                           + e.getCode() + "): an organizer does not respond; respond with the"
                                           + " attendee's account and the id of the attendee's copy (request-id "
                                           + e.getRequestId() + ")", e);
        }
        return CalendarAction.super.explain(e, call);
    }
}

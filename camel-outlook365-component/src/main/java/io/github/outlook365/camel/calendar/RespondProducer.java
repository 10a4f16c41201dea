package io.github.outlook365.camel.calendar;

import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.Outlook365Exception;
import org.apache.camel.Exchange;

/**
 * {@code outlook365:calendar/respond}: answers an invitation with {@code POST /users/{account}/events/{id}/accept},
 * {@code /decline} or {@code /tentativelyAccept} and Graph's body {@code {"comment", "sendResponse",
 * "proposedNewTime"}}. The response comes from header CamelOutlook365Response or the response option; a Map body may
 * give response, comment, sendResponse, proposedStart and proposedEnd (a new time, with decline or tentative).
 */
final class RespondProducer extends CalendarProducer {

    RespondProducer(Outlook365Endpoint endpoint) {
        super(endpoint, "respond");
        if (configuration.getResponse() != null) {
            action(configuration.getResponse(), "option response");
        }
    }

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
    protected void handle(Exchange exchange) {
        String id = eventId(exchange);
        Map<?, ?> map = exchange.getMessage().getBody() instanceof Map<?, ?> m ? m : Map.of();
        String response = exchange.getMessage().getHeader(Outlook365Constants.RESPONSE, String.class);
        String what = "header " + Outlook365Constants.RESPONSE;
        if (response == null && map.get("response") != null) {
            response = String.valueOf(map.get("response"));
            what = "body key response";
        }
        if (response == null) {
            response = configuration.getResponse();
            what = "option response";
        }
        if (response == null) {
            throw new IllegalArgumentException(operation + " needs a response: set header " + Outlook365Constants.RESPONSE
                                               + " or the response option to accept, decline or tentative");
        }
        String action = action(response, what);
        String comment = exchange.getMessage().getHeader(Outlook365Constants.COMMENT, String.class);
        if (comment == null && map.get("comment") != null) {
            comment = String.valueOf(map.get("comment"));
        }
        if (comment == null && exchange.getMessage().getBody() instanceof String text && !text.isBlank()) {
            comment = text;
        }
        if (comment == null) {
            comment = configuration.getComment();
        }
        boolean sendResponse = map.get("sendResponse") != null ? Boolean.parseBoolean(String.valueOf(map.get("sendResponse")))
                : configuration.isSendResponse();
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
        try {
            connection.graph().execute(request("POST", eventPath(id) + "/" + action, json(body)));
        } catch (GraphException e) {
            if (e.getStatus() == 400 && e.getCode() != null && e.getCode().startsWith("ErrorCalendarIsOrganizerFor")) {
                throw new Outlook365Exception("event '" + id + "' (header " + Outlook365Constants.EVENT_ID + ") is a meeting"
                                              + " '" + connection.account() + "' organizes (" + e.getCode() + "): an"
                                              + " organizer does not respond; respond with the attendee's account and the"
                                              + " id of the attendee's copy (request-id " + e.getRequestId() + ")", e);
            }
            throw Calendars.explain(e, connection, id, "respond to events in");
        }
    }
}

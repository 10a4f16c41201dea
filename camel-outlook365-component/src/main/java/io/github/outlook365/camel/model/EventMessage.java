package io.github.outlook365.camel.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A meeting message in a mailbox (Graph's eventMessage, eventMessageRequest or eventMessageResponse) with the event it
 * is about: for an invitation the copy of the meeting in the invitee's own calendar (respond to it by its id), for a
 * response the organizer's event with the attendee's new status.
 *
 * @param message            the mail itself (sender, subject, comment in the body)
 * @param event              the related event, or null when it is gone
 * @param meetingMessageType meetingRequest, meetingAccepted, meetingTenativelyAccepted (Graph's spelling),
 *                           meetingDeclined or meetingCancelled
 * @param meetingRequestType for invitations: newMeetingRequest, fullUpdate, informationalUpdate, ...
 * @param responseType       for responses: accepted, tentativelyAccepted or declined
 * @param proposedNewTime    for responses: the time the attendee proposed, or null
 * @param raw                Graph's JSON of the message
 */
public record EventMessage(Message message, Event event, String meetingMessageType, String meetingRequestType,
                           String responseType, TimeSlot proposedNewTime, JsonNode raw) {

    /** Reads Graph's JSON of an event message fetched with {@code $expand=microsoft.graph.eventMessage/event}. */
    public static EventMessage fromGraph(JsonNode json) {
        JsonNode event = json.get("event");
        TimeSlot proposed = null;
        JsonNode p = json.get("proposedNewTime");
        if (p != null && p.isObject()) {
            try {
                proposed = io.github.outlook365.camel.graph.GraphJson.MAPPER.treeToValue(p, TimeSlot.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException("not a Graph timeSlot: " + e.getOriginalMessage(), e);
            }
        }
        return new EventMessage(Message.fromGraph(json), event == null || event.isNull() ? null : Event.fromGraph(event),
                text(json, "meetingMessageType"), text(json, "meetingRequestType"), text(json, "responseType"), proposed,
                json);
    }

    private static String text(JsonNode json, String field) {
        JsonNode value = json.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}

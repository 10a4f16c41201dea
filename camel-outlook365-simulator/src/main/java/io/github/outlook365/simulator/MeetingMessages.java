package io.github.outlook365.simulator;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Event messages (meeting requests, responses, cancellations) that meetings deliver into Inboxes, in Graph's
 * eventMessage / eventMessageRequest / eventMessageResponse shapes. The related event is kept in the hidden
 * {@code _eventUpn} / {@code _eventId} properties for {@code $expand=microsoft.graph.eventMessage/event}.
 */
final class MeetingMessages {

    /** Properties of eventMessage and its derived types, in Graph's order, after the message's own. */
    private static final List<String> EVENT_MESSAGE_PROPERTIES = List.of("meetingMessageType", "startDateTime",
            "endDateTime", "location", "type", "recurrence", "isOutOfDate", "isAllDay", "isDelegated",
            "previousStartDateTime", "previousEndDateTime", "previousLocation", "meetingRequestType",
            "responseRequested", "allowNewTimeProposals", "responseType", "proposedNewTime");

    private MeetingMessages() {
    }

    /** Adds the eventMessage properties of a stored event message to its rendered JSON. */
    static void decorate(ObjectNode stored, ObjectNode out, boolean withType) {
        String type = stored.path("@odata.type").asText(null);
        if (type == null) {
            return;
        }
        if (withType || out.has("@odata.type")) {
            out.put("@odata.type", type);
        } else {
            ObjectNode reordered = Json.object();
            reordered.put("@odata.type", type);
            reordered.setAll(out);
            out.removeAll();
            out.setAll(reordered);
        }
        for (String property : EVENT_MESSAGE_PROPERTIES) {
            if (stored.has(property)) {
                out.set(property, stored.get(property).deepCopy());
            }
        }
    }

    /**
     * Delivers an event message about {@code event} (rendered in UTC) from {@code from} into {@code to}'s Inbox.
     *
     * @param odataType         #microsoft.graph.eventMessageRequest, eventMessageResponse or eventMessage
     * @param meetingMessageType meetingRequest, meetingAccepted, meetingTenativelyAccepted (sic, Graph's spelling),
     *                           meetingDeclined or meetingCancelled
     * @param eventOwner        the mailbox whose calendar holds the related event, and its id there
     */
    static String deliver(Mailbox from, Mailbox to, String odataType, String meetingMessageType, String subject,
            String comment, ObjectNode event, Mailbox eventOwner, String eventId, ObjectNode extra) {
        String now = Json.graphTime(Instant.now());
        ObjectNode content = Json.object();
        content.put("@odata.type", odataType);
        content.putArray("categories");
        content.put("receivedDateTime", now);
        content.put("sentDateTime", now);
        content.put("internetMessageId", Ids.internetMessageId());
        content.put("subject", subject);
        String text = comment != null ? comment : event.path("body").path("content").asText("");
        String contentType = comment != null ? "text" : event.path("body").path("contentType").asText("text");
        content.put("bodyPreview", Messages.bodyPreview(contentType, text));
        content.put("importance", event.path("importance").asText("normal"));
        content.put("conversationId", Ids.conversationId());
        content.put("conversationIndex", Ids.conversationIndex());
        content.put("isDeliveryReceiptRequested", false);
        content.put("isReadReceiptRequested", false);
        content.put("isRead", false);
        content.put("isDraft", false);
        content.put("inferenceClassification", "focused");
        ObjectNode body = content.putObject("body");
        body.put("contentType", contentType);
        body.put("content", text);
        content.set("sender", Messages.recipient(from.upn, from.displayName));
        content.set("from", Messages.recipient(from.upn, from.displayName));
        ArrayNode toRecipients = content.putArray("toRecipients");
        toRecipients.add(Messages.recipient(to.upn, to.displayName));
        content.putArray("ccRecipients");
        content.putArray("bccRecipients");
        content.putArray("replyTo");
        content.putObject("flag").put("flagStatus", "notFlagged");
        content.put("meetingMessageType", meetingMessageType);
        content.set("startDateTime", event.get("start").deepCopy());
        content.set("endDateTime", event.get("end").deepCopy());
        content.set("location", event.path("location").deepCopy());
        content.put("type", event.path("type").asText("singleInstance"));
        JsonNode recurrence = event.get("recurrence");
        content.set("recurrence", recurrence == null ? Json.MAPPER.nullNode() : recurrence.deepCopy());
        content.put("isOutOfDate", false);
        content.put("isAllDay", event.path("isAllDay").asBoolean(false));
        content.put("isDelegated", false);
        if (extra != null) {
            content.setAll(extra);
        }
        content.put("_eventUpn", eventOwner.upn);
        content.put("_eventId", eventId);
        return to.insert(to.folder("inbox"), content, null).id;
    }
}

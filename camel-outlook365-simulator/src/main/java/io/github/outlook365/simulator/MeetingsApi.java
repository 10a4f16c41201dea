package io.github.outlook365.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Microsoft Graph v1.0 meetings between simulated mailboxes: an organiser's event copied into each attendee's
 * calendar with a meeting request in their Inbox, accept, decline and tentativelyAccept answered to the organiser,
 * cancellations and forwards; and {@code $expand} of the event on a meeting message.
 */
final class MeetingsApi {

    private final Outlook365Simulator simulator;

    MeetingsApi(Outlook365Simulator simulator) {
        this.simulator = simulator;
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/resources/eventmessagerequest (meetingRequest in each
    //   attendee's Inbox)
    // simulator: the attendee's copy of the event, as Exchange makes it
    /** Copies the organiser's event into each simulated attendee's default calendar and sends a meeting request. */
    void sendInvitations(Mailbox organizer, CalendarStore.StoredEvent event, String requestType,
            List<String> onlyTo) {
        List<String> addresses = new ArrayList<>();
        synchronized (organizer.calendars) {
            if (onlyTo != null) {
                addresses.addAll(onlyTo);
            } else {
                for (JsonNode a : event.json.path("attendees")) {
                    addresses.add(a.path("emailAddress").path("address").asText());
                }
            }
        }
        for (String address : addresses) {
            Mailbox attendee = simulator.state().mailbox(address);
            if (attendee == null || attendee == organizer || !attendee.tenantId.equalsIgnoreCase(organizer.tenantId)) {
                continue;
            }
            ObjectNode master;
            synchronized (organizer.calendars) {
                master = event.json.deepCopy();
            }
            CalendarStore.StoredEvent copy = syncCopy(organizer, event, attendee, master);
            ObjectNode rendered;
            synchronized (attendee.calendars) {
                rendered = CalendarStore.render(new CalendarStore.Instance(copy.id, copy.isSeries() ? "seriesMaster"
                        : "singleInstance", copy.start, copy.end, copy.json, copy, null), "UTC");
            }
            ObjectNode extra = Json.object();
            extra.put("meetingRequestType", requestType);
            extra.put("responseRequested", rendered.path("responseRequested").asBoolean(true));
            extra.put("allowNewTimeProposals", rendered.path("allowNewTimeProposals").asBoolean(true));
            extra.putNull("previousStartDateTime");
            extra.putNull("previousEndDateTime");
            extra.putNull("previousLocation");
            MeetingMessages.deliver(organizer, attendee, "#microsoft.graph.eventMessageRequest", "meetingRequest",
                    rendered.path("subject").asText(), null, rendered, attendee, copy.id, extra);
        }
    }

    private CalendarStore.StoredEvent syncCopy(Mailbox organizer, CalendarStore.StoredEvent event, Mailbox attendee,
            ObjectNode organizerJson) {
        CalendarStore store = attendee.calendars;
        synchronized (store) {
            CalendarStore.StoredEvent copy = findCopy(store, organizer, event.id);
            ObjectNode json = organizerJson.deepCopy();
            json.put("isOrganizer", false);
            json.remove("id");
            json.remove("createdDateTime");
            json.remove("webLink");
            if (copy == null) {
                ObjectNode status = json.putObject("responseStatus");
                status.put("response", "notResponded");
                status.put("time", CalendarApi.NO_TIME);
                copy = store.insert(store.defaultCalendar(), json, event.start, event.end, event.recurrence);
                copy.organizerUpn = organizer.upn;
                copy.organizerEventId = event.id;
            } else {
                json.set("responseStatus", copy.json.get("responseStatus"));
                json.put("id", copy.id);
                json.set("createdDateTime", copy.json.get("createdDateTime"));
                json.set("webLink", copy.json.get("webLink"));
                copy.json.removeAll();
                copy.json.setAll(json);
                copy.start = event.start;
                copy.end = event.end;
                copy.recurrence = event.recurrence;
                store.touch(copy);
            }
            copy.exceptions.clear();
            copy.exceptionTimes.clear();
            copy.cancelled.clear();
            copy.cancelled.addAll(event.cancelled);
            return copy;
        }
    }

    private static CalendarStore.StoredEvent findCopy(CalendarStore store, Mailbox organizer, String eventId) {
        for (CalendarStore.StoredEvent e : store.events.values()) {
            if (eventId.equals(e.organizerEventId) && organizer.upn.equalsIgnoreCase(e.organizerUpn)) {
                return e;
            }
        }
        return null;
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/event-cancel (the attendees get a cancellation)
    void cancelCopies(Mailbox organizer, CalendarStore.StoredEvent event, Instant originalStart,
            ObjectNode rendered, String comment) {
        for (JsonNode a : rendered.path("attendees")) {
            Mailbox attendee = simulator.state().mailbox(a.path("emailAddress").path("address").asText());
            if (attendee == null || attendee == organizer) {
                continue;
            }
            CalendarStore store = attendee.calendars;
            String copyId = null;
            synchronized (store) {
                CalendarStore.StoredEvent copy = findCopy(store, organizer, event.id);
                if (copy != null) {
                    if (originalStart != null) {
                        store.deleteOccurrence(copy, originalStart);
                    } else {
                        copy.json.put("isCancelled", true);
                        copy.json.put("subject", "Canceled: " + copy.json.path("subject").asText());
                        store.touch(copy);
                    }
                    copyId = copy.id;
                }
            }
            MeetingMessages.deliver(organizer, attendee, "#microsoft.graph.eventMessage", "meetingCancelled",
                    "Canceled: " + rendered.path("subject").asText(), comment, rendered, attendee,
                    copyId == null ? rendered.path("id").asText() : copyId, null);
        }
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/event-accept,
    //   https://learn.microsoft.com/en-us/graph/api/event-decline,
    //   https://learn.microsoft.com/en-us/graph/api/event-tentativelyaccept (comment, sendResponse,
    //   proposedNewTime)
    // observed: 400 ErrorCalendarIsOrganizerForAccept (Decline, Tentative) for the organizer's own event
    void respond(Mailbox attendee, CalendarStore.Instance instance, ObjectNode request, String response) {
        CalendarStore.StoredEvent copy = instance.event();
        if (copy.organizerUpn == null) {
            String suffix = switch (response) {
                case "accepted" -> "Accept";
                case "declined" -> "Decline";
                default -> "Tentative";
            };
            throw new GraphException(400, "ErrorCalendarIsOrganizerFor" + suffix,
                    "Your request can't be completed. You can't respond to a meeting you organized.");
        }
        boolean sendResponse = !request.has("sendResponse") && !request.has("SendResponse")
                || field(request, "sendResponse").asBoolean(true);
        JsonNode proposed = field(request, "proposedNewTime");
        if (proposed != null && !proposed.isNull() && !proposed.isMissingNode()) {
            if (response.equals("accepted")) {
                throw new GraphException(400, "ErrorInvalidRequest",
                        "A new time can only be proposed with decline or tentativelyAccept.");
            }
            Instant s = CalendarTime.instant(proposed.get("start"), "proposedNewTime.start");
            Instant e = CalendarTime.instant(proposed.get("end"), "proposedNewTime.end");
            if (e.isBefore(s)) {
                throw new GraphException(400, "ErrorCalendarEndDateIsEarlierThanStartDate",
                        "The end date is earlier than the start date.");
            }
            if (!sendResponse) {
                throw new GraphException(400, "ErrorInvalidRequest",
                        "A new time can only be proposed when the response is sent.");
            }
        }
        String now = Json.graphTime(Instant.now());
        ObjectNode rendered;
        CalendarStore store = attendee.calendars;
        synchronized (store) {
            ObjectNode status = copy.json.putObject("responseStatus");
            status.put("response", response);
            status.put("time", now);
            rendered = CalendarStore.render(instance, "UTC");
            if (response.equals("declined")) {
                store.delete(copy);
            } else {
                store.touch(copy);
            }
        }
        if (!sendResponse) {
            return;
        }
        Mailbox organizer = simulator.state().mailbox(copy.organizerUpn);
        if (organizer == null) {
            return;
        }
        String eventId = copy.organizerEventId;
        synchronized (organizer.calendars) {
            CalendarStore.StoredEvent original = organizer.calendars.events.get(eventId);
            if (original == null) {
                return;
            }
            for (JsonNode a : original.json.path("attendees")) {
                if (a.path("emailAddress").path("address").asText().equalsIgnoreCase(attendee.upn)) {
                    ObjectNode s = ((ObjectNode) a).putObject("status");
                    s.put("response", response);
                    s.put("time", now);
                }
            }
            organizer.calendars.touch(original);
        }
        String type = switch (response) {
            case "accepted" -> "meetingAccepted";
            case "declined" -> "meetingDeclined";
            default -> "meetingTenativelyAccepted";
        };
        String prefix = switch (response) {
            case "accepted" -> "Accepted: ";
            case "declined" -> "Declined: ";
            default -> "Tentative: ";
        };
        ObjectNode extra = Json.object();
        extra.put("responseType", response);
        if (proposed != null && !proposed.isNull() && !proposed.isMissingNode()) {
            extra.set("proposedNewTime", proposed.deepCopy());
        } else {
            extra.putNull("proposedNewTime");
        }
        MeetingMessages.deliver(attendee, organizer, "#microsoft.graph.eventMessageResponse", type,
                prefix + rendered.path("subject").asText(), text(request, "comment"), rendered, organizer, eventId,
                extra);
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/event-forward (toRecipients, comment)
    void forward(Mailbox mailbox, CalendarStore.Instance instance, ObjectNode request) {
        JsonNode recipients = field(request, "toRecipients");
        if (recipients == null || !recipients.isArray() || recipients.isEmpty()) {
            throw new GraphException(400, "ErrorInvalidRecipients", "At least one recipient is required.");
        }
        List<String> addresses = new ArrayList<>();
        for (JsonNode r : recipients) {
            JsonNode email = r.has("emailAddress") ? r.get("emailAddress") : r.path("EmailAddress");
            String address = email.has("address") ? email.get("address").asText() : email.path("Address").asText("");
            if (address.indexOf('@') < 1) {
                throw new GraphException(400, "ErrorInvalidRecipients", "Recipient '" + address + "' isn't valid.");
            }
            addresses.add(address);
        }
        CalendarStore.StoredEvent event = instance.event();
        if (event.organizerUpn == null) {
            sendInvitations(mailbox, event, "newMeetingRequest", addresses);
            return;
        }
        Mailbox organizer = simulator.state().mailbox(event.organizerUpn);
        if (organizer == null) {
            return;
        }
        CalendarStore.StoredEvent original;
        synchronized (organizer.calendars) {
            original = organizer.calendars.events.get(event.organizerEventId);
        }
        if (original != null) {
            sendInvitations(organizer, original, "newMeetingRequest", addresses);
        }
    }

    /** A property of an action body, in Graph's case-insensitive way ("Comment" or "comment"). */
    private static JsonNode field(ObjectNode request, String name) {
        Iterator<Map.Entry<String, JsonNode>> fields = request.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().equalsIgnoreCase(name)) {
                return f.getValue();
            }
        }
        return null;
    }

    static String text(ObjectNode request, String name) {
        JsonNode value = field(request, name);
        return value == null || value.isNull() ? null : value.asText();
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/eventmessage-get ($expand=microsoft.graph.eventMessage/event)
    /** {@code $expand=microsoft.graph.eventMessage/event} on GET message: adds the related event. */
    void expandEvent(HttpCall call, ObjectNode stored, ObjectNode body) {
        String expand = call.param("$expand");
        if (expand == null || !expand.toLowerCase(Locale.ROOT).contains("event")) {
            return;
        }
        String upn = stored.path("_eventUpn").asText(null);
        if (upn == null) {
            return;
        }
        Mailbox owner = simulator.state().mailbox(upn);
        if (owner == null) {
            return;
        }
        CalendarStore.Instance instance = owner.calendars.find(stored.path("_eventId").asText());
        if (instance == null) {
            body.putNull("event");
            return;
        }
        synchronized (owner.calendars) {
            body.set("event", CalendarStore.render(instance, CalendarApi.zone(call)));
        }
    }
}

package io.github.outlook365.camel.model;

import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.graph.GraphJson;

/**
 * An Outlook calendar event as routes see it: what calendar triggers deliver and what calendar actions accept and
 * give. Property names are Graph's. {@code type} is singleInstance, occurrence, exception or seriesMaster; an
 * occurrence or exception names its series in {@code seriesMasterId}. Start and end keep their time zone
 * ({@link DateTimeTimeZone#toZonedDateTime()}). {@link #raw()} keeps the JSON Graph sent.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Event(
        String id,
        String subject,
        ItemBody body,
        String bodyPreview,
        DateTimeTimeZone start,
        DateTimeTimeZone end,
        Boolean isAllDay,
        Location location,
        List<Location> locations,
        List<Attendee> attendees,
        Recipient organizer,
        PatternedRecurrence recurrence,
        String type,
        String seriesMasterId,
        OffsetDateTime originalStart,
        Boolean isCancelled,
        Boolean isOrganizer,
        ResponseStatus responseStatus,
        Boolean responseRequested,
        Boolean allowNewTimeProposals,
        String showAs,
        String sensitivity,
        String importance,
        List<String> categories,
        Integer reminderMinutesBeforeStart,
        Boolean isReminderOn,
        Boolean isOnlineMeeting,
        String onlineMeetingProvider,
        String originalStartTimeZone,
        String originalEndTimeZone,
        String iCalUId,
        String changeKey,
        OffsetDateTime createdDateTime,
        OffsetDateTime lastModifiedDateTime,
        String webLink,
        String transactionId,
        @JsonIgnore JsonNode raw) {

    /** Reads a Graph event, keeping its JSON. */
    public static Event fromGraph(JsonNode json) {
        try {
            Event e = GraphJson.MAPPER.treeToValue(json, Event.class);
            return e.withRaw(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a Graph event: " + e.getOriginalMessage(), e);
        }
    }

    public Event withRaw(JsonNode json) {
        return new Event(id, subject, body, bodyPreview, start, end, isAllDay, location, locations, attendees, organizer,
                recurrence, type, seriesMasterId, originalStart, isCancelled, isOrganizer, responseStatus,
                responseRequested, allowNewTimeProposals, showAs, sensitivity, importance, categories,
                reminderMinutesBeforeStart, isReminderOn, isOnlineMeeting, onlineMeetingProvider, originalStartTimeZone,
                originalEndTimeZone, iCalUId, changeKey, createdDateTime, lastModifiedDateTime, webLink, transactionId,
                json);
    }

    /** The Teams join link of an online meeting, or null. */
    @JsonIgnore
    public String joinUrl() {
        if (raw == null) {
            return null;
        }
        JsonNode url = raw.path("onlineMeeting").path("joinUrl");
        return url.isTextual() ? url.asText() : null;
    }

    /** The event's start in its own zone, or null. */
    @JsonIgnore
    public ZonedDateTime startTime() {
        return start == null ? null : start.toZonedDateTime();
    }

    @JsonIgnore
    public ZonedDateTime endTime() {
        return end == null ? null : end.toZonedDateTime();
    }

    /** The event in Graph's shape for a create or update request: only what a client may set. */
    public ObjectNode toGraphRequest() {
        ObjectNode node = GraphJson.MAPPER.createObjectNode();
        put(node, "subject", subject);
        put(node, "body", body);
        put(node, "start", start);
        put(node, "end", end);
        put(node, "isAllDay", isAllDay);
        put(node, "location", location);
        if (locations != null && !locations.isEmpty()) {
            put(node, "locations", locations);
        }
        if (attendees != null) {
            List<ObjectNode> list = new ArrayList<>();
            for (Attendee a : attendees) {
                ObjectNode attendee = GraphJson.MAPPER.createObjectNode();
                attendee.put("type", a.type() == null ? "required" : a.type());
                attendee.set("emailAddress", GraphJson.MAPPER.valueToTree(a.emailAddress()));
                list.add(attendee);
            }
            node.set("attendees", GraphJson.MAPPER.valueToTree(list));
        }
        put(node, "recurrence", recurrence);
        put(node, "responseRequested", responseRequested);
        put(node, "allowNewTimeProposals", allowNewTimeProposals);
        put(node, "showAs", showAs);
        put(node, "sensitivity", sensitivity);
        put(node, "importance", importance);
        put(node, "categories", categories);
        put(node, "reminderMinutesBeforeStart", reminderMinutesBeforeStart);
        put(node, "isReminderOn", isReminderOn);
        put(node, "isOnlineMeeting", isOnlineMeeting);
        if (Boolean.TRUE.equals(isOnlineMeeting)) {
            put(node, "onlineMeetingProvider", onlineMeetingProvider == null ? "teamsForBusiness" : onlineMeetingProvider);
        }
        put(node, "transactionId", transactionId);
        return node;
    }

    private static void put(ObjectNode node, String field, Object value) {
        if (value != null) {
            node.set(field, GraphJson.MAPPER.valueToTree(value));
        }
    }

    /** Starts a new event for {@code calendar/createEvent}. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "Event[id=" + id + ", subject=" + subject + ", type=" + type + ", start=" + start + ", end=" + end + "]";
    }

    /** Builds an event to create; unset properties take Graph's defaults. */
    public static final class Builder {
        private String subject;
        private ItemBody body;
        private DateTimeTimeZone start;
        private DateTimeTimeZone end;
        private Boolean isAllDay;
        private Location location;
        private final List<Attendee> attendees = new ArrayList<>();
        private PatternedRecurrence recurrence;
        private String showAs;
        private String sensitivity;
        private String importance;
        private List<String> categories;
        private Integer reminderMinutesBeforeStart;
        private Boolean isReminderOn;
        private Boolean isOnlineMeeting;
        private Boolean responseRequested;
        private Boolean allowNewTimeProposals;
        private String transactionId;

        private Builder() {
        }

        public Builder subject(String value) {
            subject = value;
            return this;
        }

        public Builder body(ItemBody value) {
            body = value;
            return this;
        }

        public Builder start(ZonedDateTime value) {
            start = DateTimeTimeZone.of(value);
            return this;
        }

        public Builder end(ZonedDateTime value) {
            end = DateTimeTimeZone.of(value);
            return this;
        }

        public Builder start(DateTimeTimeZone value) {
            start = value;
            return this;
        }

        public Builder end(DateTimeTimeZone value) {
            end = value;
            return this;
        }

        /** An all-day event: start and end must be midnights, end at least a day later. */
        public Builder allDay(boolean value) {
            isAllDay = value;
            return this;
        }

        public Builder location(String displayName) {
            location = Location.of(displayName);
            return this;
        }

        public Builder attendee(Attendee value) {
            attendees.add(value);
            return this;
        }

        public Builder recurrence(PatternedRecurrence value) {
            recurrence = value;
            return this;
        }

        /** free, tentative, busy, oof, workingElsewhere or unknown. */
        public Builder showAs(String value) {
            showAs = value;
            return this;
        }

        /** normal, personal, private or confidential. */
        public Builder sensitivity(String value) {
            sensitivity = value;
            return this;
        }

        public Builder importance(String value) {
            importance = value;
            return this;
        }

        public Builder categories(List<String> value) {
            categories = value;
            return this;
        }

        /** A reminder this many minutes before the start; a negative value turns the reminder off. */
        public Builder reminderMinutesBeforeStart(int minutes) {
            if (minutes < 0) {
                isReminderOn = false;
            } else {
                isReminderOn = true;
                reminderMinutesBeforeStart = minutes;
            }
            return this;
        }

        /** A Teams meeting. */
        public Builder onlineMeeting(boolean value) {
            isOnlineMeeting = value;
            return this;
        }

        public Builder responseRequested(boolean value) {
            responseRequested = value;
            return this;
        }

        public Builder allowNewTimeProposals(boolean value) {
            allowNewTimeProposals = value;
            return this;
        }

        /** A client id that makes a retried create return the first event instead of a second one. */
        public Builder transactionId(String value) {
            transactionId = value;
            return this;
        }

        public Event build() {
            return new Event(null, subject, body, null, start, end, isAllDay, location, null,
                    attendees.isEmpty() ? null : List.copyOf(attendees), null, recurrence, null, null, null, null, null,
                    null, responseRequested, allowNewTimeProposals, showAs, sensitivity, importance, categories,
                    reminderMinutesBeforeStart, isReminderOn, isOnlineMeeting, null, null, null, null, null, null, null,
                    null, transactionId, null);
        }
    }
}

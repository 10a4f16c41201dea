package io.github.outlook365.simulator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The calendars of one simulated mailbox: a default calendar plus any created, their events (single instances and
 * series masters with their exceptions and cancelled occurrences), tombstones of deleted items and the change
 * sequence calendarView delta reads. Every method holds the store's monitor.
 */
final class CalendarStore {

    /** Graph's order of event properties. */
    static final List<String> EVENT_PROPERTIES = List.of("id", "createdDateTime", "lastModifiedDateTime", "changeKey",
            "categories", "transactionId", "originalStartTimeZone", "originalEndTimeZone", "originalStart", "iCalUId",
            "reminderMinutesBeforeStart", "isReminderOn", "hasAttachments", "subject", "bodyPreview", "importance",
            "sensitivity", "isAllDay", "isCancelled", "isOrganizer", "responseRequested", "seriesMasterId", "showAs",
            "type", "webLink", "onlineMeetingUrl", "isOnlineMeeting", "onlineMeetingProvider",
            "allowNewTimeProposals", "isDraft", "hideAttendees", "responseStatus", "body", "start", "end", "location",
            "locations", "recurrence", "attendees", "organizer", "onlineMeeting");

    private static final String OCCURRENCE_PREFIX = "AAMkOC";

    static final class Calendar {
        final String id;
        String name;
        final boolean isDefault;
        String color = "auto";
        String changeKey;

        Calendar(String id, String name, boolean isDefault, String changeKey) {
            this.id = id;
            this.name = name;
            this.isDefault = isDefault;
            this.changeKey = changeKey;
        }
    }

    /** A single instance or a series master as stored. */
    static final class StoredEvent {
        final String id;
        final String calendarId;
        final ObjectNode json;
        Instant start;
        Instant end;
        Recurrence recurrence;
        long seq;
        final Map<Instant, ObjectNode> exceptions = new TreeMap<>();
        final Map<Instant, Instant[]> exceptionTimes = new TreeMap<>();
        final Set<Instant> cancelled = new LinkedHashSet<>();
        /** For an attendee's copy of a meeting: where the organiser's event lives. */
        String organizerUpn;
        String organizerEventId;

        StoredEvent(String id, String calendarId, ObjectNode json) {
            this.id = id;
            this.calendarId = calendarId;
            this.json = json;
        }

        boolean isSeries() {
            return recurrence != null;
        }

        Duration duration() {
            return Duration.between(start, end);
        }

        ZoneId zone() {
            return CalendarTime.zone(json.path("originalStartTimeZone").asText("UTC"));
        }
    }

    /** One event as a calendar view sees it. */
    record Instance(String id, String type, Instant start, Instant end, ObjectNode json, StoredEvent event,
            Instant originalStart) {

        String changeKey() {
            return json.path("changeKey").asText();
        }

        boolean busy() {
            String showAs = json.path("showAs").asText("busy");
            return !showAs.equals("free") && !json.path("isCancelled").asBoolean(false);
        }
    }

    record Tombstone(String id, String calendarId, long seq) {
    }

    final Mailbox mailbox;
    final Map<String, Calendar> calendars = new LinkedHashMap<>();
    final Map<String, StoredEvent> events = new LinkedHashMap<>();
    final List<Tombstone> tombstones = new ArrayList<>();
    final Map<String, CalendarDelta.State> deltaStates = new LinkedHashMap<>();
    long seq;

    CalendarStore(Mailbox mailbox) {
        this.mailbox = mailbox;
        Calendar calendar = new Calendar(Ids.folderId(mailbox.key), "Calendar", true, Ids.changeKey(mailbox.key, 0));
        calendars.put(calendar.id, calendar);
    }

    synchronized Calendar defaultCalendar() {
        return calendars.values().iterator().next();
    }

    /** A calendar by id or (case-insensitive) name, or null. */
    synchronized Calendar calendar(String idOrName) {
        Calendar byId = calendars.get(idOrName);
        if (byId != null) {
            return byId;
        }
        for (Calendar c : calendars.values()) {
            if (c.name.equalsIgnoreCase(idOrName)) {
                return c;
            }
        }
        return null;
    }

    synchronized Calendar createCalendar(String name) {
        if (calendar(name) != null) {
            throw new GraphException(409, "ErrorFolderExists", "A folder with the specified name already exists.");
        }
        Calendar calendar = new Calendar(Ids.folderId(mailbox.key), name, false, Ids.changeKey(mailbox.key, ++seq));
        calendars.put(calendar.id, calendar);
        return calendar;
    }

    synchronized StoredEvent insert(Calendar calendar, ObjectNode json, Instant start, Instant end,
            Recurrence recurrence) {
        String id = Ids.messageId(mailbox.key);
        StoredEvent event = new StoredEvent(id, calendar.id, json);
        String now = Json.graphTime(Instant.now());
        json.put("id", id);
        json.put("createdDateTime", now);
        event.start = start;
        event.end = end;
        event.recurrence = recurrence;
        json.put("webLink", "https://outlook.office365.com/owa/?itemid=" + GraphApi.encode(id)
                + "&exvsurl=1&path=/calendar/item");
        events.put(id, event);
        event.seq = ++seq;
        event.json.put("lastModifiedDateTime", Json.graphTime(Instant.now()));
        event.json.put("changeKey", Ids.changeKey(mailbox.key, event.seq));
        mailbox.eventChanged(calendar.id, "created", id);
        return event;
    }

    /** Gives the event a new change sequence, change key and modification time. */
    synchronized void touch(StoredEvent event) {
        event.seq = ++seq;
        event.json.put("lastModifiedDateTime", Json.graphTime(Instant.now()));
        event.json.put("changeKey", Ids.changeKey(mailbox.key, event.seq));
        mailbox.eventChanged(event.calendarId, "updated", event.id);
    }

    synchronized void delete(StoredEvent event) {
        events.remove(event.id);
        tombstones.add(new Tombstone(event.id, event.calendarId, ++seq));
        mailbox.eventChanged(event.calendarId, "deleted", event.id);
    }

    /** Cancels one occurrence of a series (a delete of the occurrence). */
    synchronized void deleteOccurrence(StoredEvent master, Instant originalStart) {
        master.cancelled.add(originalStart);
        master.exceptions.remove(originalStart);
        master.exceptionTimes.remove(originalStart);
        tombstones.add(new Tombstone(occurrenceId(master.id, originalStart), master.calendarId, ++seq));
        mailbox.eventChanged(master.calendarId, "deleted", occurrenceId(master.id, originalStart));
    }

    /** Stores a changed occurrence as an exception of its series. */
    synchronized ObjectNode putException(StoredEvent master, Instant originalStart, ObjectNode json, Instant start,
            Instant end) {
        long s = ++seq;
        json.put("lastModifiedDateTime", Json.graphTime(Instant.now()));
        json.put("changeKey", Ids.changeKey(mailbox.key, s));
        master.exceptions.put(originalStart, json);
        master.exceptionTimes.put(originalStart, new Instant[] {start, end});
        mailbox.eventChanged(master.calendarId, "updated", master.id);
        return json;
    }

    synchronized List<StoredEvent> eventsIn(String calendarId) {
        List<StoredEvent> list = new ArrayList<>();
        for (StoredEvent e : events.values()) {
            if (calendarId == null || e.calendarId.equals(calendarId)) {
                list.add(e);
            }
        }
        return list;
    }

    // ---------------------------------------------------------------- ids of occurrences

    static String occurrenceId(String masterId, Instant originalStart) {
        String raw = masterId + "|" + originalStart.getEpochSecond();
        return OCCURRENCE_PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** [masterId, epochSecond] of an occurrence id, or null when the id is not one. */
    static String[] parseOccurrenceId(String id) {
        if (!id.startsWith(OCCURRENCE_PREFIX)) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(id.substring(OCCURRENCE_PREFIX.length())),
                    StandardCharsets.UTF_8);
            int bar = raw.lastIndexOf('|');
            if (bar < 0) {
                return null;
            }
            Long.parseLong(raw.substring(bar + 1));
            return new String[] {raw.substring(0, bar), raw.substring(bar + 1)};
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The instance of a single event, series master, occurrence or exception by id, or null. */
    synchronized Instance find(String id) {
        StoredEvent event = events.get(id);
        if (event != null) {
            return new Instance(event.id, event.isSeries() ? "seriesMaster" : "singleInstance", event.start,
                    event.end, event.json, event, null);
        }
        String[] parts = parseOccurrenceId(id);
        if (parts == null) {
            return null;
        }
        StoredEvent master = events.get(parts[0]);
        if (master == null || !master.isSeries()) {
            return null;
        }
        Instant originalStart = Instant.ofEpochSecond(Long.parseLong(parts[1]));
        if (master.cancelled.contains(originalStart)) {
            return null;
        }
        for (Instance i : expand(master, originalStart.minus(Duration.ofDays(1)),
                originalStart.plus(Duration.ofDays(1)).plus(master.duration()), true)) {
            if (i.id.equals(id)) {
                return i;
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- calendar view

    /** Every instance (single, occurrence, exception) overlapping [from, to), ordered by start. */
    synchronized List<Instance> view(String calendarId, Instant from, Instant to) {
        List<Instance> list = new ArrayList<>();
        for (StoredEvent e : events.values()) {
            if (calendarId != null && !e.calendarId.equals(calendarId)) {
                continue;
            }
            if (!e.isSeries()) {
                if (overlaps(e.start, e.end, from, to)) {
                    list.add(new Instance(e.id, "singleInstance", e.start, e.end, e.json, e, null));
                }
            } else {
                list.addAll(expand(e, from, to, false));
            }
        }
        list.sort(Comparator.comparing(Instance::start).thenComparing(Instance::id));
        return list;
    }

    private static boolean overlaps(Instant start, Instant end, Instant from, Instant to) {
        if (start.equals(end)) {
            return !start.isBefore(from) && start.isBefore(to);
        }
        return start.isBefore(to) && end.isAfter(from);
    }

    /** Occurrences and exceptions of a series overlapping [from, to); with {@code all} also outside it. */
    private List<Instance> expand(StoredEvent master, Instant from, Instant to, boolean all) {
        List<Instance> list = new ArrayList<>();
        ZoneId zone = master.zone();
        LocalDateTime firstLocal = LocalDateTime.ofInstant(master.start, zone);
        Duration duration = master.duration();
        LocalDate until = LocalDateTime.ofInstant(to, zone).toLocalDate().plusDays(1);
        for (LocalDate date : master.recurrence.dates(until)) {
            Instant originalStart = date.atTime(firstLocal.toLocalTime()).atZone(zone).toInstant();
            if (master.cancelled.contains(originalStart)) {
                continue;
            }
            String id = occurrenceId(master.id, originalStart);
            ObjectNode exception = master.exceptions.get(originalStart);
            if (exception != null) {
                Instant[] times = master.exceptionTimes.get(originalStart);
                if (all || overlaps(times[0], times[1], from, to)) {
                    list.add(new Instance(id, "exception", times[0], times[1], exception, master, originalStart));
                }
                continue;
            }
            Instant end = originalStart.plus(duration);
            if (all || overlaps(originalStart, end, from, to)) {
                list.add(new Instance(id, "occurrence", originalStart, end, master.json, master, originalStart));
            }
        }
        return list;
    }

    // ---------------------------------------------------------------- rendering

    /** The Graph JSON of an instance, with start and end in the given zone (Prefer: outlook.timezone). */
    static ObjectNode render(Instance instance, String zoneName) {
        ObjectNode json = instance.json();
        StoredEvent event = instance.event();
        ObjectNode out = Json.object();
        out.put("@odata.etag", "W/\"" + json.path("changeKey").asText() + "\"");
        boolean allDay = json.path("isAllDay").asBoolean(false);
        for (String property : EVENT_PROPERTIES) {
            switch (property) {
                case "id" -> out.put("id", instance.id());
                case "type" -> out.put("type", instance.type());
                case "seriesMasterId" -> {
                    if (instance.originalStart() != null) {
                        out.put("seriesMasterId", event.id);
                    } else {
                        out.putNull("seriesMasterId");
                    }
                }
                case "originalStart" -> {
                    if (instance.originalStart() != null) {
                        out.put("originalStart", Json.graphTime(instance.originalStart()));
                    }
                }
                case "recurrence" -> {
                    if (instance.type().equals("seriesMaster")) {
                        out.set("recurrence", json.get("recurrence").deepCopy());
                    } else {
                        out.putNull("recurrence");
                    }
                }
                case "start" -> out.set("start", time(instance.start(), zoneName, allDay, event.zone()));
                case "end" -> out.set("end", time(instance.end(), zoneName, allDay, event.zone()));
                default -> {
                    JsonNode value = json.get(property);
                    out.set(property, value == null ? Json.MAPPER.nullNode() : value.deepCopy());
                }
            }
        }
        return out;
    }

    /** All-day events float: their midnight in their own zone is shown as midnight in any zone. */
    private static ObjectNode time(Instant instant, String zoneName, boolean allDay, ZoneId eventZone) {
        if (!allDay) {
            return CalendarTime.render(instant, zoneName);
        }
        ObjectNode node = Json.object();
        node.put("dateTime", CalendarTime.GRAPH_LOCAL.format(LocalDateTime.ofInstant(instant, eventZone)));
        node.put("timeZone", zoneName);
        return node;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}

package io.github.outlook365.simulator;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Microsoft Graph v1.0 findMeetingTimes: meeting time suggestions from the simulated mailboxes' free/busy within
 * work hours.
 */
final class FindMeetingTimesApi {

    private final Outlook365Simulator simulator;

    FindMeetingTimesApi(Outlook365Simulator simulator) {
        this.simulator = simulator;
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/user-findmeetingtimes (attendees, timeConstraint,
    //   meetingDuration, maxCandidates, isOrganizerOptional)
    // simulator: suggestions from the simulated free/busy within 8:00 to 17:00 of the slot's zone
    void handle(HttpCall call, Mailbox organizer) {
        ObjectNode request = GraphApi.requireObject(call);
        Duration duration;
        try {
            duration = Duration.parse(request.path("meetingDuration").asText("PT30M"));
        } catch (DateTimeParseException e) {
            throw EventsApi.invalidValue("meetingDuration", request.get("meetingDuration"));
        }
        if (duration.isZero() || duration.isNegative()) {
            throw EventsApi.invalidValue("meetingDuration", request.get("meetingDuration"));
        }
        int maxCandidates = request.path("maxCandidates").asInt(5);
        String zone = CalendarTime.preferredZone(call.headerValues("Prefer"));
        // Graph's default activityDomain is work: suggestions within working hours (here 08:00-17:00, Monday to Friday,
        // in the zone of the time slot)
        String domain = request.path("timeConstraint").path("activityDomain").asText("work");
        boolean workHours = domain.equalsIgnoreCase("work");
        List<ZoneId> slotZones = new ArrayList<>();
        List<Instant[]> slots = new ArrayList<>();
        for (JsonNode slot : request.path("timeConstraint").path("timeSlots")) {
            slots.add(new Instant[] {CalendarTime.instant(slot.get("start"), "timeSlot start"),
                CalendarTime.instant(slot.get("end"), "timeSlot end")});
            slotZones.add(CalendarTime.zone(slot.path("start").path("timeZone").asText("UTC")));
        }
        if (slots.isEmpty()) {
            Instant from = Instant.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
            slots.add(new Instant[] {from, from.plus(Duration.ofDays(2))});
            slotZones.add(CalendarTime.zone(zone));
        }
        List<JsonNode> attendees = new ArrayList<>();
        request.path("attendees").forEach(attendees::add);
        ObjectNode body = Json.object();
        body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#microsoft.graph.meetingTimeSuggestionsResult");
        ArrayNode suggestions = Json.array();
        boolean anyUnknown = false;
        for (int n = 0; n < slots.size(); n++) {
            Instant[] slot = slots.get(n);
            ZoneId slotZone = slotZones.get(n);
            for (Instant s = slot[0]; !s.plus(duration).isAfter(slot[1]) && suggestions.size() < maxCandidates;
                    s = s.plus(Duration.ofMinutes(30))) {
                Instant e = s.plus(duration);
                if (workHours && !withinWorkHours(s, e, slotZone)) {
                    continue;
                }
                if (busy(organizer, s, e) != null) {
                    continue;
                }
                ArrayNode availability = Json.array();
                boolean allFree = true;
                for (JsonNode a : attendees) {
                    String address = a.path("emailAddress").path("address").asText();
                    Mailbox m = simulator.state().mailbox(address);
                    String state;
                    if (m == null) {
                        state = "unknown";
                        anyUnknown = true;
                    } else {
                        String b = busy(m, s, e);
                        state = b == null ? "free" : b;
                    }
                    if (!state.equals("free") && !state.equals("unknown")) {
                        allFree = false;
                    }
                    ObjectNode entry = availability.addObject();
                    entry.put("availability", state);
                    ObjectNode attendee = entry.putObject("attendee");
                    attendee.put("type", a.path("type").asText("required"));
                    attendee.set("emailAddress", a.path("emailAddress").deepCopy());
                }
                if (!allFree) {
                    continue;
                }
                ObjectNode suggestion = suggestions.addObject();
                suggestion.put("confidence", anyUnknown ? 50.0 : 100.0);
                suggestion.put("organizerAvailability", "free");
                suggestion.put("suggestionReason",
                        "Suggested because it is one of the nearest times when all attendees are available.");
                ObjectNode timeSlot = suggestion.putObject("meetingTimeSlot");
                timeSlot.set("start", CalendarTime.render(s, zone));
                timeSlot.set("end", CalendarTime.render(e, zone));
                suggestion.set("attendeeAvailability", availability);
                suggestion.putArray("locations");
            }
        }
        body.put("emptySuggestionsReason", suggestions.isEmpty() ? "AttendeesUnavailable" : "");
        body.set("meetingTimeSuggestions", suggestions);
        call.json(200, GraphApi.GRAPH_JSON, body);
    }

    private static boolean withinWorkHours(Instant start, Instant end, ZoneId zone) {
        LocalDateTime s = LocalDateTime.ofInstant(start, zone);
        LocalDateTime e = LocalDateTime.ofInstant(end, zone);
        return s.toLocalDate().equals(e.minusNanos(1).toLocalDate())
                && s.getDayOfWeek().getValue() <= 5
                && !s.toLocalTime().isBefore(LocalTime.of(8, 0))
                && !e.toLocalTime().isAfter(LocalTime.of(17, 0)) && !e.toLocalTime().equals(LocalTime.MIDNIGHT);
    }

    /** busy, tentative or oof when the mailbox has an event in [from, to) that blocks time; else null. */
    private static String busy(Mailbox mailbox, Instant from, Instant to) {
        String worst = null;
        synchronized (mailbox.calendars) {
            for (CalendarStore.Instance i : mailbox.calendars.view(mailbox.calendars.defaultCalendar().id, from, to)) {
                if (!i.busy()) {
                    continue;
                }
                String showAs = i.json().path("showAs").asText("busy");
                String state = showAs.equals("workingElsewhere") ? "busy" : showAs;
                if (worst == null || rank(state) > rank(worst)) {
                    worst = state;
                }
            }
        }
        return worst;
    }

    private static int rank(String state) {
        return switch (state) {
            case "oof" -> 3;
            case "busy" -> 2;
            default -> 1;
        };
    }
}

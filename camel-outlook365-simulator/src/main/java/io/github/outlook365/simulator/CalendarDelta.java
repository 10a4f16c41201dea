package io.github.outlook365.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * calendarView delta: GET /users/{u}/calendarView/delta?startDateTime=&endDateTime= (and
 * /users/{u}/calendars/{id}/calendarView/delta).
 *
 * <p>Model: a delta token remembers the window of the initial request, the id and change key of every instance the
 * client has been told about, and the store's change sequence. A round from a token returns each instance now in the
 * window that is new or whose change key changed (whole items), an {@code @removed} entry for each instance the client
 * knew that is no longer in the window (deleted, cancelled or moved out), and, as Exchange does, an {@code @removed}
 * entry for items deleted since the token even when they were outside the window. Links carry only $skiptoken or
 * $deltatoken, the state stays on the server; skip and delta links can be replayed. A token issued before
 * {@code forceDeltaReset} answers 410 syncStateNotFound, like message delta.
 */
final class CalendarDelta {

    private static final Pattern TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9_-]{32}");

    /** Server-side state behind one skip or delta token. */
    record State(boolean skip, String calendarId, boolean viaCalendar, int generation, Instant from, Instant to,
            Map<String, String> known, long watermark, List<ObjectNode> snapshot, int offset, int pageSize) {
    }

    private final Outlook365Simulator simulator;

    CalendarDelta(Outlook365Simulator simulator) {
        this.simulator = simulator;
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/event-delta,
    //   https://learn.microsoft.com/en-us/graph/delta-query-events (a calendar view's delta; "of the default
    //   calendar or some other specified calendar")
    // observed: /calendars/{id}/calendarView/delta (the API page shows the primary calendar's path only)
    // observed: an event that left the window (moved, cancelled) comes as @removed with reason deleted, as a deleted
    //   one does
    void handle(HttpCall call, Mailbox mailbox, CalendarStore.Calendar calendar, boolean viaCalendar) {
        String skipToken = call.param("$skiptoken");
        String deltaToken = call.param("$deltatoken");
        Integer preferred = Messages.maxPageSize(call.headerValues("Prefer"));
        String zone = CalendarTime.preferredZone(call.headerValues("Prefer"));
        CalendarStore store = mailbox.calendars;
        if (skipToken != null && deltaToken != null) {
            throw new GraphException(400, "syncStateInvalid",
                    "A request can carry either a $skiptoken or a $deltatoken, not both.");
        }
        int pageSize = Math.max(1, Math.min(preferred != null ? preferred : DeltaEngine.DEFAULT_PAGE_SIZE,
                DeltaEngine.MAX_PAGE_SIZE));
        if (skipToken != null) {
            State s = lookup(store, mailbox, skipToken, true, calendar, viaCalendar);
            page(call, mailbox, store, s, s.snapshot(), s.offset(), pageSize, preferred, zone);
            return;
        }
        State previous = null;
        Instant from;
        Instant to;
        if (deltaToken != null && !deltaToken.isEmpty()) {
            previous = lookup(store, mailbox, deltaToken, false, calendar, viaCalendar);
            from = previous.from();
            to = previous.to();
        } else {
            from = CalendarTime.queryInstant(call, "startDateTime");
            to = CalendarTime.queryInstant(call, "endDateTime");
            if (from == null || to == null) {
                throw new GraphException(400, "ErrorInvalidParameter", "This request requires a time window specified"
                        + " by the query string parameters StartDateTime and EndDateTime.");
            }
            if (!to.isAfter(from)) {
                throw new GraphException(400, "ErrorInvalidParameter",
                        "The parameter 'EndDateTime' must be later than 'StartDateTime'.");
            }
        }
        List<ObjectNode> entries = new ArrayList<>();
        Map<String, String> known = new LinkedHashMap<>();
        long watermark;
        synchronized (store) {
            watermark = store.seq;
            Map<String, String> before = previous == null ? Map.of() : previous.known();
            Map<String, CalendarStore.Instance> now = new LinkedHashMap<>();
            for (CalendarStore.Instance i : store.view(calendar.id, from, to)) {
                now.put(i.id(), i);
            }
            if (previous != null) {
                Map<String, Boolean> reported = new HashMap<>();
                for (String id : before.keySet()) {
                    if (!now.containsKey(id)) {
                        entries.add(removed(id));
                        reported.put(id, true);
                    }
                }
                for (CalendarStore.Tombstone t : store.tombstones) {
                    if (t.seq() > previous.watermark() && t.calendarId().equals(calendar.id)
                            && !now.containsKey(t.id()) && !reported.containsKey(t.id())) {
                        entries.add(removed(t.id()));
                        reported.put(t.id(), true);
                    }
                }
            }
            for (CalendarStore.Instance i : now.values()) {
                known.put(i.id(), i.changeKey());
                String was = before.get(i.id());
                if (previous == null || was == null || !was.equals(i.changeKey())) {
                    ObjectNode item = CalendarStore.render(i, zone);
                    ObjectNode typed = Json.object();
                    typed.put("@odata.type", "#microsoft.graph.event");
                    typed.setAll(item);
                    entries.add(typed);
                }
            }
        }
        State base = new State(false, calendar.id, viaCalendar, mailbox.deltaGeneration, from, to, Map.copyOf(known),
                watermark, null, 0, pageSize);
        page(call, mailbox, store, base, List.copyOf(entries), 0, pageSize, preferred, zone);
    }

    private static ObjectNode removed(String id) {
        ObjectNode removed = Json.object();
        removed.put("@odata.type", "#microsoft.graph.event");
        removed.put("id", id);
        removed.putObject("@removed").put("reason", "deleted");
        return removed;
    }

    private State lookup(CalendarStore store, Mailbox mailbox, String token, boolean skip,
            CalendarStore.Calendar calendar, boolean viaCalendar) {
        State s;
        synchronized (store) {
            s = store.deltaStates.get(token);
        }
        if (s == null) {
            if (TOKEN_SHAPE.matcher(token).matches()) {
                throw gone(mailbox, calendar, viaCalendar, null);
            }
            throw new GraphException(400, "syncStateInvalid",
                    "The " + (skip ? "$skiptoken" : "$deltatoken") + " is malformed.");
        }
        if (s.skip() != skip || !s.calendarId().equals(calendar.id)) {
            throw new GraphException(400, "syncStateInvalid",
                    "The sync state does not belong to this calendar view.");
        }
        if (s.generation() != mailbox.deltaGeneration) {
            throw gone(mailbox, calendar, viaCalendar, s);
        }
        return s;
    }

    private GraphException gone(Mailbox mailbox, CalendarStore.Calendar calendar, boolean viaCalendar, State s) {
        String location = deltaUrl(mailbox, calendar, viaCalendar);
        if (s != null) {
            location += "?startDateTime=" + Json.graphTime(s.from()) + "&endDateTime=" + Json.graphTime(s.to());
        }
        return new GraphException(410, "syncStateNotFound",
                "The sync state generation is not found. The delta token is expired and data must be synchronized"
                        + " again.").header("Location", location);
    }

    private String deltaUrl(Mailbox mailbox, CalendarStore.Calendar calendar, boolean viaCalendar) {
        return simulator.baseUrl() + "/v1.0/users/" + mailbox.upn
                + (viaCalendar ? "/calendars/" + calendar.id : "") + "/calendarView/delta";
    }

    private void page(HttpCall call, Mailbox mailbox, CalendarStore store, State base, List<ObjectNode> snapshot,
            int offset, int pageSize, Integer preferred, String zone) {
        int end = Math.min(snapshot.size(), offset + pageSize);
        ObjectNode body = Json.object();
        body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#Collection(event)");
        String token = Ids.token();
        String url = deltaUrl(mailbox, mailbox.calendars.calendar(base.calendarId()), base.viaCalendar());
        synchronized (store) {
            if (end < snapshot.size()) {
                store.deltaStates.put(token, new State(true, base.calendarId(), base.viaCalendar(), base.generation(),
                        base.from(), base.to(), base.known(), base.watermark(), snapshot, end, pageSize));
                body.put("@odata.nextLink", url + "?$skiptoken=" + token);
            } else {
                store.deltaStates.put(token, new State(false, base.calendarId(), base.viaCalendar(),
                        base.generation(), base.from(), base.to(), base.known(), base.watermark(), null, 0, pageSize));
                body.put("@odata.deltaLink", url + "?$deltatoken=" + token);
            }
        }
        ArrayNode value = body.putArray("value");
        for (int i = offset; i < end; i++) {
            value.add(snapshot.get(i).deepCopy());
        }
        List<String> applied = new ArrayList<>();
        if (preferred != null) {
            applied.add("odata.maxpagesize=" + Math.min(preferred, DeltaEngine.MAX_PAGE_SIZE));
        }
        if (CalendarTime.hasPreferredZone(call.headerValues("Prefer"))) {
            applied.add("outlook.timezone=\"" + zone + "\"");
        }
        if (!applied.isEmpty()) {
            call.setHeader("Preference-Applied", String.join(", ", applied));
        }
        call.json(200, GraphApi.GRAPH_JSON, body);
    }
}

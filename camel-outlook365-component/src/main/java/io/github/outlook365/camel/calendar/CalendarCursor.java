package io.github.outlook365.camel.calendar;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.outlook365.camel.graph.GraphJson;

/**
 * What a calendar change trigger knows of its window, stored in one piece beside the trigger's cursor (which holds the
 * links): the window its calendar view covers, when its last round started, each event instance it knows in the
 * window with the change key it last saw (so a new id is a creation, a new change key an update, and an
 * {@code @removed} of an unknown id a deletion outside the window), and what the round in progress has seen so far.
 * Everything in it is bounded by the window.
 *
 * @param deltaLink   read from state an older version wrote (it kept its link here); not written any more
 * @param full        whether the round in progress is a fresh view of the window (compared with what was known) rather
 *                    than a delta round
 * @param roundStart  when the round in progress started
 * @param seen        the ids a fresh view has shown so far in the round in progress (what is known but not seen at its
 *                    end is gone)
 * @param series      the series whose change already fired in the round in progress (their occurrences fold into one)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record CalendarCursor(String deltaLink, Instant windowStart, Instant windowEnd, Instant lastRound,
                      Map<String, Known> known, boolean full, Instant roundStart, Set<String> seen, Set<String> series) {

    /** What the trigger remembers of one event instance. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Known(String changeKey, String subject, Instant start, Instant end, String type, String seriesMasterId) {
    }

    CalendarCursor {
        known = known == null ? new LinkedHashMap<>() : new LinkedHashMap<>(known);
        seen = seen == null ? new LinkedHashSet<>() : new LinkedHashSet<>(seen);
        series = series == null ? new LinkedHashSet<>() : new LinkedHashSet<>(series);
    }

    /** A window nothing is known of yet. */
    static CalendarCursor empty(Instant windowStart, Instant windowEnd, Instant now) {
        return new CalendarCursor(null, windowStart, windowEnd, now, null, true, now, null, null);
    }

    /** A new round: a fresh view of {@code [from, to)} or a delta round of the same window. */
    CalendarCursor startRound(Instant now, boolean fullView, Instant from, Instant to) {
        return new CalendarCursor(null, from, to, lastRound, known, fullView, now, null, null);
    }

    /** A copy to change while a page is read; the trigger commits it once the page is done. */
    CalendarCursor copy() {
        return new CalendarCursor(null, windowStart, windowEnd, lastRound, known, full, roundStart, seen, series);
    }

    /** The round is over: it counts as the last round, from its start. */
    CalendarCursor endRound() {
        return new CalendarCursor(null, windowStart, windowEnd, roundStart, known, false, null, null, null);
    }

    static CalendarCursor parse(String json) {
        try {
            return GraphJson.MAPPER.readValue(json, CalendarCursor.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored calendar trigger state is not readable: " + e.getOriginalMessage(), e);
        }
    }

    String toJson() {
        try {
            return GraphJson.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

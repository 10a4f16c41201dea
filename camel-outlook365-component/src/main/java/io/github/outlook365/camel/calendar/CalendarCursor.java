package io.github.outlook365.camel.calendar;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.outlook365.camel.graph.GraphJson;

/**
 * Where a calendar change trigger stands, stored in one piece beside the trigger's cursor: the delta link of its
 * calendar view, the window that view covers, when its last round started, and each event instance it knows in the
 * window with the change key it last saw (so a new id is a creation, a new change key an update, and an
 * {@code @removed} of an unknown id a deletion outside the window).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record CalendarCursor(String deltaLink, Instant windowStart, Instant windowEnd, Instant lastRound,
                      Map<String, Known> known) {

    /** What the trigger remembers of one event instance. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Known(String changeKey, String subject, Instant start, Instant end, String type, String seriesMasterId) {
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

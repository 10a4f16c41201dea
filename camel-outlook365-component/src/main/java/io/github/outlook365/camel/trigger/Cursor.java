package io.github.outlook365.camel.trigger;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.outlook365.camel.graph.GraphJson;

/**
 * Where a trigger stands, as stored in its {@link org.apache.camel.spi.StateRepository}.
 *
 * @param deltaLink    the delta link that starts the next round; null before the first completed round and after a reset
 * @param baseline     the trigger fires for nothing received before this instant
 * @param lastReceived the newest receivedDateTime the trigger saw; a delta reset restarts from here, not from "now"
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Cursor(String deltaLink, Instant baseline, Instant lastReceived) {

    public static Cursor parse(String json) {
        try {
            return GraphJson.MAPPER.readValue(json, Cursor.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored trigger state is not readable: " + e.getOriginalMessage(), e);
        }
    }

    public String toJson() {
        try {
            return GraphJson.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where a round starts when there is no delta link: the newest message seen, else the baseline. */
    public Instant restartFrom() {
        return lastReceived != null ? lastReceived : baseline;
    }

    public Cursor withDeltaLink(String link) {
        return new Cursor(link, baseline, lastReceived);
    }

    public Cursor seen(Instant received) {
        if (received == null || (lastReceived != null && !received.isAfter(lastReceived))) {
            return this;
        }
        return new Cursor(deltaLink, baseline, received);
    }
}

package io.github.outlook365.camel.trigger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.github.outlook365.camel.graph.GraphJson;

/**
 * The items a trigger parked: each failed {@code maxAttempts} exchanges in a row, so the trigger moved on without it
 * and retries it later, by itself, with a growing delay. Kept as one bounded document of the trigger's state: at most
 * {@link #CAP} items; parking one more gives up on the oldest (the trigger says so).
 */
final class ParkedItems {

    /** Most parked items a trigger keeps. */
    static final int CAP = 1000;
    /** The longest wait between two retries of a parked item (unless the first wait is longer). */
    static final Duration MAX_RETRY_DELAY = Duration.ofHours(1);
    /** How much of the last error a parked item keeps. */
    private static final int ERROR_LENGTH = 500;

    private final Map<String, ParkedItem> items = new LinkedHashMap<>();

    static ParkedItems parse(String json) {
        ParkedItems parked = new ParkedItems();
        if (json == null || json.isBlank()) {
            return parked;
        }
        try {
            List<ParkedItem> list = GraphJson.MAPPER.readValue(json, new TypeReference<List<ParkedItem>>() {
            });
            list.forEach(i -> parked.items.put(i.key(), i));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored parked items are not readable: " + e.getOriginalMessage(), e);
        }
        return parked;
    }

    String toJson() {
        try {
            return GraphJson.MAPPER.writeValueAsString(new ArrayList<>(items.values()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new parked item, first retried after {@code firstDelay}. */
    static ParkedItem park(Candidate candidate, int attempts, String error, Instant now, Duration firstDelay,
                           String payload) {
        return new ParkedItem(candidate.key(), candidate.itemId(), candidate.horizon(), attempts, 0, shorten(error),
                now, now.plus(firstDelay), payload);
    }

    /** How long a parked item waits after {@code retries} failed retries: doubling, up to an hour. */
    static Duration delay(Duration first, int retries) {
        Duration max = first.compareTo(MAX_RETRY_DELAY) > 0 ? first : MAX_RETRY_DELAY;
        Duration d = first;
        for (int i = 0; i < retries && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }

    boolean contains(String key) {
        return items.containsKey(key);
    }

    int size() {
        return items.size();
    }

    /**
     * Parks (or re-parks) an item.
     *
     * @return the oldest parked item, given up on to stay within {@link #CAP}; null when there was room
     */
    ParkedItem put(ParkedItem item) {
        items.remove(item.key());
        items.put(item.key(), item);
        if (items.size() <= CAP) {
            return null;
        }
        String oldest = items.keySet().iterator().next();
        return items.remove(oldest);
    }

    void remove(String key) {
        items.remove(key);
    }

    /** The parked items whose retry is due, oldest retry first. */
    List<ParkedItem> due(Instant now) {
        List<ParkedItem> due = new ArrayList<>();
        for (ParkedItem item : items.values()) {
            if (!item.nextAttempt().isAfter(now)) {
                due.add(item);
            }
        }
        due.sort((a, b) -> a.nextAttempt().compareTo(b.nextAttempt()));
        return Collections.unmodifiableList(due);
    }

    static String shorten(String error) {
        if (error == null) {
            return null;
        }
        String oneLine = error.replace('\r', ' ').replace('\n', ' ');
        return oneLine.length() <= ERROR_LENGTH ? oneLine : oneLine.substring(0, ERROR_LENGTH) + "...";
    }
}

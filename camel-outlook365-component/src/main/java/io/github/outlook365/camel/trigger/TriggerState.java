package io.github.outlook365.camel.trigger;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.StateRepository;

/**
 * A trigger's memory: its cursor (written only when a round's work is done) and the ids it delivered (so a replayed
 * round, or an update to a delivered item, does not fire again).
 */
public final class TriggerState {

    private final String key;
    private final StateRepository<String, String> cursors;
    private final IdempotentRepository delivered;

    public TriggerState(String key, StateRepository<String, String> cursors, IdempotentRepository delivered) {
        this.key = key;
        this.cursors = cursors;
        this.delivered = delivered;
    }

    public String key() {
        return key;
    }

    /** The stored cursor, or null for a trigger that never ran. */
    public Cursor cursor() {
        String json = cursors.getState(key);
        return json == null || json.isBlank() ? null : Cursor.parse(json);
    }

    public void commit(Cursor cursor) {
        cursors.setState(key, cursor.toJson());
    }

    /**
     * A further document a trigger keeps beside its cursor (e.g. what a calendar trigger knows of the events in its
     * window), or null. Written with {@link #commitDocument(String, String)} in one piece, so it is never torn.
     */
    public String document(String part) {
        String value = cursors.getState(key + "/" + part);
        return value == null || value.isBlank() ? null : value;
    }

    public void commitDocument(String part, String value) {
        cursors.setState(key + "/" + part, value);
    }

    public boolean delivered(String id) {
        return delivered.contains(dedupKey(id));
    }

    public void markDelivered(String id) {
        String k = dedupKey(id);
        delivered.add(k);
        delivered.confirm(k);
    }

    /** Forgets a delivered id, so that it may fire again (e.g. a message flagged again after it was unflagged). */
    public void forget(String id) {
        delivered.remove(dedupKey(id));
    }

    // a repository may be shared by several triggers: keep their ids apart
    private String dedupKey(String id) {
        return key + "#" + id;
    }
}

package io.github.outlook365.camel.trigger;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.StateRepository;

/**
 * A trigger's memory: its cursor (written only when a page's work is done) and the ids it delivered (so a replayed
 * page, or an update to a delivered item, does not fire again).
 * <p>
 * It works on any Camel {@link StateRepository} / {@link IdempotentRepository}. Keys are the trigger's state key (the
 * cursor), {@code key/part} (documents) and {@code key#id} (delivered ids), so one repository can hold many triggers.
 * A repository that also implements {@link HorizonIdempotentRepository} (the component's own store) forgets the ids a
 * trigger prunes; a plain one keeps what its own policy keeps.
 */
public final class TriggerState implements AutoCloseable {

    private final String key;
    private final StateRepository<String, String> cursors;
    private final IdempotentRepository delivered;
    private final TriggerLeadership leadership;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    public TriggerState(String key, StateRepository<String, String> cursors, IdempotentRepository delivered) {
        this(key, cursors, delivered, null, () -> {
        });
    }

    TriggerState(String key, StateRepository<String, String> cursors, IdempotentRepository delivered,
                 TriggerLeadership leadership, Runnable release) {
        this.key = key;
        this.cursors = cursors;
        this.delivered = delivered;
        this.leadership = leadership;
        this.release = release;
    }

    /**
     * This node's leadership over a state shared by a cluster (option stateDataSource), or null for a state of this
     * process alone.
     */
    public TriggerLeadership leadership() {
        return leadership;
    }

    public String key() {
        return key;
    }

    /** The stored cursor, or null for a trigger that never ran. */
    public Cursor cursor() {
        String json = cursors.getState(key);
        return json == null || json.isBlank() ? null : Cursor.parse(json);
    }

    /** Stores the cursor; with the component's store it is atomic and durable when this returns. */
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

    /** Remembers a delivered id until it is forgotten: {@code markDelivered(id, null)}. */
    public void markDelivered(String id) {
        markDelivered(id, null);
    }

    /**
     * Remembers a delivered id.
     *
     * @param horizon the instant the id belongs to (a mail's receivedDateTime, an occurrence's start), after which
     *                {@link #pruneBefore(Instant)} may forget it; null keeps it until {@link #forget(String)}
     */
    public void markDelivered(String id, Instant horizon) {
        String k = dedupKey(id);
        if (delivered instanceof HorizonIdempotentRepository bounded) {
            bounded.add(k, horizon);
        } else {
            delivered.add(k);
            delivered.confirm(k);
        }
    }

    /** Forgets a delivered id, so that it may fire again (e.g. a message flagged again after it was unflagged). */
    public void forget(String id) {
        delivered.remove(dedupKey(id));
    }

    /**
     * Forgets every delivered id whose horizon is before {@code horizon} (ids marked without one stay): the trigger's
     * cursor has passed them for good, so they cannot fire again. A plain {@link IdempotentRepository} cannot tell
     * horizons and keeps them.
     */
    public void pruneBefore(Instant horizon) {
        if (delivered instanceof HorizonIdempotentRepository bounded) {
            bounded.pruneBefore(key + "#", horizon);
        }
    }

    /** The trigger stopped: its state is free for a trigger started later (the component's store closes its files). */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            release.run();
        }
    }

    // a repository may be shared by several triggers: keep their ids apart
    private String dedupKey(String id) {
        return key + "#" + id;
    }
}

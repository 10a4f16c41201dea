package io.github.outlook365.camel.trigger;

import java.time.Instant;

import org.apache.camel.spi.IdempotentRepository;

/**
 * An {@link IdempotentRepository} whose keys carry a horizon: the instant a key belongs to (a message's
 * receivedDateTime, an occurrence's start). A trigger forgets the keys its cursor has passed for good with
 * {@link #pruneBefore(String, Instant)}, so its dedup store stays as large as the window in which an item can still come
 * back, however long it runs; nothing is ever evicted for lack of room.
 * <p>
 * Triggers work on any {@code IdempotentRepository} (a user's {@code idempotentRepository} bean); one that implements
 * this interface as well (the component's own file store, a shared database store for clusters) is also kept bounded.
 * A plain one keeps what its own policy keeps.
 */
public interface HorizonIdempotentRepository extends IdempotentRepository {

    /**
     * Adds a key, confirmed at once. A key already present keeps the later of its two horizons (a key with no horizon
     * is the latest).
     *
     * @param  horizon the instant the key belongs to; null keeps the key until it is removed
     * @return         true when the key was not present
     */
    boolean add(String key, Instant horizon);

    /** Adds a key with no horizon: it stays until it is removed. */
    @Override
    default boolean add(String key) {
        return add(key, null);
    }

    /**
     * Forgets every key that starts with {@code keyPrefix} and whose horizon is before {@code horizon}. Keys added with no
     * horizon stay. A repository may keep a key up to a minute longer than asked (it rounds horizons up), never shorter.
     *
     * @return how many keys were forgotten
     */
    long pruneBefore(String keyPrefix, Instant horizon);
}

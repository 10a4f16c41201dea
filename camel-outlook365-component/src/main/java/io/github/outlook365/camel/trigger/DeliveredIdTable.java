package io.github.outlook365.camel.trigger;

import java.time.Instant;
import java.util.function.LongConsumer;

/**
 * The delivered ids of one trigger in memory: a 64-bit hash of each id with its horizon beside it, in an
 * open-addressing table with linear probing (two primitive arrays, no object per id). Lookups and adds are O(1); one
 * id costs 12 bytes a slot, 16 to 32 bytes at the table's load of 0.375 to 0.75.
 * <p>
 * Horizons are kept in whole minutes since the epoch, rounded up, so that an id is pruned up to a minute late and never
 * early. {@link #NO_HORIZON} (the largest value) marks an id kept until it is removed: no prune ever passes it.
 * <p>
 * A hash stands for its id: two ids with the same 64-bit hash are one id to the table. Among a million ids the chance
 * that any two share a hash is about 3 in 100 million (n²/2⁶⁵).
 */
final class DeliveredIdTable {

    static final int NO_HORIZON = Integer.MAX_VALUE;

    // 2^30 slots: 800 million ids; beyond that the table refuses rather than silently dropping ids
    private static final int MAX_CAPACITY = 1 << 30;
    private static final int MIN_CAPACITY = 1 << 10;

    private long[] hashes;
    private int[] horizons;
    private int mask;
    private int size;
    // no horizon in the table is before this (a lower bound), so most prunes know without a scan that nothing is due
    private int oldestHorizon = NO_HORIZON;

    DeliveredIdTable() {
        allocate(MIN_CAPACITY);
    }

    /** The stored form of a horizon: minutes since the epoch, rounded up; {@link #NO_HORIZON} for null. */
    static int horizon(Instant horizon) {
        if (horizon == null) {
            return NO_HORIZON;
        }
        long seconds = horizon.getEpochSecond();
        long minutes = Math.floorDiv(seconds, 60) + (Math.floorMod(seconds, 60) == 0 && horizon.getNano() == 0 ? 0 : 1);
        return (int) Math.max(1, Math.min(NO_HORIZON - 1L, minutes));
    }

    /**
     * The stored horizon below which {@code pruneBefore(instant)} forgets: an id whose rounded-up horizon is below it
     * belongs to an instant before {@code instant}.
     */
    static int pruneThreshold(Instant instant) {
        return horizon(instant);
    }

    /**
     * The 64-bit hash of an id: its UTF-16 code units four at a time through a multiply-rotate mix, then a final
     * avalanche. Stable across JVMs and versions (it is what the log on disk stores); never 0, which marks a free slot.
     */
    static long hash(String id) {
        int n = id.length();
        long h = 0x9E3779B97F4A7C15L ^ (n * 0xC2B2AE3D27D4EB4FL);
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            long block = id.charAt(i) | (long) id.charAt(i + 1) << 16 | (long) id.charAt(i + 2) << 32
                         | (long) id.charAt(i + 3) << 48;
            h = Long.rotateLeft(h ^ mixBlock(block), 27) * 5 + 0x52DCE729L;
        }
        if (i < n) {
            long block = 0;
            for (int shift = 0; i < n; i++, shift += 16) {
                block |= (long) id.charAt(i) << shift;
            }
            h ^= mixBlock(block);
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h == 0 ? 1 : h;
    }

    private static long mixBlock(long block) {
        return Long.rotateLeft(block * 0x87C37B91114253D5L, 31) * 0x4CF5AD432745937FL;
    }

    int size() {
        return size;
    }

    /** Bytes the two arrays take on the heap. */
    long bytes() {
        return (long) hashes.length * Long.BYTES + (long) horizons.length * Integer.BYTES;
    }

    boolean contains(long hash) {
        return slot(hash) >= 0;
    }

    /** What {@link #put} did. */
    static final int ADDED = 1;
    static final int EXTENDED = 2;
    static final int UNCHANGED = 0;

    /**
     * Adds a hash, or moves the horizon of a present one to the later of the two (an id kept longer is never wrong).
     *
     * @return {@link #ADDED}, {@link #EXTENDED} (present, its horizon moved) or {@link #UNCHANGED}
     */
    int put(long hash, int horizon) {
        int i = (int) hash & mask;
        while (hashes[i] != 0) {
            if (hashes[i] == hash) {
                if (horizons[i] >= horizon) {
                    return UNCHANGED;
                }
                horizons[i] = horizon;
                return EXTENDED;
            }
            i = (i + 1) & mask;
        }
        if ((size + 1L) * 4 > (long) hashes.length * 3) {
            grow();
            return put(hash, horizon);
        }
        hashes[i] = hash;
        horizons[i] = horizon;
        size++;
        oldestHorizon = Math.min(oldestHorizon, horizon);
        return ADDED;
    }

    /** True when it was present. */
    boolean remove(long hash) {
        int slot = slot(hash);
        if (slot < 0) {
            return false;
        }
        removeAt(slot);
        return true;
    }

    /**
     * Forgets every hash whose stored horizon is below {@code threshold}, telling {@code forgotten} each one; O(1) when
     * none is due, else one scan of the table.
     */
    int pruneBelow(int threshold, LongConsumer forgotten) {
        if (threshold <= oldestHorizon) {
            return 0;
        }
        int capacity = hashes.length;
        // start after a free slot: no run of occupied slots then wraps past the scan's start, and a backward shift only
        // moves entries from slots not yet scanned into the slot being scanned
        int start = 0;
        while (hashes[(start - 1) & mask] != 0) {
            start++;
        }
        int removed = 0;
        int oldest = NO_HORIZON;
        for (int step = 0; step < capacity; step++) {
            int i = (start + step) & mask;
            while (hashes[i] != 0 && horizons[i] < threshold) {
                forgotten.accept(hashes[i]);
                removeAt(i);
                removed++;
            }
            if (hashes[i] != 0) {
                oldest = Math.min(oldest, horizons[i]);
            }
        }
        oldestHorizon = oldest;
        return removed;
    }

    void clear() {
        allocate(MIN_CAPACITY);
    }

    /** Slots of the table, for a caller that walks every entry ({@link #hashAt} is 0 for a free slot). */
    int slots() {
        return hashes.length;
    }

    long hashAt(int slot) {
        return hashes[slot];
    }

    int horizonAt(int slot) {
        return horizons[slot];
    }

    private int slot(long hash) {
        int i = (int) hash & mask;
        while (hashes[i] != 0) {
            if (hashes[i] == hash) {
                return i;
            }
            i = (i + 1) & mask;
        }
        return -1;
    }

    // backward-shift deletion: entries behind the hole whose probe path passes it move up, so no tombstones accumulate
    private void removeAt(int slot) {
        int hole = slot;
        int i = slot;
        while (true) {
            i = (i + 1) & mask;
            long hash = hashes[i];
            if (hash == 0) {
                break;
            }
            int home = (int) hash & mask;
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                hashes[hole] = hash;
                horizons[hole] = horizons[i];
                hole = i;
            }
        }
        hashes[hole] = 0;
        horizons[hole] = 0;
        size--;
    }

    private void grow() {
        if (hashes.length >= MAX_CAPACITY) {
            throw new IllegalStateException("a trigger holds more than " + (MAX_CAPACITY / 4 * 3)
                                            + " delivered ids; it forgets none on its own, so prune them"
                                            + " (pruneBefore) or give the trigger a new stateKey");
        }
        long[] oldHashes = hashes;
        int[] oldHorizons = horizons;
        allocate(hashes.length * 2);
        for (int i = 0; i < oldHashes.length; i++) {
            if (oldHashes[i] != 0) {
                int j = (int) oldHashes[i] & mask;
                while (hashes[j] != 0) {
                    j = (j + 1) & mask;
                }
                hashes[j] = oldHashes[i];
                horizons[j] = oldHorizons[i];
                size++;
                oldestHorizon = Math.min(oldestHorizon, oldHorizons[i]);
            }
        }
    }

    private void allocate(int capacity) {
        hashes = new long[capacity];
        horizons = new int[capacity];
        mask = capacity - 1;
        size = 0;
        oldestHorizon = NO_HORIZON;
    }
}

package io.github.outlook365.camel.trigger;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeliveredIdTableTest {

    @Test
    void theHashOfAnIdNeverChangesBecauseTheLogOnDiskHoldsIt() {
        // values of the format version 1 of delivered.log: a change of the hash must come with a new format version
        assertEquals(0x9CA066F1A4AB2EEAL, DeliveredIdTable.hash(""));
        assertEquals(0xEC59C2BF31EE840FL, DeliveredIdTable.hash("mail.received/contoso/ada/inbox#AAMkAGI2TG93AAA="));
        assertNotEquals(DeliveredIdTable.hash("k#ab"), DeliveredIdTable.hash("k#ba"));
    }

    @Test
    void addsRemovesAndPrunesAgreeWithAPlainMapEvenWhenEveryHashCollidesInTheTable() {
        // given hashes whose low bits are alike (long runs of occupied slots that wrap around the table's end), and a
        // HashMap doing the same operations
        Random random = new Random(11);
        DeliveredIdTable table = new DeliveredIdTable();
        Map<Long, Integer> model = new HashMap<>();
        List<Long> known = new ArrayList<>();
        for (int step = 0; step < 200_000; step++) {
            int operation = random.nextInt(100);
            if (operation < 60 || known.isEmpty()) {
                // low 10 bits from a handful of values near the end of a 1,024-slot table
                long hash = (random.nextLong() & ~0x3FFL) | (1020 + random.nextInt(4));
                int horizon = random.nextInt(10) == 0 ? DeliveredIdTable.NO_HORIZON : 1 + random.nextInt(1_000);
                Integer before = model.get(hash);
                int expected = before == null ? DeliveredIdTable.ADDED
                        : before >= horizon ? DeliveredIdTable.UNCHANGED : DeliveredIdTable.EXTENDED;
                assertEquals(expected, table.put(hash, horizon));
                model.merge(hash, horizon, Math::max);
                known.add(hash);
            } else if (operation < 90) {
                long hash = known.get(random.nextInt(known.size()));
                assertEquals(model.remove(hash) != null, table.remove(hash));
            } else {
                int threshold = random.nextInt(1_000);
                List<Long> forgotten = new ArrayList<>();
                int removed = table.pruneBelow(threshold, forgotten::add);
                List<Long> expected = model.entrySet().stream().filter(e -> e.getValue() < threshold).map(Map.Entry::getKey)
                        .toList();
                assertEquals(expected.size(), removed);
                assertEquals(new HashSet<>(expected), new HashSet<>(forgotten));
                expected.forEach(model::remove);
            }
            if (step % 1_000 == 0) {
                assertSame(model, table);
            }
        }
        assertSame(model, table);
    }

    private static void assertSame(Map<Long, Integer> model, DeliveredIdTable table) {
        assertEquals(model.size(), table.size());
        int occupied = 0;
        for (int slot = 0; slot < table.slots(); slot++) {
            long hash = table.hashAt(slot);
            if (hash != 0) {
                occupied++;
                assertEquals(model.get(hash), table.horizonAt(slot));
                assertTrue(table.contains(hash));
            }
        }
        assertEquals(model.size(), occupied);
    }

    @Test
    void horizonsAreRoundedUpToTheMinuteAndNullMeansNever() {
        Instant minute = Instant.parse("2026-03-01T10:00:00Z");
        int stored = (int) (minute.getEpochSecond() / 60);
        assertEquals(stored, DeliveredIdTable.horizon(minute));
        assertEquals(stored + 1, DeliveredIdTable.horizon(minute.plusMillis(1)));
        assertEquals(DeliveredIdTable.NO_HORIZON, DeliveredIdTable.horizon(null));
        assertEquals(1, DeliveredIdTable.horizon(Instant.EPOCH.minusSeconds(3600)));
        assertEquals(DeliveredIdTable.NO_HORIZON - 1, DeliveredIdTable.horizon(Instant.MAX));
    }
}

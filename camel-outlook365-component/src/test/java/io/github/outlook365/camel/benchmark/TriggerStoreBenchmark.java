package io.github.outlook365.camel.benchmark;

import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Random;

import io.github.outlook365.camel.trigger.FileTriggerStore;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a delivered-id lookup and add cost in the trigger's state store at 10,000 / 100,000 / 1,000,000 ids, against
 * the store of the previous version (Camel's FileIdempotentRepository with its LRU cache of 100,000 and a 64 MB file), as
 * ns per operation, bytes per id and the ratio. Prints; asserts nothing about time. Run with
 * {@code mvn -B -pl camel-outlook365-component -am test -Dgroups=benchmark -DexcludedTestGroups=none -Dtest=TriggerStoreBenchmark -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class TriggerStoreBenchmark {

    private static final String KEY = "mail.received/contoso.onmicrosoft.com/ada@contoso.onmicrosoft.com/inbox";
    // a Graph message id is about 150 characters
    private static final String ID = KEY + "#AAMkAGI2TG93AAA=" + "AQMkADAwATM0MDAAMS1iNTcwLWI2NjMtMDACLTAwCgBGAAAD".repeat(2);
    private static final int[] SIZES = { 10_000, 100_000, 1_000_000 };
    // the previous store scans its file on a miss: time a sample of operations, not all of them
    private static final long SAMPLE_NANOS = 2_000_000_000L;

    @TempDir
    Path work;

    private record Cost(double addNs, double hitNs, double missNs, double heapBytesPerId, double diskBytesPerId) {
    }

    @Test
    void nanosecondsPerLookupAndAddAgainstThePreviousStore() throws Exception {
        // warm-up: let the JIT compile both stores' paths before anything is timed
        ours(20_000);
        previous(2_000);
        double keyNs = keyCost();
        System.out.printf("%nTrigger state store: CPU ns per operation (key building of %.0f ns included), bytes per id;"
                          + " %d cores, load average %.1f%n", keyNs, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.println("| ids | store | add | contains (delivered) | contains (new) | heap B/id | disk B/id |");
        System.out.println("|---:|---|---:|---:|---:|---:|---:|");
        for (int n : SIZES) {
            Cost ours = ours(n);
            Cost old = previous(n);
            row(n, "FileTriggerStore", ours);
            row(n, "FileIdempotentRepository", old);
            System.out.printf("| %,d | ratio previous/ours | %s | %s | %s | | |%n", n, ratio(old.addNs, ours.addNs),
                    ratio(old.hitNs, ours.hitNs), ratio(old.missNs, ours.missNs));
        }
    }

    private static String ratio(double previous, double ours) {
        double r = previous / ours;
        return r < 10 ? String.format("%.1f×", r) : String.format("%,.0f×", r);
    }

    private static void row(int n, String store, Cost cost) {
        System.out.printf("| %,d | %s | %,.0f | %,.0f | %,.0f | %s | %.1f |%n", n, store, cost.addNs, cost.hitNs, cost.missNs,
                Double.isNaN(cost.heapBytesPerId) ? "" : String.format("%.1f", cost.heapBytesPerId), cost.diskBytesPerId);
    }

    // CPU time of this thread (user and system): steady on a machine shared with other builds, unlike wall time
    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static String id(long i) {
        return ID + i;
    }

    private static double keyCost() {
        long start = cpuNanos();
        int sink = 0;
        for (int i = 0; i < 2_000_000; i++) {
            sink += id(i).length();
        }
        assertTrue(sink > 0);
        return (cpuNanos() - start) / 2_000_000.0;
    }

    private Cost ours(int n) throws Exception {
        Path directory = Files.createTempDirectory(work, "ours-" + n);
        FileTriggerStore store = new FileTriggerStore(directory.toRealPath(), KEY);
        ServiceHelper.startService(store);
        try {
            Instant t0 = Instant.parse("2026-03-01T00:00:00Z");
            long start = cpuNanos();
            for (int i = 0; i < n; i++) {
                store.add(id(i), t0.plusSeconds(i));
            }
            double add = (cpuNanos() - start) / (double) n;
            Random random = new Random(1);
            int lookups = Math.max(n, 1_000_000);
            int found = 0;
            start = cpuNanos();
            for (int i = 0; i < lookups; i++) {
                found += store.contains(id(random.nextInt(n))) ? 1 : 0;
            }
            double hit = (cpuNanos() - start) / (double) lookups;
            start = cpuNanos();
            for (int i = 0; i < lookups; i++) {
                found += store.contains(id(n + (long) i)) ? 1 : 0;
            }
            double miss = (cpuNanos() - start) / (double) lookups;
            assertTrue(found == lookups, "every delivered id found, no new one");
            long disk = Files.size(store.directory().resolve("delivered.log"));
            return new Cost(add, hit, miss, store.deliveredBytes() / (double) n, disk / (double) n);
        } finally {
            ServiceHelper.stopService(store);
        }
    }

    /** The previous default: its file filled with n ids as it writes them, then a timed sample of each operation. */
    private Cost previous(int n) throws Exception {
        Path file = Files.createTempFile(work, "previous-" + n, ".ids");
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < n; i++) {
                out.write(id(i));
                out.write('\n');
            }
        }
        // unlimited file, so that a million ids stay (its 64 MB default would drop the oldest of them)
        IdempotentRepository repository = FileIdempotentRepository.fileIdempotentRepository(file.toFile(), 100_000, 0);
        ServiceHelper.startService(repository);
        try {
            Random random = new Random(1);
            double hit = sample(i -> repository.contains(id(random.nextInt(n))), true);
            double miss = sample(i -> repository.contains(id(n + 10_000_000L + i)), false);
            double add = sample(i -> repository.add(id(n + i)), true);
            return new Cost(add, hit, miss, Double.NaN, Files.size(file) / (double) n);
        } finally {
            ServiceHelper.stopService(repository);
        }
    }

    private interface Operation {
        boolean run(long i);
    }

    private static double sample(Operation operation, boolean expected) {
        long start = cpuNanos();
        long count = 0;
        // the clock is read every 16 operations: reading it costs about as much as a cached lookup
        while (count < 1_000_000 && (count % 16 != 0 || cpuNanos() - start < SAMPLE_NANOS)) {
            assertTrue(operation.run(count) == expected);
            count++;
        }
        return (cpuNanos() - start) / (double) count;
    }
}

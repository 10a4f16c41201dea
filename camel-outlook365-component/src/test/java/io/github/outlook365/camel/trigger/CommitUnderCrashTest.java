package io.github.outlook365.camel.trigger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommitUnderCrashTest {

    private static final String KEY = FileTriggerStoreTest.KEY;
    private static final int KILLS = 3;

    @TempDir
    Path directory;

    @Test
    void aProcessKilledWhileCommittingLeavesAWholeCursorAndEveryIdItCovers() throws Exception {
        long stored = -1;
        for (int kill = 0; kill < KILLS; kill++) {
            // given a process that commits cursors as fast as it can, resuming from the stored one
            Path output = directory.resolve("child-" + kill + ".out");
            Process child = StateStoreChild.start(output, "commit-loop", directory.toRealPath().toString(), KEY);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                long[] rounds = committed(output);
                return rounds[0] >= 0 && rounds[1] - rounds[0] >= 200;
            });

            // when it is killed (SIGKILL) in the middle of its loop
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            // every line it wrote before it died (the JDK would drop the unread part of a pipe)
            long[] rounds = committed(output);
            AtomicLong first = new AtomicLong(rounds[0]);
            AtomicLong last = new AtomicLong(rounds[1]);
            Files.deleteIfExists(output);

            // then it had resumed right after the previous kill's cursor
            assertEquals(stored + 1, first.get(), "the child resumed from the cursor stored before");

            // and the stored cursor is a whole one, at or past the last round it reported, with every id up to it
            FileTriggerStore store = new FileTriggerStore(directory.toRealPath(), KEY);
            ServiceHelper.startService(store);
            try {
                TriggerState state = new TriggerState(KEY, store, store);
                Cursor cursor = state.cursor();
                assertNotNull(cursor);
                long round = StateStoreChild.roundOf(cursor);
                assertTrue(round >= last.get() && round <= last.get() + 1, round + " after " + last.get());
                assertEquals(StateStoreChild.link(round), cursor.deltaLink());
                for (long r = 0; r <= round; r++) {
                    assertTrue(state.delivered("m" + r), "m" + r + " of " + round);
                }
                stored = round;
            } finally {
                ServiceHelper.stopService(store);
            }
            try (Stream<Path> files = Files.list(store.directory())) {
                assertEquals(0, files.filter(f -> f.toString().endsWith(".tmp")).count(), "leftovers are cleaned at load");
            }
        }
        System.out.printf("commit under kill -9: %d kills, %d commits, a whole cursor after each%n", KILLS, stored + 1);
    }

    /** The first and the last round a child said it committed ({@code committed <n>} lines), -1 when none yet. */
    private static long[] committed(Path output) throws java.io.IOException {
        long first = -1;
        long last = -1;
        if (!Files.exists(output)) {
            return new long[] {first, last};
        }
        String text = Files.readString(output);
        // only whole lines: one the kill (or the reading) caught half written has no line break yet
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
            if (line.startsWith("committed ")) {
                long round = Long.parseLong(line.substring("committed ".length()).trim());
                first = first < 0 ? round : first;
                last = round;
            }
        }
        return new long[] {first, last};
    }
}

package io.github.outlook365.camel.trigger;

import java.io.BufferedReader;
import java.io.InputStreamReader;
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
            Process child = StateStoreChild.start("commit-loop", directory.toRealPath().toString(), KEY);
            AtomicLong first = new AtomicLong(-1);
            AtomicLong last = new AtomicLong(-1);
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                    for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                        if (line.startsWith("committed ")) {
                            long round = Long.parseLong(line.substring("committed ".length()));
                            first.compareAndSet(-1, round);
                            last.set(round);
                        }
                    }
                } catch (Exception e) {
                    // the child was killed: its output ends
                }
            });
            reader.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> first.get() >= 0 && last.get() - first.get() >= 200);

            // when it is killed (SIGKILL) in the middle of its loop
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            reader.join(10_000);

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
}

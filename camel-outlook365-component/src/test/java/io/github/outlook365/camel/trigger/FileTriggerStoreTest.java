package io.github.outlook365.camel.trigger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.github.outlook365.simulator.CapturedLogs;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FileTriggerStoreTest {

    static final String KEY = "mail.received/contoso.onmicrosoft.com/ada@contoso.onmicrosoft.com/inbox";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path stateDirectory;

    private final List<FileTriggerStore> opened = new ArrayList<>();

    @AfterEach
    void stopStores() {
        opened.forEach(ServiceHelper::stopService);
    }

    private FileTriggerStore open() {
        FileTriggerStore store = new FileTriggerStore(stateDirectory, KEY);
        opened.add(store);
        ServiceHelper.startService(store);
        return store;
    }

    private FileTriggerStore reopen(FileTriggerStore store) {
        ServiceHelper.stopService(store);
        return open();
    }

    private static TriggerState state(FileTriggerStore store) {
        return new TriggerState(KEY, store, store);
    }

    private Path log(FileTriggerStore store) {
        return store.directory().resolve(FileTriggerStore.DELIVERED_FILE);
    }

    @Test
    void aCommittedCursorAndDocumentAreThereAfterARestart() throws Exception {
        // given a trigger that committed a cursor and a document, and delivered two ids
        FileTriggerStore store = open();
        TriggerState state = state(store);
        assertNull(state.cursor(), "a trigger that never ran has no cursor");
        Cursor cursor = new Cursor("https://graph.example/delta?$deltatoken=abc", T0, T0.plusSeconds(90));
        state.markDelivered("m1", T0);
        state.markDelivered("m2");
        state.commit(cursor);
        state.commitDocument("calendar", "{\"known\":{}}");

        // when the store is stopped and opened again
        TriggerState again = state(reopen(store));

        // then it holds what was committed, in owner-readable JSON files named for what they are
        assertEquals(cursor, again.cursor());
        assertEquals("{\"known\":{}}", again.document("calendar"));
        assertNull(again.document("other"));
        assertTrue(again.delivered("m1") && again.delivered("m2"));
        assertFalse(again.delivered("m3"));
        String onDisk = Files.readString(store.directory().resolve(FileTriggerStore.CURSOR_FILE));
        assertTrue(onDisk.contains("\"key\":\"" + KEY + "\""), onDisk);
        assertTrue(Files.exists(store.directory().resolve("calendar" + FileTriggerStore.DOCUMENT_SUFFIX)));
        assertTrue(store.directory().getFileName().toString().startsWith("mail.received_contoso.onmicrosoft.com_ada@"));
    }

    static Stream<Arguments> tornEnds() {
        return Stream.of(
                Arguments.of("half a record", (Tear) file -> append(file, new byte[] { 1, 2, 3, 4, 5, 6, 7 })),
                Arguments.of("a record of zeros (a block the OS allocated but never wrote)",
                        (Tear) file -> append(file, new byte[DeliveredIdLog.RECORD])),
                Arguments.of("a whole record with a wrong checksum", (Tear) file -> {
                    byte[] bytes = Files.readAllBytes(file);
                    bytes[bytes.length - 1] ^= 0x5A;
                    Files.write(file, bytes);
                }));
    }

    interface Tear {
        void apply(Path file) throws IOException;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tornEnds")
    void aTornLastRecordIsSkippedWithOneWarningNamingTheFile(String what, Tear tear) throws Exception {
        // given three delivered ids and a log whose end was torn
        FileTriggerStore store = open();
        TriggerState state = state(store);
        state.markDelivered("m1", T0);
        state.markDelivered("m2", T0);
        state.commit(new Cursor("https://graph.example/delta?$deltatoken=1", T0, T0));
        state.markDelivered("m3", T0);
        ServiceHelper.stopService(store);
        tear.apply(log(store));

        // when the store is opened
        TriggerState loaded;
        try (CapturedLogs logs = CapturedLogs.capture()) {
            loaded = state(open());

            // then it starts with one WARN that names the file, keeps the cursor and every whole record
            List<String> warnings = logs.linesContaining("torn end");
            assertEquals(1, warnings.size(), logs.lines().toString());
            assertTrue(warnings.get(0).contains(log(store).toString()), warnings.get(0));
        }
        assertEquals("https://graph.example/delta?$deltatoken=1", loaded.cursor().deltaLink());
        assertTrue(loaded.delivered("m1") && loaded.delivered("m2"));
        boolean lastKept = loaded.delivered("m3");
        assertEquals(what.startsWith("half") || what.startsWith("a record of zeros"), lastKept,
                "only a damaged m3 record is lost");

        // and the torn end is cut off: what is added next loads without a warning
        loaded.markDelivered("m4", T0);
        try (CapturedLogs logs = CapturedLogs.capture()) {
            TriggerState third = state(reopen(opened.get(opened.size() - 1)));
            assertTrue(third.delivered("m4") && third.delivered("m1"));
            assertEquals(List.of(), logs.linesContaining("torn end"));
        }
        assertEquals(0, (Files.size(log(store))) % DeliveredIdLog.RECORD);
    }

    @Test
    void aDamagedRecordInsideTheLogIsSkippedAndTheLogRewritten() throws Exception {
        // given a log with a record damaged in its middle (a disk error, a bad copy)
        FileTriggerStore store = open();
        TriggerState state = state(store);
        for (int i = 0; i < 5; i++) {
            state.markDelivered("m" + i, T0);
        }
        ServiceHelper.stopService(store);
        byte[] bytes = Files.readAllBytes(log(store));
        bytes[DeliveredIdLog.RECORD * 2 + 2] ^= 0x01; // the second id's record (after the header and m0)
        Files.write(log(store), bytes);

        // when it loads
        try (CapturedLogs logs = CapturedLogs.capture()) {
            TriggerState loaded = state(open());

            // then the others are there, the damage is reported once with the file, and the log is clean again
            assertEquals(List.of(true, false, true, true, true),
                    Stream.of("m0", "m1", "m2", "m3", "m4").map(loaded::delivered).toList());
            List<String> warnings = logs.linesContaining("damaged records");
            assertEquals(1, warnings.size());
            assertTrue(warnings.get(0).contains(log(store).toString()));
        }
        assertEquals(DeliveredIdLog.RECORD * 5L, Files.size(log(store)), "header and four records");
    }

    static Stream<Arguments> damagedCursors() {
        return Stream.of(
                Arguments.of("{\"format\":1,\"key\":\"" + KEY + "\",\"value\":\"{\\\"deltaLink\\\":\\\"https://gr",
                        "is not JSON"),
                Arguments.of("", "it is JSON, but not a trigger state written by this component"),
                Arguments.of("[1,2,3]", "it is JSON, but not a trigger state written by this component"),
                Arguments.of("{\"format\":1,\"value\":\"{}\"}", "it is JSON, but not a trigger state written by this"),
                Arguments.of("{\"format\":1,\"key\":\"mail.sent/x\",\"value\":\"{}\"}",
                        "it holds the state of 'mail.sent/x', not of '" + KEY + "' (was it copied"));
    }

    @ParameterizedTest
    @MethodSource("damagedCursors")
    void aDamagedCursorFileStopsTheStartWithAnErrorThatNamesTheFileAndWhatToDo(String content, String why)
            throws Exception {
        // given a trigger with a cursor, whose file was then damaged
        FileTriggerStore store = open();
        state(store).commit(new Cursor("https://graph.example/delta?$deltatoken=1", T0, T0));
        ServiceHelper.stopService(store);
        Path cursor = store.directory().resolve(FileTriggerStore.CURSOR_FILE);
        Files.writeString(cursor, content);

        // when the store starts, then it refuses: no silent new baseline
        Exception e = assertThrows(Exception.class, this::open);
        String message = rootMessage(e);
        assertTrue(message.startsWith("the trigger state file " + cursor + " is damaged ("), message);
        assertTrue(message.contains(why), message);
        assertTrue(message.contains("restore the file from a backup, or delete it to start this trigger afresh from a new"
                                    + " baseline (mail that arrived while it was stopped then does not fire)"), message);
    }

    @Test
    void aLogWithAForeignHeaderStopsTheStart() throws Exception {
        FileTriggerStore store = open();
        ServiceHelper.stopService(store);
        Files.writeString(log(store), "m1\nm2\n");

        Exception e = assertThrows(Exception.class, this::open);
        assertTrue(rootMessage(e).startsWith("the trigger state file " + log(store) + " is not a delivered-ids log of this"
                                             + " component"), rootMessage(e));
    }

    static Stream<Arguments> logsCutShortAtTheirCreation() {
        return Stream.of(
                Arguments.of("empty (its header never reached the disk)", 0),
                Arguments.of("the first 7 bytes of its header", 7),
                Arguments.of("10 zero bytes (a block allocated, never written)", -10));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("logsCutShortAtTheirCreation")
    void aLogCutShortAtItsCreationStartsAfreshWithOneWarning(String what, int length) throws Exception {
        // given a new trigger's log whose creation a crash cut short (its header is not forced: it holds no id yet)
        FileTriggerStore store = open();
        ServiceHelper.stopService(store);
        byte[] header = Files.readAllBytes(log(store));
        Files.write(log(store), length >= 0 ? java.util.Arrays.copyOf(header, length) : new byte[-length]);

        // when the store starts
        TriggerState loaded;
        try (CapturedLogs logs = CapturedLogs.capture()) {
            loaded = state(open());

            // then it starts with an empty log, saying so once with the file
            List<String> warnings = logs.linesContaining("shorter than its header");
            assertEquals(1, warnings.size(), logs.lines().toString());
            assertTrue(warnings.get(0).contains(log(store).toString()), warnings.get(0));
        }
        assertFalse(loaded.delivered("m1"));

        // and what it delivers then is there after a restart, without a warning
        loaded.markDelivered("m1", T0);
        loaded.commit(new Cursor("https://graph.example/delta?$deltatoken=1", T0, T0));
        try (CapturedLogs logs = CapturedLogs.capture()) {
            assertTrue(state(reopen(opened.get(opened.size() - 1))).delivered("m1"));
            assertEquals(List.of(), logs.linesContaining("shorter than its header"));
        }
    }

    @Test
    void aNewTriggersStoreAndItsFirstCursorCostThreeFsyncsAndAnIdleCommitOnlyTheCursorsTwo() throws Exception {
        // given a recording of every fsync (JFR's jdk.FileForce: files and directories)
        assumeTrue(OwnerOnlyFiles.POSIX, "directories are forced where the platform can");
        Path recorded = stateDirectory.resolveSibling(stateDirectory.getFileName() + "-forces.jfr");
        List<String> forced = new ArrayList<>();
        try (jdk.jfr.Recording recording = new jdk.jfr.Recording()) {
            recording.enable("jdk.FileForce").withoutThreshold();
            recording.start();

            // when a new trigger's store opens and commits its first cursor, then a cursor with nothing delivered since
            TriggerState state = state(open());
            state.commit(new Cursor("https://graph.example/delta?$deltatoken=1", T0, T0));
            state.commit(new Cursor("https://graph.example/delta?$deltatoken=2", T0, T0));
            recording.stop();
            recording.dump(recorded);
        }
        for (jdk.jfr.consumer.RecordedEvent e : jdk.jfr.consumer.RecordingFile.readAllEvents(recorded)) {
            String path = e.getString("path");
            if (path != null && path.startsWith(stateDirectory.toString())) {
                forced.add(stateDirectory.relativize(Path.of(path)).toString());
            }
        }
        Files.deleteIfExists(recorded);

        // then the new directory's entry, and each cursor (its temp file and its rename in the trigger's directory): the
        // empty log is created in place, unforced, and a log with nothing appended is not forced again
        String directory = stateDirectory.relativize(opened.get(0).directory()).toString();
        String cursorTemp = directory + "/" + FileTriggerStore.CURSOR_FILE + ".tmp";
        assertEquals(List.of(FileTriggerStore.TRIGGERS, cursorTemp, directory, cursorTemp, directory), forced);
    }

    @Test
    void aWriteCutShortBeforeItsRenameLeavesTheOldCursor() throws Exception {
        // given a committed cursor and the temp file of a later commit that never got renamed (killed mid-write)
        FileTriggerStore store = open();
        state(store).commit(new Cursor("https://graph.example/delta?$deltatoken=old", T0, T0));
        ServiceHelper.stopService(store);
        Path temp = store.directory().resolve(FileTriggerStore.CURSOR_FILE + ".tmp");
        Files.writeString(temp, "{\"format\":1,\"key\":\"" + KEY + "\",\"value\":\"{\\\"deltaLi");

        // when it starts, then the old cursor stands and the leftover is gone
        assertEquals("https://graph.example/delta?$deltatoken=old", state(open()).cursor().deltaLink());
        assertFalse(Files.exists(temp));
    }

    @Test
    void pruningForgetsIdsBeforeTheHorizonAndKeepsIdsWithoutOne() throws Exception {
        // given ids of 10:00 and 12:00, and one marked without a horizon (the old markDelivered)
        FileTriggerStore store = open();
        TriggerState state = state(store);
        state.markDelivered("ten", T0);
        state.markDelivered("noon", T0.plusSeconds(7200));
        state.markDelivered("kept");

        // when the trigger prunes before 11:00
        state.pruneBefore(T0.plusSeconds(3600));

        // then the 10:00 id is forgotten, the others stay, and a restart agrees
        assertEquals(List.of(false, true, true), Stream.of("ten", "noon", "kept").map(state::delivered).toList());
        TriggerState again = state(reopen(store));
        assertEquals(List.of(false, true, true), Stream.of("ten", "noon", "kept").map(again::delivered).toList());

        // and a prune far in the future still keeps the id without a horizon
        again.pruneBefore(Instant.parse("2999-01-01T00:00:00Z"));
        assertEquals(List.of(false, false, true), Stream.of("ten", "noon", "kept").map(again::delivered).toList());
        assertEquals(1, opened.get(1).deliveredCount());
    }

    @Test
    void anIdIsPrunedUpToAMinuteLateNeverEarly() {
        FileTriggerStore store = open();
        TriggerState state = state(store);
        state.markDelivered("m", T0.plusSeconds(30));

        state.pruneBefore(T0.plusSeconds(30));
        assertTrue(state.delivered("m"), "not before its horizon");
        state.pruneBefore(T0.plusSeconds(31));
        assertTrue(state.delivered("m"), "kept into the minute its horizon falls in");
        state.pruneBefore(T0.plusSeconds(61));
        assertFalse(state.delivered("m"));
    }

    @Test
    void anIdDeliveredAgainKeepsTheLaterHorizon() {
        FileTriggerStore store = open();
        TriggerState state = state(store);
        state.markDelivered("m", T0);
        state.markDelivered("m", T0.plusSeconds(7200));
        state.markDelivered("m", T0.plusSeconds(60));

        state.pruneBefore(T0.plusSeconds(3600));

        assertTrue(state.delivered("m"));
    }

    @Test
    void aForgottenIdMayFireAgainAndStaysForgottenAfterARestart() {
        FileTriggerStore store = open();
        TriggerState state = state(store);
        state.markDelivered("flagged-1", T0);
        state.forget("flagged-1");
        assertFalse(state.delivered("flagged-1"));
        assertFalse(state(reopen(store)).delivered("flagged-1"));
    }

    @Test
    void theLogIsRewrittenWhenMostOfItIsForgottenAndLoadsTheSameAfterwards() throws Exception {
        // given 200,000 ids over 200,000 minutes
        FileTriggerStore store = open();
        TriggerState state = state(store);
        int n = 200_000;
        for (int i = 0; i < n; i++) {
            state.markDelivered("m" + i, T0.plusSeconds(60L * i));
        }
        long before = Files.size(log(store));

        // when the trigger prunes all but the newest 1,000
        state.pruneBefore(T0.plusSeconds(60L * (n - 1000)));

        // then the log holds the live ids only, and a restart gives the same answers
        assertEquals(1000, store.deliveredCount());
        assertEquals(DeliveredIdLog.RECORD * 1001L, Files.size(log(store)), "header and the 1,000 live ids");
        assertTrue(before > 100 * Files.size(log(store)));
        TriggerState again = state(reopen(store));
        assertFalse(again.delivered("m0"));
        assertFalse(again.delivered("m" + (n - 1001)));
        assertTrue(again.delivered("m" + (n - 1000)));
        assertTrue(again.delivered("m" + (n - 1)));
    }

    @Test
    void aMillionIdsAreAddedAndFoundInConstantTimeAndAReloadGivesTheSameAnswers() throws Exception {
        // given a million delivered ids (Graph-like: 150 characters each)
        FileTriggerStore store = open();
        int n = 1_000_000;
        String base = "AAMkAGI2THVSAAA=".repeat(9);
        long addStart = System.nanoTime();
        for (int i = 0; i < n; i++) {
            store.add(KEY + "#" + base + i, T0.plusSeconds(i));
        }
        long addNanos = System.nanoTime() - addStart;

        // when every one of them and a million others are looked up
        long lookupStart = System.nanoTime();
        int found = 0;
        for (int i = 0; i < n; i++) {
            found += store.contains(KEY + "#" + base + i) ? 1 : 0;
        }
        int strangers = 0;
        for (int i = n; i < 2 * n; i++) {
            strangers += store.contains(KEY + "#" + base + i) ? 1 : 0;
        }
        long lookupNanos = System.nanoTime() - lookupStart;

        // then each one delivered is found and no other is
        assertEquals(n, found);
        assertEquals(0, strangers);
        assertEquals(n, store.deliveredCount());
        System.out.printf("trigger state store, 1,000,000 ids: add %.0f ns/op (each written to the OS), contains %.0f"
                          + " ns/op, %.1f heap bytes per id, %.1f bytes per id on disk%n", (double) addNanos / n,
                (double) lookupNanos / (2 * n), (double) store.deliveredBytes() / n, (double) Files.size(log(store)) / n);

        // and a reload gives the same answers
        long loadStart = System.nanoTime();
        FileTriggerStore again = reopen(store);
        System.out.printf("trigger state store, 1,000,000 ids: load %.0f ms%n", (System.nanoTime() - loadStart) / 1e6);
        int foundAgain = 0;
        for (int i = 0; i < 2 * n; i++) {
            foundAgain += again.contains(KEY + "#" + base + i) == (i < n) ? 1 : 0;
        }
        assertEquals(2 * n, foundAgain);
    }

    static Stream<Arguments> foreignKeys() {
        return Stream.of(
                Arguments.of("add", (Use) s -> s.add("mail.sent/x#m1"),
                        "the store of trigger '" + KEY + "' keeps ids that start with '" + KEY + "#', not 'mail.sent/x#m1'"),
                Arguments.of("contains", (Use) s -> s.contains(KEY + "m1"),
                        "the store of trigger '" + KEY + "' keeps ids that start with '" + KEY + "#', not '" + KEY + "m1'"),
                Arguments.of("setState of another trigger", (Use) s -> s.setState("mail.sent/x", "{}"),
                        "the store of trigger '" + KEY + "' keeps its cursor '" + KEY + "' and its documents '" + KEY
                                                             + "/<part>' (part: 1 to 64 letters, digits, - or _), not 'mail.sent/x'"),
                Arguments.of("a document part with a dot", (Use) s -> s.getState(KEY + "/../cursor"),
                        "documents '" + KEY + "/<part>' (part: 1 to 64 letters, digits, - or _), not '" + KEY + "/../cursor'"),
                Arguments.of("prune of another trigger", (Use) s -> s.pruneBefore("mail.sent/x#", T0),
                        "the store of trigger '" + KEY + "' prunes its own ids (prefix '" + KEY + "#') before a given"
                                                                           + " instant, not 'mail.sent/x#' before " + T0),
                Arguments.of("prune without an instant", (Use) s -> s.pruneBefore(KEY + "#", null),
                        "not '" + KEY + "#' before null"));
    }

    interface Use {
        void apply(FileTriggerStore store);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("foreignKeys")
    void aStoreTakesOnlyTheKeysOfItsOwnTrigger(String what, Use use, String message) {
        FileTriggerStore store = open();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> use.apply(store));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void aStoppedStoreRefusesInsteadOfAnsweringNothing() {
        FileTriggerStore store = open();
        ServiceHelper.stopService(store);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.getState(KEY));
        assertEquals("the trigger state store of '" + KEY + "' is stopped (its trigger stopped)", e.getMessage());
    }

    @Test
    void everyFileAndDirectoryIsTheOwnersOnly() throws Exception {
        assumeTrue(OwnerOnlyFiles.POSIX, "POSIX permissions");
        // given a state directory made 0755 by the previous version
        Files.setPosixFilePermissions(stateDirectory, PosixFilePermissions.fromString("rwxr-xr-x"));

        // when a trigger commits state
        FileTriggerStore store = open();
        TriggerState state = state(store);
        state.markDelivered("m1", T0);
        state.commit(new Cursor(null, T0, null));
        state.commitDocument("calendar", "{}");

        // then directories are 0700 and files 0600
        for (Path dir : List.of(stateDirectory, stateDirectory.resolve(FileTriggerStore.TRIGGERS), store.directory())) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)), dir.toString());
        }
        try (Stream<Path> files = Files.list(store.directory())) {
            List<Path> all = new ArrayList<>(files.toList());
            all.add(stateDirectory.resolve(StateDirectoryLock.FILE));
            assertEquals(4, all.size(), all.toString());
            for (Path file : all) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
            }
        }
    }

    private static void append(Path file, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(bytes));
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}

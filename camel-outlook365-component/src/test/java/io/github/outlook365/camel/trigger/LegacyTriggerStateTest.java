package io.github.outlook365.camel.trigger;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.github.outlook365.simulator.CapturedLogs;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A state directory written by the previous version (Camel's FileStateRepository and FileIdempotentRepository). */
class LegacyTriggerStateTest {

    private static final String MAIL = FileTriggerStoreTest.KEY;
    private static final String CALENDAR = "calendar.created/contoso.onmicrosoft.com/ada@contoso.onmicrosoft.com/default";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Cursor OLD = new Cursor("https://graph.example/delta?$deltatoken=old", T0, T0);
    private static final Cursor LAST = new Cursor("https://graph.example/delta?$deltatoken=last", T0, T0.plusSeconds(60));

    @TempDir
    Path directory;

    private final List<FileTriggerStore> opened = new ArrayList<>();

    @BeforeEach
    void writeThePreviousVersionsFiles() throws Exception {
        // as the previous TriggerStateStores made them: one pair of files for every trigger of the directory
        FileStateRepository cursors = FileStateRepository.fileStateRepository(
                directory.resolve(LegacyTriggerState.CURSORS).toFile(), 64L * 1024 * 1024);
        IdempotentRepository ids = FileIdempotentRepository.fileIdempotentRepository(
                directory.resolve(LegacyTriggerState.DELIVERED).toFile(), 100_000, 64L * 1024 * 1024);
        ServiceHelper.startService(cursors, ids);
        TriggerState mail = new TriggerState(MAIL, cursors, ids);
        TriggerState calendar = new TriggerState(CALENDAR, cursors, ids);
        mail.commit(OLD);
        mail.markDelivered("m1");
        calendar.commitDocument("calendar", "{\"known\":{\"e1\":{}}}");
        calendar.markDelivered("e1@2026-03-02T09:00:00Z");
        mail.markDelivered("m2");
        mail.forget("m2");
        mail.commit(LAST);
        // the previous store could be killed mid-line: a torn cursor of the mail trigger ends the file
        cursors.setState("unrelated", "{}");
        Files.writeString(directory.resolve(LegacyTriggerState.CURSORS), MAIL + "={\"deltaLink\":\"https://gra",
                StandardOpenOption.APPEND);
        // (not stopped: a stop rewrites the file from memory, as the previous version did at a clean shutdown)
    }

    @AfterEach
    void stopStores() {
        opened.forEach(ServiceHelper::stopService);
    }

    private FileTriggerStore open(String key) {
        FileTriggerStore store = new FileTriggerStore(directory, key);
        opened.add(store);
        ServiceHelper.startService(store);
        return store;
    }

    @Test
    void eachTriggerTakesOverItsCursorDocumentsAndDeliveredIdsOnce() throws Exception {
        // when the mail trigger opens its new store
        TriggerState mail;
        try (CapturedLogs logs = CapturedLogs.capture()) {
            FileTriggerStore mailStore = open(MAIL);
            mail = new TriggerState(MAIL, mailStore, mailStore);
            // then its last whole cursor and its ids are there, the torn line was skipped with a warning
            assertEquals(1, logs.linesContaining("Skipped 1 torn lines of trigger '" + MAIL + "'").size(),
                    logs.lines().toString());
            assertEquals(1, logs.linesContaining("Took over the state of trigger '" + MAIL + "'").size());
        }
        assertEquals(LAST, mail.cursor());
        assertTrue(mail.delivered("m1"));
        assertFalse(mail.delivered("m2"), "forgotten before the upgrade");
        assertFalse(mail.delivered("e1@2026-03-02T09:00:00Z"), "another trigger's id");

        // and the calendar trigger takes over its own document and ids
        FileTriggerStore calendarStore = open(CALENDAR);
        TriggerState calendar = new TriggerState(CALENDAR, calendarStore, calendarStore);
        assertNull(calendar.cursor());
        assertEquals("{\"known\":{\"e1\":{}}}", calendar.document("calendar"));
        assertTrue(calendar.delivered("e1@2026-03-02T09:00:00Z"));
        assertFalse(calendar.delivered("m1"));

        // and the ids taken over stay until forgotten (the old files knew no horizon)
        mail.pruneBefore(Instant.parse("2999-01-01T00:00:00Z"));
        assertTrue(mail.delivered("m1"));
        assertEquals(List.of(MAIL, CALENDAR), Files.readAllLines(directory.resolve(LegacyTriggerState.MIGRATED)));
    }

    @Test
    void aTriggerWhoseDirectoryIsDeletedAfterTheUpgradeStartsAfreshInsteadOfTakingTheOldStateAgain() throws Exception {
        FileTriggerStore store = open(MAIL);
        ServiceHelper.stopService(store);
        deleteTree(store.directory());

        FileTriggerStore again = open(MAIL);

        assertNull(new TriggerState(MAIL, again, again).cursor());
        assertEquals(0, again.deliveredCount());
    }

    @Test
    void theOldFilesAreMadeTheOwnersOnly() throws Exception {
        assumeTrue(OwnerOnlyFiles.POSIX, "POSIX permissions");
        Files.setPosixFilePermissions(directory.resolve(LegacyTriggerState.CURSORS),
                PosixFilePermissions.fromString("rw-r--r--"));

        open(MAIL);

        for (String name : List.of(LegacyTriggerState.CURSORS, LegacyTriggerState.DELIVERED, LegacyTriggerState.MIGRATED)) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve(name))),
                    name);
        }
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}

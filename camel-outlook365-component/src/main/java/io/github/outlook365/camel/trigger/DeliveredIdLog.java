package io.github.outlook365.camel.trigger;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

import io.github.outlook365.camel.Outlook365Exception;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivered ids of one trigger on disk: an append-only log of fixed 16-byte records, each with its own checksum,
 * after a 16-byte header.
 *
 * <pre>
 * header: "O365-IDS" (8 bytes) | format version (int, 1) | CRC32C of the 12 bytes before it (int)
 * record: hash of the id (long) | horizon, minutes since the epoch rounded up, Integer.MAX_VALUE for none (int)
 *         | type (byte: 1 add, 2 remove, 3 clear) | low 24 bits of the CRC32C of the 13 bytes before them
 * </pre>
 *
 * Appends are written to the operating system at once (a killed process keeps them) and forced to disk by
 * {@link #sync()}, which the store calls before it commits a cursor (a sync with nothing appended since the last one
 * costs nothing). Loading replays the records; a torn end (a write cut short when the process or machine died) is
 * skipped with one WARN and cut off, never a crash. When the log holds more than twice the live ids (after removes and
 * prunes) it is rewritten as a snapshot of the live ids: temp file, fsync, rename.
 * <p>
 * A new trigger's log is created in place, its header not forced: it holds no id that a cursor relies on until a
 * {@link #sync()} forces it with its first records, and the cursor's commit forces the directory entry. A crash before
 * that may leave the log missing or shorter than its header; such a log held no id and starts afresh.
 */
final class DeliveredIdLog implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveredIdLog.class);

    static final int RECORD = 16;
    static final byte ADD = 1;
    static final byte REMOVE = 2;
    static final byte CLEAR = 3;

    private static final byte[] MAGIC = "O365-IDS".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    // a log shorter than this is never worth a rewrite
    private static final long COMPACT_MIN_RECORDS = 1 << 16;
    private static final int IO_BUFFER = 64 * 1024;

    private final Path file;
    private final byte[] record = new byte[RECORD];
    private final CRC32C crc = new CRC32C();
    private FileChannel channel;
    private long end;
    private long records;
    // records appended since the last force
    private boolean unsynced;

    private DeliveredIdLog(Path file) {
        this.file = file;
    }

    /** Opens the log at {@code file} (a new one if absent) and replays it into {@code table}. */
    static DeliveredIdLog open(Path file, DeliveredIdTable table) throws IOException {
        DeliveredIdLog log = new DeliveredIdLog(file);
        Files.deleteIfExists(OwnerOnlyFiles.temporary(file));
        if (!Files.exists(file)) {
            if (table.size() > 0) {
                log.writeSnapshot(table);
            } else {
                log.create();
            }
        } else {
            log.channel = OwnerOnlyFiles.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            try {
                if (log.channel.size() < RECORD && log.tornAtCreation()) {
                    LOG.warn("{} is shorter than its header: its creation was cut short when the process or machine"
                             + " stopped, before it held any id; it starts afresh", file);
                    log.channel.truncate(0);
                    log.writeHeader();
                } else {
                    log.replay(table);
                }
            } catch (IOException | RuntimeException e) {
                log.close();
                throw e;
            }
        }
        return log;
    }

    /** Writes the log of a table in one piece (a migration, a compaction), replacing what was there. */
    static void write(Path file, DeliveredIdTable table) throws IOException {
        try (DeliveredIdLog log = new DeliveredIdLog(file)) {
            log.writeSnapshot(table);
        }
    }

    Path file() {
        return file;
    }

    long records() {
        return records;
    }

    /** Appends one record; it reaches the operating system before this returns, the disk at the next {@link #sync()}. */
    void append(byte type, long hash, int horizon) {
        encode(record, 0, type, hash, horizon);
        ByteBuffer buffer = ByteBuffer.wrap(record);
        try {
            while (buffer.hasRemaining()) {
                end += channel.write(buffer, end);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the delivered ids of a trigger to " + file + ": " + e.getMessage()
                                           + " (is the disk full?); the trigger fires nothing until it can", e);
        }
        records++;
        unsynced = true;
    }

    /** Forces every record appended so far to disk. */
    void sync() {
        if (!unsynced) {
            return;
        }
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot force " + file + " to disk: " + e.getMessage(), e);
        }
        unsynced = false;
    }

    /** Rewrites the log as a snapshot of the table when removed ids make up more than half of it. */
    void compactIfWorthIt(DeliveredIdTable table) {
        if (records > COMPACT_MIN_RECORDS && records > 2L * table.size()) {
            try {
                writeSnapshot(table);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot rewrite " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }

    /** A new, empty log in place: its header written, not forced (see the class comment). */
    private void create() throws IOException {
        channel = OwnerOnlyFiles.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        writeHeader();
    }

    private void writeHeader() throws IOException {
        ByteBuffer header = ByteBuffer.wrap(header());
        long at = 0;
        while (header.hasRemaining()) {
            at += channel.write(header, at);
        }
        end = RECORD;
        records = 0;
    }

    /** Whether the bytes of a log shorter than a header are what a creation cut short leaves: nothing, or its start. */
    private boolean tornAtCreation() throws IOException {
        ByteBuffer present = ByteBuffer.allocate((int) channel.size());
        readFully(present, 0);
        byte[] header = header();
        byte[] bytes = present.array();
        boolean prefix = true;
        boolean zeros = true;
        for (int i = 0; i < present.position(); i++) {
            prefix &= bytes[i] == header[i];
            zeros &= bytes[i] == 0;
        }
        return prefix || zeros;
    }

    private void writeSnapshot(DeliveredIdTable table) throws IOException {
        Path temp = OwnerOnlyFiles.temporary(file);
        long written = 0;
        try (FileChannel out = OwnerOnlyFiles.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            byte[] bytes = new byte[IO_BUFFER];
            byte[] header = header();
            System.arraycopy(header, 0, bytes, 0, RECORD);
            int filled = RECORD;
            for (int slot = 0; slot < table.slots(); slot++) {
                long hash = table.hashAt(slot);
                if (hash == 0) {
                    continue;
                }
                if (filled == bytes.length) {
                    writeFully(out, bytes, filled);
                    filled = 0;
                }
                encode(bytes, filled, ADD, hash, table.horizonAt(slot));
                filled += RECORD;
                written++;
            }
            writeFully(out, bytes, filled);
            out.force(true);
        }
        close();
        OwnerOnlyFiles.moveOver(temp, file);
        channel = OwnerOnlyFiles.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        end = channel.size();
        records = written;
        unsynced = false;
    }

    private static void writeFully(FileChannel out, byte[] bytes, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private void encode(byte[] into, int at, byte type, long hash, int horizon) {
        ByteBuffer.wrap(into, at, RECORD).putLong(hash).putInt(horizon).put(type);
        int check = checksum(into, at);
        into[at + 13] = (byte) (check >>> 16);
        into[at + 14] = (byte) (check >>> 8);
        into[at + 15] = (byte) check;
    }

    private static boolean intact(byte[] bytes, int at, int check) {
        int stored = (bytes[at + 13] & 0xFF) << 16 | (bytes[at + 14] & 0xFF) << 8 | bytes[at + 15] & 0xFF;
        return stored == (check & 0xFFFFFF);
    }

    private void replay(DeliveredIdTable table) throws IOException {
        long length = channel.size();
        ByteBuffer head = ByteBuffer.allocate(RECORD);
        readFully(head, 0);
        if (length < RECORD || !head.flip().equals(ByteBuffer.wrap(header()))) {
            throw new Outlook365Exception("the trigger state file " + file + " is not a delivered-ids log of this component"
                                          + " (its header is damaged, or a newer version wrote it): restore it from a"
                                          + " backup, or move it away to start this trigger's dedup afresh (mail it"
                                          + " delivered before may then fire again when it changes)");
        }
        ByteBuffer buffer = ByteBuffer.allocate(IO_BUFFER);
        byte[] bytes = buffer.array();
        long position = RECORD;
        long lastGood = RECORD;
        long damaged = 0;
        long pendingBad = 0;
        while (position + RECORD <= length) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), (length - position) / RECORD * RECORD));
            readFully(buffer, position);
            for (int at = 0; at < buffer.position(); at += RECORD, position += RECORD) {
                if (!intact(bytes, at, checksum(bytes, at))
                    || !apply(table, bytes[at + 12], buffer.getLong(at), buffer.getInt(at + 8))) {
                    pendingBad++;
                    continue;
                }
                damaged += pendingBad;
                pendingBad = 0;
                lastGood = position + RECORD;
                records++;
            }
        }
        end = length;
        if (lastGood < length) {
            LOG.warn("Skipped the torn end of {} ({} bytes after its last whole record: a write cut short when the"
                     + " process stopped); the id it held may fire once more", file, length - lastGood);
            channel.truncate(lastGood);
            channel.force(true);
            end = lastGood;
        }
        if (damaged > 0) {
            LOG.warn("Skipped {} damaged records inside {} (the disk or a copy damaged it); the ids they held may fire"
                     + " once more. The log is rewritten from what was readable", damaged, file);
            writeSnapshot(table);
        }
    }

    private static boolean apply(DeliveredIdTable table, byte type, long hash, int horizon) {
        switch (type) {
            case ADD -> table.put(hash, horizon);
            case REMOVE -> table.remove(hash);
            case CLEAR -> table.clear();
            default -> {
                return false;
            }
        }
        return true;
    }

    private void readFully(ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                return;
            }
            at += read;
        }
    }

    private int checksum(byte[] bytes, int at) {
        crc.reset();
        crc.update(bytes, at, 13);
        return (int) crc.getValue();
    }

    private static byte[] header() {
        ByteBuffer header = ByteBuffer.allocate(RECORD).put(MAGIC).putInt(VERSION);
        CRC32C check = new CRC32C();
        check.update(header.array(), 0, 12);
        return header.putInt((int) check.getValue()).array();
    }
}

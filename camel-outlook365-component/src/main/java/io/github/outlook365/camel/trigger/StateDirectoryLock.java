package io.github.outlook365.camel.trigger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.outlook365.camel.Outlook365Exception;

/**
 * The lock of a state directory ({@code <stateDirectory>/.lock}): one process at a time keeps trigger state there, so
 * two processes on one directory never both fire the same mail. Inside one JVM (two CamelContexts, a context started
 * again) the lock is shared: each open trigger store holds a reference, and the last one to close releases it.
 */
final class StateDirectoryLock {

    static final String FILE = ".lock";

    // guarded by the class: the directories this JVM holds
    private static final Map<Path, StateDirectoryLock> HELD = new HashMap<>();
    // channels that must stay open: closing a channel drops every lock the process holds on its file (POSIX locks belong
    // to the process), including one that another copy of this class holds in the same JVM
    private static final List<FileChannel> KEPT_OPEN = new ArrayList<>();

    private final Path directory;
    private final FileChannel channel;
    private final FileLock lock;
    private int users;

    private StateDirectoryLock(Path directory, FileChannel channel, FileLock lock) {
        this.directory = directory;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes (or shares) the lock of {@code directory}, a real path; fails when another process holds it. */
    static synchronized StateDirectoryLock acquire(Path directory) {
        StateDirectoryLock held = HELD.get(directory);
        if (held == null) {
            held = lock(directory);
            HELD.put(directory, held);
        }
        held.users++;
        return held;
    }

    /** Gives back one reference; the last one releases the lock. */
    void release() {
        synchronized (StateDirectoryLock.class) {
            if (users == 0) {
                return;
            }
            users--;
            if (users > 0) {
                return;
            }
            HELD.remove(directory);
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot release the lock of " + directory + ": " + e.getMessage(), e);
            }
        }
    }

    private static StateDirectoryLock lock(Path directory) {
        Path file = directory.resolve(FILE);
        FileChannel channel = null;
        try {
            channel = OwnerOnlyFiles.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                // this JVM holds it through another copy of the component (an OSGi bundle being replaced)
                KEPT_OPEN.add(channel);
                throw new Outlook365Exception(refusal(directory, "another copy of this component in the same JVM (a"
                                                                 + " bundle that is being replaced?)"));
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                throw new Outlook365Exception(refusal(directory, "another process" + holder));
            }
            // written through the locked channel only: closing any other channel on the file would drop the lock
            byte[] who = ("pid " + ProcessHandle.current().pid() + " since " + Instant.now() + "\n")
                    .getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(who), 0);
            return new StateDirectoryLock(directory, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("option stateDirectory='" + directory + "': cannot lock " + file + ": "
                                           + e.getMessage() + "; give a writable local directory", e);
        }
    }

    private static String refusal(Path directory, String holder) {
        return "option stateDirectory='" + directory + "' is in use by " + holder + ": two instances on one state"
               + " directory would both fire every mail. Stop the other instance, or give this one its own"
               + " stateDirectory (it then keeps its own cursors and fires every mail itself); instances that must share"
               + " the work of one trigger need a shared store, not a shared directory";
    }

    // the other process wrote "pid N since T" into the file; reading it is safe as this channel holds no lock
    private static String holder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(128);
        channel.read(buffer, 0);
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).trim();
        return text.startsWith("pid ") ? " (" + text + ")" : "";
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the original failure is the one to report
            }
        }
    }
}

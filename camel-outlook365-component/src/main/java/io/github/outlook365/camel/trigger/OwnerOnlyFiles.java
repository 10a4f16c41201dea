package io.github.outlook365.camel.trigger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryFlag;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Files and directories of trigger state: they hold delta tokens, message ids and (in calendar documents) subjects, so
 * only their owner may read them (directories 0700, files 0600). On a file system without POSIX permissions the owner
 * is given the only entry of the file's ACL where the file system has ACLs (Windows), and nothing can be done elsewhere.
 * <p>
 * Whole files are replaced atomically: written to a temporary file beside them, forced to disk, renamed over the old
 * one, and the directory forced, so a crash leaves either the old or the new file, never a torn one.
 */
final class OwnerOnlyFiles {

    private static final Logger LOG = LoggerFactory.getLogger(OwnerOnlyFiles.class);

    static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnlyFiles() {
    }

    /** Creates the directory (and its missing parents) if needed and makes it owner-only. */
    static Path directory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory, attributes(DIRECTORY));
        }
        restrict(directory);
        return directory;
    }

    /** Makes an existing file or directory owner-only; a file system that refuses is logged, not fatal. */
    static void restrict(Path path) {
        boolean directory = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
        try {
            if (POSIX) {
                Files.setPosixFilePermissions(path, directory ? DIRECTORY : FILE);
                return;
            }
            AclFileAttributeView acl = Files.getFileAttributeView(path, AclFileAttributeView.class);
            if (acl != null) {
                acl.setAcl(List.of(AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(acl.getOwner())
                        .setPermissions(EnumSet.allOf(AclEntryPermission.class))
                        .setFlags(directory ? EnumSet.of(AclEntryFlag.FILE_INHERIT, AclEntryFlag.DIRECTORY_INHERIT)
                                : EnumSet.noneOf(AclEntryFlag.class))
                        .build()));
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            LOG.warn("Cannot make {} readable by its owner only ({}): restrict it by hand, it holds trigger state",
                    path, e.getMessage());
        }
    }

    /** Opens a file for writing, created owner-only if it does not exist. */
    static FileChannel open(Path file, OpenOption... options) throws IOException {
        boolean existed = Files.exists(file);
        FileChannel channel = FileChannel.open(file, Set.of(options), attributes(FILE));
        if (existed || !POSIX) {
            restrict(file);
        }
        return channel;
    }

    /** Replaces {@code file} with {@code bytes} in one piece (temp file, fsync, rename, fsync of the directory). */
    static void replace(Path file, byte[] bytes) throws IOException {
        Path temp = temporary(file);
        try (FileChannel channel = open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        moveOver(temp, file);
    }

    /** Where {@link #replace} writes before the rename; a crash may leave it behind, to be deleted at the next load. */
    static Path temporary(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    /** Renames {@code temp} over {@code file} and forces the directory, so the rename itself survives a crash. */
    static void moveOver(Path temp, Path file) throws IOException {
        try {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system of " + file + " cannot rename atomically: put stateDirectory on a"
                                  + " local file system", e);
        }
        syncDirectory(file.getParent());
    }

    /** Forces a directory's entries (a rename, a new file) to disk where the platform can (not on Windows). */
    static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.trace("Cannot force the directory {} to disk: {}", directory, e.getMessage());
        }
    }

    private static FileAttribute<?>[] attributes(Set<PosixFilePermission> permissions) {
        return POSIX ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(permissions) } : new FileAttribute<?>[0];
    }
}

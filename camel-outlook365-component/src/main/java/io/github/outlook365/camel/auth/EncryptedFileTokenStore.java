package io.github.outlook365.camel.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Set;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The default token store: one file, readable and writable only by its owner, holding the cache encrypted with
 * AES-256-GCM under a key derived from {@code tokenStoreKey} (PBKDF2-HMAC-SHA256 with a per-file salt). GCM's tag
 * makes a changed file or a wrong key fail loudly instead of yielding garbage. Writes go to a temporary file that is
 * then moved over the old one, so a crash never leaves half a file.
 * <p>
 * Layout: {@code "CO365TS2"} (8 bytes), the PBKDF2 iteration count (4 bytes, big-endian; 600,000 as OWASP
 * recommends for PBKDF2-HMAC-SHA256), salt (16), IV (12), ciphertext with its 16-byte tag. The header is authenticated
 * too. Files of the first layout ({@code "CO365TS1"}: no count, 100,000 iterations) still open, and are rewritten in
 * the current one at the next save. The temporary file is forced to disk before it replaces the old one.
 */
public final class EncryptedFileTokenStore implements TokenStore {

    private static final Logger LOG = LoggerFactory.getLogger(EncryptedFileTokenStore.class);
    private static final byte[] MAGIC_V1 = "CO365TS1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC = "CO365TS2".getBytes(StandardCharsets.US_ASCII);
    private static final int V1_ITERATIONS = 100_000;
    private static final int ITERATIONS = 600_000;
    // a changed header must not make the start derive a key for hours before the tag refuses the file
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final int SALT = 16;
    private static final int IV = 12;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final char[] password;
    private byte[] salt;
    private int keyIterations;
    private SecretKey key;

    public EncryptedFileTokenStore(Path file, String tokenStoreKey) {
        this.file = file.toAbsolutePath();
        this.password = tokenStoreKey.toCharArray();
    }

    @Override
    public synchronized String load(String connectionId) {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new TokenStoreException("option tokenStore='" + file + "' cannot be read (" + e.getClass().getSimpleName()
                                          + "): check that the file belongs to the user running Camel");
        }
        warnIfOthersMayRead();
        boolean v1 = startsWith(data, MAGIC_V1);
        int header = v1 ? MAGIC_V1.length : MAGIC.length + 4;
        if (!v1 && !startsWith(data, MAGIC) || data.length < header + SALT + IV + 16) {
            throw new TokenStoreException("option tokenStore='" + file + "' is not a camel-outlook365 token store (or"
                                          + " it was cut short): point tokenStore to a new file (it is created at"
                                          + " sign-in) or restore the right one");
        }
        int iterations = v1 ? V1_ITERATIONS : ByteBuffer.wrap(data, MAGIC.length, 4).getInt();
        if (iterations < V1_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new TokenStoreException("option tokenStore='" + file + "' has a changed header (" + iterations
                                          + " key derivation rounds): restore the file, or delete it and sign in again");
        }
        byte[] fileSalt = Arrays.copyOfRange(data, header, header + SALT);
        byte[] iv = Arrays.copyOfRange(data, header + SALT, header + SALT + IV);
        try {
            SecretKey fileKey = key(fileSalt, iterations);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, fileKey, new GCMParameterSpec(128, iv));
            cipher.updateAAD(data, 0, header + SALT + IV);
            byte[] plain = cipher.doFinal(data, header + SALT + IV, data.length - header - SALT - IV);
            if (v1) {
                LOG.info("The token store {} has the older layout (100,000 key derivation rounds): it is rewritten with"
                         + " {} at the next save", file, ITERATIONS);
            }
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new TokenStoreException("option tokenStore='" + file + "' cannot be decrypted with tokenStoreKey: the"
                                          + " key is not the one the file was written with, or the file was changed."
                                          + " Set tokenStoreKey to the key it was written with; otherwise delete the"
                                          + " file and sign in again (/provisioning_/signin)");
        } catch (GeneralSecurityException e) {
            throw new TokenStoreException("option tokenStore='" + file + "' cannot be decrypted: "
                                          + e.getClass().getSimpleName());
        }
    }

    @Override
    public synchronized void save(String connectionId, String serializedCache) {
        try {
            if (salt == null) {
                salt = new byte[SALT];
                RANDOM.nextBytes(salt);
            }
            byte[] iv = new byte[IV];
            RANDOM.nextBytes(iv);
            ByteBuffer header = ByteBuffer.allocate(MAGIC.length + 4 + SALT + IV).put(MAGIC).putInt(ITERATIONS).put(salt)
                    .put(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(salt, ITERATIONS), new GCMParameterSpec(128, iv));
            cipher.updateAAD(header.array());
            byte[] sealed = cipher.doFinal(serializedCache.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(header.capacity() + sealed.length).put(header.array()).put(sealed).array();
            write(out);
        } catch (GeneralSecurityException e) {
            throw new TokenStoreException("cannot encrypt the token cache for " + file + ": " + e.getClass().getSimpleName(),
                    e);
        }
    }

    private void write(byte[] bytes) {
        Path directory = file.getParent();
        try {
            if (directory != null && !Files.isDirectory(directory)) {
                Files.createDirectories(directory, ownerOnly(PosixFilePermissions.fromString("rwx------"), directory));
            }
            Path temp = Files.createTempFile(directory, "." + file.getFileName(), ".tmp", ownerOnly(OWNER_ONLY, directory));
            try {
                // on disk before it replaces the old file: a crash right after the move must not leave an empty store
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true);
                }
                try {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
                forceDirectory(directory);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new UncheckedIOException("option tokenStore='" + file + "': " + e.getMessage() + " is not a directory", e);
        } catch (IOException e) {
            throw new UncheckedIOException("option tokenStore='" + file + "' cannot be written: " + e.getMessage(), e);
        }
    }

    /** The rename itself is durable once the directory is on disk; not every platform can open a directory. */
    private static void forceDirectory(Path directory) {
        if (directory == null) {
            return;
        }
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.trace("Cannot force directory {} to disk: {}", directory, e.getMessage());
        }
    }

    private static boolean startsWith(byte[] data, byte[] magic) {
        return data.length >= magic.length && Arrays.equals(Arrays.copyOf(data, magic.length), magic);
    }

    private static FileAttribute<?>[] ownerOnly(Set<PosixFilePermission> permissions, Path near) {
        boolean posix = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        return posix ? new FileAttribute<?>[] { PosixFilePermissions.asFileAttribute(permissions) } : new FileAttribute<?>[0];
    }

    private void warnIfOthersMayRead() {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                LOG.warn("The token store {} is accessible to other users ({}): chmod 600 it", file,
                        PosixFilePermissions.toString(permissions));
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
    }

    private SecretKey key(byte[] forSalt, int iterations) throws GeneralSecurityException {
        if (key != null && keyIterations == iterations && Arrays.equals(salt, forSalt)) {
            return key;
        }
        SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] raw = factory.generateSecret(new PBEKeySpec(password, forSalt, iterations, 256)).getEncoded();
        salt = forSalt.clone();
        keyIterations = iterations;
        key = new SecretKeySpec(raw, "AES");
        return key;
    }

    public Path file() {
        return file;
    }

    @Override
    public String toString() {
        return "EncryptedFileTokenStore[" + file + "]";
    }
}

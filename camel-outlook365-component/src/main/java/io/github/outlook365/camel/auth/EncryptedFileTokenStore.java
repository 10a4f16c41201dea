package io.github.outlook365.camel.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
 * Layout: {@code "CO365TS1"} (8 bytes), salt (16), IV (12), ciphertext with its 16-byte tag. The header is
 * authenticated too.
 */
public final class EncryptedFileTokenStore implements TokenStore {

    private static final Logger LOG = LoggerFactory.getLogger(EncryptedFileTokenStore.class);
    private static final byte[] MAGIC = "CO365TS1".getBytes(StandardCharsets.US_ASCII);
    private static final int SALT = 16;
    private static final int IV = 12;
    private static final int ITERATIONS = 100_000;
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final char[] password;
    private byte[] salt;
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
        if (data.length < MAGIC.length + SALT + IV + 16
                || !Arrays.equals(Arrays.copyOf(data, MAGIC.length), MAGIC)) {
            throw new TokenStoreException("option tokenStore='" + file + "' is not a camel-outlook365 token store (or"
                                          + " it was cut short): point tokenStore to a new file (it is created at"
                                          + " sign-in) or restore the right one");
        }
        byte[] fileSalt = Arrays.copyOfRange(data, MAGIC.length, MAGIC.length + SALT);
        byte[] iv = Arrays.copyOfRange(data, MAGIC.length + SALT, MAGIC.length + SALT + IV);
        try {
            SecretKey fileKey = key(fileSalt);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, fileKey, new GCMParameterSpec(128, iv));
            cipher.updateAAD(data, 0, MAGIC.length + SALT + IV);
            byte[] plain = cipher.doFinal(data, MAGIC.length + SALT + IV, data.length - MAGIC.length - SALT - IV);
            return new String(plain, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new TokenStoreException("option tokenStore='" + file + "' cannot be decrypted with tokenStoreKey: the"
                                          + " key is not the one the file was written with, or the file was changed."
                                          + " Set tokenStoreKey to the key it was written with; otherwise delete the"
                                          + " file and sign in again (outlook365:connection/authorizationUrl)");
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
            ByteBuffer header = ByteBuffer.allocate(MAGIC.length + SALT + IV).put(MAGIC).put(salt).put(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(salt), new GCMParameterSpec(128, iv));
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
                Files.write(temp, bytes);
                try {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (FileAlreadyExistsException e) {
            throw new UncheckedIOException("option tokenStore='" + file + "': " + e.getMessage() + " is not a directory", e);
        } catch (IOException e) {
            throw new UncheckedIOException("option tokenStore='" + file + "' cannot be written: " + e.getMessage(), e);
        }
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

    private SecretKey key(byte[] forSalt) throws GeneralSecurityException {
        if (key != null && Arrays.equals(salt, forSalt)) {
            return key;
        }
        SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
        byte[] raw = factory.generateSecret(new PBEKeySpec(password, forSalt, ITERATIONS, 256)).getEncoded();
        salt = forSalt.clone();
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

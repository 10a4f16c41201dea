package io.github.outlook365.camel.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token store's file layout: today's (600,000 PBKDF2 rounds, stated in the header) and the first one's. */
class EncryptedFileTokenStoreTest {

    static final String KEY = "token-store-key-0123456789";

    @TempDir
    Path work;

    @Test
    void aStoreIsWrittenWith600000RoundsStatedInItsHeader() throws Exception {
        Path file = work.resolve("tokens.bin");

        new EncryptedFileTokenStore(file, KEY).save("app", "{\"RefreshToken\":{}}");

        byte[] data = Files.readAllBytes(file);
        assertEquals("CO365TS2", new String(data, 0, 8, StandardCharsets.US_ASCII));
        assertEquals(600_000, ByteBuffer.wrap(data, 8, 4).getInt());
        assertEquals("{\"RefreshToken\":{}}", new EncryptedFileTokenStore(file, KEY).load("app"));
        assertTrue(Files.list(work).allMatch(file::equals), "no temporary file left behind");
    }

    @Test
    void aStoreWrittenTheOldWayStillOpensAndIsRewrittenTheNewWay() throws Exception {
        // given a file as the first layout wrote it: "CO365TS1", salt, IV, AES-GCM under 100,000 PBKDF2 rounds
        Path file = work.resolve("tokens.bin");
        Files.write(file, firstLayout("{\"cache\":\"written in 2024\"}", KEY));

        // when it is opened
        EncryptedFileTokenStore store = new EncryptedFileTokenStore(file, KEY);

        // then it reads, and the next save writes today's layout, which opens too
        assertEquals("{\"cache\":\"written in 2024\"}", store.load("app"));
        store.save("app", "{\"cache\":\"rotated\"}");
        byte[] data = Files.readAllBytes(file);
        assertEquals("CO365TS2", new String(data, 0, 8, StandardCharsets.US_ASCII));
        assertEquals("{\"cache\":\"rotated\"}", new EncryptedFileTokenStore(file, KEY).load("app"));
    }

    @Test
    void anOldStoreWithAnotherKeyIsRefusedAsBefore() throws Exception {
        Path file = work.resolve("tokens.bin");
        Files.write(file, firstLayout("{}", KEY));

        TokenStore.TokenStoreException e = assertThrows(TokenStore.TokenStoreException.class,
                () -> new EncryptedFileTokenStore(file, "another-key-0123456789").load("app"));

        assertTrue(e.getMessage().contains("cannot be decrypted with tokenStoreKey"), e.getMessage());
    }

    @Test
    void aHeaderChangedToAskForEndlessRoundsIsRefusedBeforeDerivingAnyKey() throws Exception {
        Path file = work.resolve("tokens.bin");
        new EncryptedFileTokenStore(file, KEY).save("app", "{}");
        byte[] data = Files.readAllBytes(file);
        ByteBuffer.wrap(data, 8, 4).putInt(Integer.MAX_VALUE);
        Files.write(file, data);

        TokenStore.TokenStoreException e = assertThrows(TokenStore.TokenStoreException.class,
                () -> new EncryptedFileTokenStore(file, KEY).load("app"));

        assertTrue(e.getMessage().contains("has a changed header (2147483647 key derivation rounds): restore the file,"
                                           + " or delete it and sign in again"), e.getMessage());
    }

    /** The bytes the first layout wrote, made the way it made them. */
    private static byte[] firstLayout(String plain, String key) throws Exception {
        byte[] magic = "CO365TS1".getBytes(StandardCharsets.US_ASCII);
        byte[] salt = new byte[16];
        byte[] iv = new byte[12];
        new SecureRandom().nextBytes(salt);
        new SecureRandom().nextBytes(iv);
        byte[] raw = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(key.toCharArray(), salt, 100_000, 256)).getEncoded();
        byte[] header = ByteBuffer.allocate(magic.length + salt.length + iv.length).put(magic).put(salt).put(iv).array();
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(raw, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(header);
        byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
        byte[] out = Arrays.copyOf(header, header.length + sealed.length);
        System.arraycopy(sealed, 0, out, header.length, sealed.length);
        return out;
    }
}

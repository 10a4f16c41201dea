package io.github.outlook365.simulator;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/** Opaque identifiers shaped like Exchange Online's ("AAMkAG...AAA="); unique within the JVM. */
final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final byte[] INSTANCE = random(4);

    private Ids() {
    }

    static byte[] random(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** An 8-byte key that ties the ids of one mailbox together, like the mailbox GUID inside real ids. */
    static byte[] mailboxKey() {
        return random(8);
    }

    static String messageId(byte[] mailboxKey) {
        return item("AAMkAG", mailboxKey, (byte) 0x46);
    }

    static String folderId(byte[] mailboxKey) {
        return item("AAMkAG", mailboxKey, (byte) 0x2E);
    }

    private static String item(String prefix, byte[] mailboxKey, byte kind) {
        ByteBuffer buffer = ByteBuffer.allocate(24);
        buffer.put(mailboxKey, 0, 8);
        buffer.put(INSTANCE);
        buffer.put(kind);
        buffer.put(new byte[] {0, 0, 0});
        buffer.putLong(COUNTER.incrementAndGet());
        return prefix + TlsMaterial.base64Url(buffer.array()) + "AAA=";
    }

    static String conversationId() {
        return "AAQkAG" + TlsMaterial.base64Url(random(24)) + "=";
    }

    static String conversationIndex() {
        return Base64.getEncoder().encodeToString(random(22));
    }

    static String changeKey(byte[] mailboxKey, long seq) {
        ByteBuffer buffer = ByteBuffer.allocate(21);
        buffer.put(new byte[] {0x09, 0, 0, 0, 0x16});
        buffer.put(mailboxKey, 0, 8);
        buffer.putLong(seq);
        return Base64.getEncoder().encodeToString(buffer.array());
    }

    static String internetMessageId() {
        return "<" + HexFormat.of().withUpperCase().formatHex(random(16)) + "@SIM0PR01MB0001.localhost.prod.outlook.com>";
    }

    static String token() {
        return TlsMaterial.base64Url(random(24));
    }

    static String guid() {
        return java.util.UUID.randomUUID().toString();
    }
}

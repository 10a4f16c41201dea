package io.github.outlook365.camel.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sign-ins a delegated connection has started and waits for, each bound to the browser that started it (OAuth 2.0
 * Security BCP, login CSRF): besides the state that travels through Entra ID, a random binding that only that browser
 * holds, in a cookie. A callback must bring both. At most {@link #MAX} wait at once (the oldest gives way), each for
 * {@link #VALIDITY}; only hashes of the bindings are kept.
 */
final class PendingSignIns {

    static final int MAX = 20;
    static final Duration VALIDITY = Duration.ofMinutes(10);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A sign-in just started: what goes to Entra ID (state, challenge) and what goes to the browser (binding). */
    record Started(String state, String codeVerifier, String codeChallenge, String binding) {
    }

    private record Pending(String codeVerifier, byte[] bindingHash, Instant expiresAt) {
    }

    private final Clock clock;
    // insertion order: the oldest first, to give way when the cap is reached
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    PendingSignIns(Clock clock) {
        this.clock = clock;
    }

    synchronized Started start() {
        purgeExpired();
        while (pending.size() >= MAX) {
            Iterator<String> oldest = pending.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        String state = random(24);
        String verifier = random(48);
        String binding = random(32);
        pending.put(state, new Pending(verifier, sha256(binding), clock.instant().plus(VALIDITY)));
        return new Started(state, verifier,
                Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(verifier)), binding);
    }

    /**
     * The PKCE verifier of the sign-in {@code state} names, once: only for the browser holding its binding. A callback
     * from another browser leaves the sign-in waiting for its own.
     *
     * @throws SignInRefusedException for a state not waited for (forged, used, expired, given way) or another browser
     */
    synchronized String take(String state, String binding) {
        purgeExpired();
        Pending signIn = pending.get(state);
        if (signIn == null) {
            throw new SignInRefusedException(400, "the sign-in callback's state is not one this connection is waiting"
                                                  + " for (forged, already used, older than " + VALIDITY.toMinutes()
                                                  + " minutes, or one of more than " + MAX + " sign-ins started at"
                                                  + " once): start again at the sign-in page (/provisioning_/signin)");
        }
        if (binding == null || !MessageDigest.isEqual(signIn.bindingHash(), sha256(binding))) {
            throw new SignInRefusedException(400, "the sign-in callback came from another browser than the one that"
                                                  + " started this sign-in (or the browser did not keep the sign-in"
                                                  + " cookie): open the sign-in page (/provisioning_/signin) in the"
                                                  + " browser you sign in with, and sign in there");
        }
        pending.remove(state);
        return signIn.codeVerifier();
    }

    /** Forgets every sign-in still waiting (one just completed: the others must not replace it). */
    synchronized void clear() {
        pending.clear();
    }

    synchronized int size() {
        purgeExpired();
        return pending.size();
    }

    private void purgeExpired() {
        Instant now = clock.instant();
        pending.values().removeIf(p -> now.isAfter(p.expiresAt()));
    }

    static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

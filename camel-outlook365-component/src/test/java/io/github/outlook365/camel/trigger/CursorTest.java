package io.github.outlook365.camel.trigger;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a trigger's cursor keeps across a restart: where a first round after the first sign-in fires from. */
class CursorTest {

    private static final Instant SIGN_IN = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void whereTheFirstRoundFiresFromIsStoredUntilThatRoundIsDone() {
        // given the first round of a trigger that waited for the first sign-in, one page read
        Cursor first = Cursor.startingAt(SIGN_IN.minusSeconds(60), true).firingFrom(SIGN_IN.minusSeconds(60))
                .nextPage("https://graph.example/delta?$skiptoken=1", SIGN_IN);

        // when it is stored and read again (a restart before the round is done)
        Cursor restored = Cursor.parse(first.committed(SIGN_IN.plusSeconds(5)).toJson());

        // then it still fires from the sign-in: what arrived since then fires, what is older does not
        assertEquals(SIGN_IN.minusSeconds(60), restored.firesFrom());
        assertTrue(restored.baselineRound());
        assertTrue(restored.firesAt(SIGN_IN));
        assertTrue(restored.firesAt(SIGN_IN.minusSeconds(60)));
        assertFalse(restored.firesAt(SIGN_IN.minusSeconds(61)));
        assertFalse(restored.firesAt(null));
        // and a delta reset within the round keeps it too
        assertEquals(SIGN_IN.minusSeconds(60), restored.reset().catchingUp(SIGN_IN, null).firesFrom());

        // when the round is done, nothing more fires for being found: later rounds fire for what is new
        Cursor done = restored.roundDone("https://graph.example/delta?$deltatoken=2", SIGN_IN);
        assertNull(done.firesFrom());
        assertFalse(done.firesAt(SIGN_IN));
        assertFalse(done.toJson().contains("firesFrom"), done.toJson());
    }

    @Test
    void aCursorOfAnOlderVersionStillLoadsAndFiresFromNothing() {
        Cursor old = Cursor.parse("{\"deltaLink\":\"https://graph.example/delta?$deltatoken=1\","
                                  + "\"baseline\":\"2026-03-01T09:59:00Z\",\"baselineRound\":true}");
        assertEquals("https://graph.example/delta?$deltatoken=1", old.deltaLink());
        assertTrue(old.baselineRound());
        assertNull(old.firesFrom());
        assertFalse(old.firesAt(SIGN_IN));
    }
}

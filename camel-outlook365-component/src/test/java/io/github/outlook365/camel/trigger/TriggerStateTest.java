package io.github.outlook365.camel.trigger;

import java.time.Instant;

import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** TriggerState on plain Camel repositories, as a user's stateRepository / idempotentRepository beans would be. */
class TriggerStateTest {

    private static final String KEY = "calendar.startingsoon/contoso/ada/default";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private final MemoryStateRepository cursors = new MemoryStateRepository();
    private final MemoryIdempotentRepository ids = (MemoryIdempotentRepository) MemoryIdempotentRepository
            .memoryIdempotentRepository();
    private final TriggerState state = new TriggerState(KEY, cursors, ids);

    @Test
    void keysOfOneTriggerAreKeptApartFromOthersInASharedRepository() {
        // given a trigger's cursor, document and a delivered id
        state.commit(new Cursor("https://graph.example/delta?$deltatoken=1", T0, null));
        state.commitDocument("calendar", "{}");
        state.markDelivered("event-1", T0);

        // then the repositories hold them under the trigger's key
        assertTrue(cursors.getState(KEY).contains("$deltatoken=1"));
        assertEquals("{}", cursors.getState(KEY + "/calendar"));
        assertTrue(ids.contains(KEY + "#event-1"));

        // and another trigger on the same repositories sees none of it
        TriggerState other = new TriggerState("mail.received/contoso/ada/inbox", cursors, ids);
        assertNull(other.cursor());
        assertNull(other.document("calendar"));
        assertFalse(other.delivered("event-1"));
    }

    @Test
    void aPlainRepositoryKeepsWhatATriggerPrunesAndForgetsWhatItForgets() {
        state.markDelivered("old", T0);
        state.markDelivered("kept");

        // a plain IdempotentRepository cannot tell horizons: pruning leaves it as it is
        state.pruneBefore(T0.plusSeconds(3600));
        assertTrue(state.delivered("old") && state.delivered("kept"));

        state.forget("old");
        assertFalse(state.delivered("old"));
        assertTrue(state.delivered("kept"));
    }
}

package io.github.outlook365.camel.support;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.github.outlook365.simulator.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The limiter on a clock the test moves: no sleeps. */
class RateLimitedLogTest {

    private static final String LOGGER = "io.github.outlook365.camel.support.RateLimitedLogTest.flood";

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final RateLimitedLog refused = new RateLimitedLog(LoggerFactory.getLogger(LOGGER), Level.WARN,
            "refused callbacks", nanos::get, Duration.ofMinutes(1));
    private CapturedLogs logs;

    @BeforeEach
    void capture() {
        logs = CapturedLogs.capture();
    }

    @AfterEach
    void release() {
        logs.close();
    }

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    private List<String> lines() {
        return logs.lines().stream().filter(l -> l.startsWith(LOGGER + " ")).map(l -> l.substring(LOGGER.length() + 1))
                .toList();
    }

    @Test
    void theFirstOfAMinuteIsLoggedTheRestCountedAndTheCountToldByTheNextAfterTheMinute() {
        // when 1,235 events come within a minute
        assertTrue(refused.log("refused {} ({})", "first", 1));
        for (int i = 0; i < 1234; i++) {
            advance(Duration.ofMillis(40));
            assertFalse(refused.log("refused {} ({})", "more", i));
        }

        // then only the first is in the log, and the rest are counted
        assertEquals(List.of("refused first (1)"), lines());
        assertEquals(1234, refused.suppressed());

        // when the minute is over (1234 x 40 ms = 49.36 s, plus 11 s) and one more comes
        advance(Duration.ofSeconds(11));
        assertTrue(refused.log("refused {}", "later"));

        // then one line says how many were not logged, then the new one is logged in full
        assertEquals(List.of("refused first (1)",
                "... and 1,234 more refused callbacks in the last 60 s (logged at most once a minute)",
                "refused later"), lines());
        assertEquals(0, refused.suppressed());
    }

    @Test
    void aFloodAtAnyRateCostsTwoLinesAMinute() {
        // when 100,000 events come over 10 minutes
        for (int i = 0; i < 100_000; i++) {
            refused.log("refused {}", i);
            advance(Duration.ofMillis(6));
        }

        // then 10 in full and 9 counts (the last minute's count waits for the next event or flush)
        assertEquals(10, lines().stream().filter(l -> l.startsWith("refused ")).count());
        assertEquals(9, lines().stream().filter(l -> l.startsWith("... and 9,999 more")).count(), () -> String.join("\n", lines()));
        assertEquals(19, lines().size());

        // when its owner stops, the count under way is told, once
        refused.flush();
        refused.flush();
        assertEquals(20, lines().size());
        assertEquals("... and 9,999 more refused callbacks in the last 60 s (logged at most once a minute)",
                lines().get(19));
    }

    @Test
    void aLoneEventAfterAQuietMinuteIsLoggedWithoutACountLine() {
        refused.log("one");
        advance(Duration.ofMinutes(5));
        refused.log("two");
        refused.flush();

        assertEquals(List.of("one", "two"), lines());
    }

    @Test
    void aCountToldLateSaysHowLongItCovered() {
        refused.log("one");
        advance(Duration.ofSeconds(30));
        refused.log("two");
        advance(Duration.ofMinutes(4));
        refused.log("three");

        assertEquals(List.of("one", "... and 1 more refused callbacks in the last 270 s (logged at most once a minute)",
                "three"), lines());
    }

    @Test
    void aLevelTheLoggerDoesNotWriteCostsNothingAndCountsNothing() {
        RateLimitedLog trace = new RateLimitedLog(LoggerFactory.getLogger(LOGGER), Level.TRACE, "traced", nanos::get,
                Duration.ofMinutes(1));
        assertFalse(trace.log("a"));
        assertFalse(trace.log("b"));
        assertEquals(0, trace.suppressed());
        assertEquals(List.of(), lines());
    }
}

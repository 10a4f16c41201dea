package io.github.outlook365.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a test sees of the log: every line while capturing, with its logger and stack trace, none after. */
class CapturedLogsTest {

    private static final Logger LOG = LoggerFactory.getLogger("io.github.outlook365.simulator.example");

    @Test
    void capturesEveryLineWithItsLoggerAndStackTraceUntilClosed() {
        List<String> seen;
        // given a capture
        try (CapturedLogs logs = CapturedLogs.capture()) {
            // when a route logs a line and a failure
            LOG.info("Answered invoice '{}'", "Invoice 7");
            LOG.warn("Not sent", new IllegalStateException("the connection is BROKEN"));

            // then both are there, each once, with the logger's name first
            assertEquals(List.of("io.github.outlook365.simulator.example Answered invoice 'Invoice 7'"),
                    logs.linesContaining("Answered invoice"));
            String failure = logs.linesContaining("Not sent").get(0);
            assertTrue(failure.contains("IllegalStateException: the connection is BROKEN"), failure);
            assertTrue(failure.contains("at io.github.outlook365.simulator.CapturedLogsTest"), failure);
            seen = logs.lines();
        }

        // and nothing is captured once it is closed
        LOG.info("after the capture");
        assertTrue(seen.stream().noneMatch(line -> line.contains("after the capture")));
    }
}

package io.github.outlook365.simulator;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/**
 * Every log line (logger name, message and stack trace) written while it is open, at every level the configuration
 * lets through: to assert that a route logged something, or that no secret reached the log.
 *
 * <pre>{@code
 * try (CapturedLogs logs = CapturedLogs.capture()) {
 *     ... run the route ...
 *     assertTrue(logs.linesContaining(clientSecret).isEmpty());
 * }
 * }</pre>
 *
 * Needs Log4j 2 as the logging backend (log4j-core, e.g. through log4j-slf4j2-impl), as Camel's own tests use; the
 * dependency is optional, so tests on another backend do not pull it in.
 */
public final class CapturedLogs extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private CapturedLogs() {
        super("captured-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
    }

    /** Starts capturing; close it to stop. */
    public static CapturedLogs capture() {
        if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
            throw new IllegalStateException("CapturedLogs needs Log4j 2 as the logging backend, but the log goes to "
                    + LogManager.getContext(false).getClass().getName()
                    + ": add org.apache.logging.log4j:log4j-slf4j2-impl (and log4j-core) to the test dependencies");
        }
        CapturedLogs appender = new CapturedLogs();
        appender.start();
        // an additive logger hands its events on to the root: attached there too, each line would come twice
        context.getConfiguration().getLoggers().values().stream().filter(logger -> !logger.isAdditive())
                .forEach(logger -> logger.addAppender(appender, Level.ALL, null));
        context.getConfiguration().getRootLogger().addAppender(appender, Level.ALL, null);
        context.updateLoggers();
        return appender;
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ')
                .append(event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        lines.add(line.toString());
    }

    /** Every line so far, oldest first: "logger.name message" (and the stack trace on the lines below). */
    public List<String> lines() {
        return lines;
    }

    /** The lines that contain {@code text}. */
    public List<String> linesContaining(String text) {
        return lines.stream().filter(l -> l.contains(text)).toList();
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getLoggers().values().forEach(logger -> logger.removeAppender(getName()));
        context.getConfiguration().getRootLogger().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}

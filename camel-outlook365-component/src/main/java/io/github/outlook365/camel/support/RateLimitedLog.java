package io.github.outlook365.camel.support;

import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * One kind of log line that a request from outside can cause (a refused sign-in callback, a forged change
 * notification), written at most once per {@link #WINDOW}: the first such event of a window is logged in full, the
 * others of that window are only counted, and the first event after the window (or {@link #flush()}, when its owner
 * stops) writes one line with the count before it starts the next window:
 *
 * <pre>
 * WARN  Refused a sign-in callback to 1a2b...: the sign-in callback's state is not one this connection is waiting for ...
 * WARN  ... and 1,234 more refused sign-in callbacks in the last 60 s (logged at most once a minute)
 * </pre>
 *
 * So a flood costs two lines a minute per kind, whatever its rate, and the operator still learns its size. Memory is
 * a few fields per kind, never anything per caller or per address. The owner keeps one instance per kind (per
 * connection, per component: not static, so two Camel contexts in one JVM do not silence each other).
 * <p>
 * The line's text is the caller's: whatever in it came from outside must already be made safe
 * ({@link io.github.outlook365.camel.auth.UntrustedText#clean(String)}), and no secret belongs in it. The count line
 * carries nothing from outside.
 */
public final class RateLimitedLog {

    /** One line of a kind per minute. */
    public static final Duration WINDOW = Duration.ofMinutes(1);

    private final Logger logger;
    private final Level level;
    private final String what;
    private final LongSupplier nanoTime;
    private final long window;

    // guarded by this
    private boolean open;
    private long windowStart;
    private long suppressed;

    /**
     * @param logger where the lines go
     * @param level  the level of both lines
     * @param what   what is counted, plural, for the count line: "refused sign-in callbacks" gives "... and 1,234 more
     *               refused sign-in callbacks in the last 60 s"
     */
    public RateLimitedLog(Logger logger, Level level, String what) {
        this(logger, level, what, System::nanoTime, WINDOW);
    }

    /** With a clock of its own (nanoseconds, as {@link System#nanoTime()}) and window: for tests. */
    RateLimitedLog(Logger logger, Level level, String what, LongSupplier nanoTime, Duration window) {
        this.logger = logger;
        this.level = level;
        this.what = what;
        this.nanoTime = nanoTime;
        this.window = window.toNanos();
    }

    /**
     * One event of this kind: logged ({@code format} and {@code arguments} as SLF4J takes them) when it is the first of
     * its window, else counted.
     *
     * @return whether this event was logged in full
     */
    public boolean log(String format, Object... arguments) {
        if (!logger.isEnabledForLevel(level)) {
            return false;
        }
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (open && now - windowStart < window) {
                suppressed++;
                return false;
            }
            writeCount(now);
            open = true;
            windowStart = now;
            logger.atLevel(level).log(format, arguments);
            return true;
        }
    }

    /**
     * Writes the count of the window that is under way, if it counted anything, and closes it (the next event is logged
     * in full): when the owner stops, so that the end of a flood is not left untold.
     */
    public synchronized void flush() {
        writeCount(nanoTime.getAsLong());
        open = false;
    }

    /** How many events the window under way counted without logging them. */
    public synchronized long suppressed() {
        return suppressed;
    }

    private void writeCount(long now) {
        if (suppressed > 0) {
            long seconds = Math.max(1, Math.round((now - windowStart) / 1e9));
            logger.atLevel(level).log(String.format(Locale.ROOT, "... and %,d more %s in the last %d s (logged at most"
                                                                 + " once a minute)", suppressed, what, seconds));
        }
        suppressed = 0;
    }
}

package io.github.outlook365.camel.trigger;

import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler the triggers of one app share ({@code triggerThreads} threads). A thread on which a JVM error (a
 * {@link StackOverflowError}, say) escaped a route is retired once its task returns, and a fresh thread takes its place:
 * the error left Camel's per-thread routing state (its reactive executor's worker) unfinished on that thread, and an
 * exchange routed on it afterwards completed without running the route's steps, so that its mail was committed as
 * delivered although nothing had seen it. A trigger with a scheduler of its own threw that thread away with its pool
 * when its route stopped; a shared one must do it itself.
 */
public final class TriggerScheduler extends ScheduledThreadPoolExecutor {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerScheduler.class);
    private static final ThreadLocal<Boolean> SPOILED = new ThreadLocal<>();

    /** Thrown after a spoiled thread's task to end that thread; the pool starts another in its place. */
    static final class ThreadRetired extends RuntimeException {
        ThreadRetired(String thread) {
            super("trigger thread " + thread + " retired after a JVM error escaped a route on it", null, false, false);
        }
    }

    public TriggerScheduler(int threads, ThreadFactory threadFactory) {
        super(threads, retiring(threadFactory));
        // a stopped trigger's cancelled poll leaves the queue at once, not at its next run
        setRemoveOnCancelPolicy(true);
    }

    /** A JVM error escaped a route on this thread: a thread of a trigger scheduler is retired after its task. */
    public static void spoilCurrentThread() {
        SPOILED.set(Boolean.TRUE);
    }

    /** Whether the current thread is marked to be retired (for tests). */
    static boolean currentThreadSpoiled() {
        return SPOILED.get() != null;
    }

    @Override
    protected void afterExecute(Runnable task, Throwable failure) {
        super.afterExecute(task, failure);
        if (SPOILED.get() != null) {
            SPOILED.remove();
            String name = Thread.currentThread().getName();
            LOG.warn("Retiring the trigger thread '{}': a JVM error escaped a route on it; a new thread takes its place",
                    name);
            // a ThreadPoolExecutor ends a worker whose afterExecute throws, and adds a new worker in its place
            throw new ThreadRetired(name);
        }
    }

    private static ThreadFactory retiring(ThreadFactory threadFactory) {
        return task -> {
            Thread thread = threadFactory.newThread(task);
            Thread.UncaughtExceptionHandler previous = thread.getUncaughtExceptionHandler();
            thread.setUncaughtExceptionHandler((t, e) -> {
                if (!(e instanceof ThreadRetired)) {
                    previous.uncaughtException(t, e);
                }
            });
            return thread;
        };
    }
}

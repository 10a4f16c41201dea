package io.github.outlook365.camel.trigger;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

class TriggerSchedulerTest {

    @Test
    void aThreadOnWhichAJvmErrorEscapedARouteIsReplacedAndThePollsGoOn() throws Exception {
        // given one thread shared by two triggers' polls
        TriggerScheduler scheduler = new TriggerScheduler(1, Executors.defaultThreadFactory());
        try {
            List<Thread> first = new CopyOnWriteArrayList<>();
            List<Thread> other = new CopyOnWriteArrayList<>();
            List<Boolean> spoiledAtStart = new CopyOnWriteArrayList<>();
            scheduler.scheduleWithFixedDelay(() -> {
                spoiledAtStart.add(TriggerScheduler.currentThreadSpoiled());
                first.add(Thread.currentThread());
                if (first.size() == 1) {
                    // when a JVM error escapes a route on the thread
                    TriggerScheduler.spoilCurrentThread();
                    throw new StackOverflowError("recursion in a route step");
                }
            }, 0, 20, TimeUnit.MILLISECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() -> first.size() == 1);
            scheduler.scheduleWithFixedDelay(() -> other.add(Thread.currentThread()), 0, 20, TimeUnit.MILLISECONDS);

            // then the other trigger's polls go on, on a new thread, and no task finds a thread marked spoiled
            await().atMost(Duration.ofSeconds(60)).until(() -> other.size() >= 3);
            assertNotSame(first.get(0), other.get(0));
            assertFalse(first.get(0).isAlive() && first.get(0) == other.get(other.size() - 1));
            assertSame(other.get(0), other.get(other.size() - 1));
            assertFalse(spoiledAtStart.contains(Boolean.TRUE));
            // and the errored poll, as with Camel's own scheduler, does not run again
            assertEquals(1, first.size());
            await().atMost(Duration.ofSeconds(60)).until(() -> !first.get(0).isAlive());
        } finally {
            scheduler.shutdownNow();
        }
    }
}

package io.github.outlook365.simulator;

import java.time.Duration;

/** Answers held back by a stalled-body fault; a reset or the simulator's stop lets every one of them go. */
final class Stalls {

    private long generation;

    /** Blocks for {@code stall}, or until {@link #releaseAll()}. */
    synchronized void hold(Duration stall) throws InterruptedException {
        long mine = generation;
        long end = System.nanoTime() + stall.toNanos();
        while (generation == mine) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    synchronized void releaseAll() {
        generation++;
        notifyAll();
    }
}

package io.github.outlook365.camel.benchmark;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;

/**
 * What a benchmark's forked JVM measures of itself: its process CPU time over a window, its wall time, the heap it
 * used at most, and the most heap still live after a garbage collection (what it retains, garbage aside). Results
 * go to standard output as one {@code RESULT key=value ...} line the benchmark reads.
 */
final class ProcessMeter {

    private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private final AtomicLong maxLiveAfterGc = new AtomicLong();
    private final Map<String, Object> results = new LinkedHashMap<>();
    private long cpuStart;
    private long wallStart;

    ProcessMeter() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) gc).addNotificationListener((notification, handback) -> {
                if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    return;
                }
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo
                        .from((CompositeData) notification.getUserData());
                long live = 0;
                for (MemoryUsage usage : info.getGcInfo().getMemoryUsageAfterGc().values()) {
                    live += usage.getUsed();
                }
                // non-heap pools are in the map too: count only what the heap pools hold
                long heapLive = live - nonHeapUsed(info);
                maxLiveAfterGc.accumulateAndGet(heapLive, Math::max);
            }, null, null);
        }
    }

    private static long nonHeapUsed(GarbageCollectionNotificationInfo info) {
        long used = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.NON_HEAP) {
                MemoryUsage usage = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                if (usage != null) {
                    used += usage.getUsed();
                }
            }
        }
        return used;
    }

    void start() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(java.lang.management.MemoryPoolMXBean::resetPeakUsage);
        maxLiveAfterGc.set(0);
        cpuStart = os.getProcessCpuTime();
        wallStart = System.nanoTime();
    }

    void stop() {
        results.put("cpuMs", (os.getProcessCpuTime() - cpuStart) / 1_000_000);
        results.put("wallMs", (System.nanoTime() - wallStart) / 1_000_000);
        long peak = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        results.put("peakHeapMb", peak / (1024 * 1024));
        // what is still live now counts too (a short run may never have collected)
        System.gc();
        long liveNow = 0;
        for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                liveNow += pool.getUsage().getUsed();
            }
        }
        results.put("maxLiveHeapMb", Math.max(maxLiveAfterGc.get(), liveNow) / (1024 * 1024));
        results.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

    void put(String key, Object value) {
        results.put(key, value);
    }

    void print() {
        StringBuilder line = new StringBuilder("RESULT");
        results.forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
        System.out.println(line);
        System.out.flush();
    }

}

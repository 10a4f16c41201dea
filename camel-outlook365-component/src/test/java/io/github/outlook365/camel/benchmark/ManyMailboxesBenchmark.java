package io.github.outlook365.camel.benchmark;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.SimulatedTenant;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;

/**
 * One app (clientCredentials) watching many mailboxes, one {@code mail/received?account=<mailbox>&delay=5000} route
 * each, on the in-process simulator: start-up, live threads, token requests, Graph requests at start, idle Graph
 * requests and CPU per minute, live heap, time until one new mail in every mailbox fired, and mails fired exactly once.
 * Prints a table (docs/performance.md keeps one); asserts nothing about time. Run with
 * {@code mvn -B -ntp -o -pl camel-outlook365-component -am test -Dtest=ManyMailboxesBenchmark -Dgroups=benchmark
 * -DexcludedTestGroups=none -Dsurefire.failIfNoSpecifiedTests=false -Dconsole.skip=true -DskipKaraf
 * -Dbenchmark.mailboxes=10,100,1000}; {@code -Dbenchmark.idleSeconds=60} (default 30) sets the idle window,
 * {@code -Dbenchmark.delay=5000} the triggers' delay, {@code -Dbenchmark.graphLatency=50} (default 0) makes the simulator
 * answer each Graph request that many milliseconds late, as Microsoft Graph's network round trip would, and
 * {@code -Dbenchmark.restart=true} starts the routes once more on the state the first start left (start-up and Graph
 * requests of a restart).
 * <p>
 * The simulator runs in the same JVM: "threads" and "CPU" also give the part without the simulator's own threads
 * (named outlook365-simulator-*, HTTP-Dispatcher), and "heap" the growth over the heap with the simulator and its
 * mailboxes in place before Camel starts.
 */
@Tag("benchmark")
class ManyMailboxesBenchmark {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    record Row(int mailboxes, double startSeconds, int threads, int componentThreads, long tokenRequests,
               long requestsAtStart, double idleRequestsPerMinute, double idleReadsPerMinute, double idleCpuPerMinute,
               double componentIdleCpuPerMinute, double heapMb, double heapGrowthMb, double newMailSeconds,
               int firedOnce, int firedMoreThanOnce) {
    }

    @Test
    void manyMailboxesOfOneApp() throws Exception {
        String sizes = System.getProperty("benchmark.mailboxes", "10,100");
        long idleSeconds = Long.getLong("benchmark.idleSeconds", 30);
        long delay = Long.getLong("benchmark.delay", 5000);
        long graphLatency = Long.getLong("benchmark.graphLatency", 0);
        boolean oneRoute = !"routes".equals(System.getProperty("benchmark.mode", "accounts"));
        boolean batchPolls = !"false".equals(System.getProperty("benchmark.batchPolls", "true"));
        // the tests log every request at DEBUG to a file: an application logs at INFO
        org.apache.logging.log4j.core.config.Configurator.setLevel("io.github.outlook365",
                org.apache.logging.log4j.Level.INFO);
        org.apache.logging.log4j.core.config.Configurator.setLevel("com.microsoft.aad.msal4j",
                org.apache.logging.log4j.Level.INFO);
        List<Row> rows = new ArrayList<>();
        for (String size : sizes.split(",")) {
            rows.add(run(Integer.parseInt(size.trim()), idleSeconds, delay, oneRoute, batchPolls, graphLatency));
        }
        System.out.printf("%n=== outlook365: one app, many mailboxes, %s (delay=%d ms, idle window %d s, Graph latency %d"
                          + " ms) ===%n", oneRoute ? "one route with accounts=" + (batchPolls ? "" : ", batchPolls=false")
                        : "a route per mailbox", delay, idleSeconds, graphLatency);
        System.out.println("| mailboxes | start-up | live threads (without simulator) | token requests | Graph requests at"
                           + " start | idle HTTP requests/min | idle mailbox reads/min | idle CPU s/min (without"
                           + " simulator) | live heap (growth) | one new mail in every mailbox fired | fired once / more |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Row r : rows) {
            System.out.printf("| %,d | %.1f s | %d (%d) | %d | %,d | %,.0f | %,.0f | %.2f (%.2f) | %.0f MB (%.0f MB) | %.1f s |"
                              + " %d / %d |%n", r.mailboxes(), r.startSeconds(), r.threads(), r.componentThreads(),
                    r.tokenRequests(), r.requestsAtStart(), r.idleRequestsPerMinute(), r.idleReadsPerMinute(),
                    r.idleCpuPerMinute(),
                    r.componentIdleCpuPerMinute(), r.heapMb(), r.heapGrowthMb(), r.newMailSeconds(), r.firedOnce(),
                    r.firedMoreThanOnce());
        }
        System.out.println();
    }

    private Row run(int mailboxes, long idleSeconds, long delay, boolean oneRoute, boolean batchPolls, long graphLatency)
            throws Exception {
        Outlook365Simulator sim = SIMULATOR.simulator();
        sim.reset();
        if (graphLatency > 0) {
            sim.setLatency("^/v1\\.0/", Duration.ofMillis(graphLatency));
        }
        Path dir = Files.createDirectories(work.resolve("n" + mailboxes));
        SimulatedTenant tenant = new SimulatedTenant(sim, dir);
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < mailboxes; i++) {
            String account = String.format("m%05d@contoso.onmicrosoft.com", i);
            sim.createMailbox(SimulatedTenant.TENANT, account, "Mailbox " + i);
            accounts.add(account);
        }
        Map<String, AtomicInteger> fired = new ConcurrentHashMap<>();
        java.util.function.Supplier<RouteBuilder> routes = () -> new RouteBuilder() {
            @Override
            public void configure() {
                if (oneRoute) {
                    from("outlook365:mail/received?delay=" + delay + "&batchPolls=" + batchPolls + "&accounts="
                         + String.join(",", accounts))
                            .process(e -> fired.computeIfAbsent(e.getMessage().getHeader(Outlook365Constants.SUBJECT,
                                    String.class), k -> new AtomicInteger()).incrementAndGet());
                    return;
                }
                for (String account : accounts) {
                    from("outlook365:mail/received?delay=" + delay + "&account=" + account)
                            .process(e -> fired.computeIfAbsent(e.getMessage().getHeader(Outlook365Constants.SUBJECT,
                                    String.class), k -> new AtomicInteger()).incrementAndGet());
                }
            }
        };
        CamelContext context = tenant.context(routes.get());
        long heapBefore = liveHeap();
        sim.clearRequests();
        // the start runs on the main thread and on the route's start threads (triggerThreads at a time)
        Sampler startSampler = Sampler.startIf("start-up of " + mailboxes, t -> t.getName().equals("main")
                                                                                || t.getName().contains("outlook365-start"));
        ThreadMXBean startThreads = ManagementFactory.getThreadMXBean();
        long startCpu0 = processCpu();
        Map<Long, Long> startThreadCpu0 = componentThreadCpu(startThreads);
        long startedAtMillis = System.currentTimeMillis();
        long t0 = System.nanoTime();
        context.start();
        double startSeconds = (System.nanoTime() - t0) / 1e9;
        long startCpu = processCpu() - startCpu0;
        long componentStartCpu = 0;
        for (Map.Entry<Long, Long> e : componentThreadCpu(startThreads).entrySet()) {
            componentStartCpu += e.getValue() - startThreadCpu0.getOrDefault(e.getKey(), 0L);
        }
        // threads that ended during the start (the start pool) are missed in the second count: the process total holds them
        System.out.printf("start-up of %d mailboxes: %.1f s, process CPU %.1f s (threads alive at its end, not the"
                          + " simulator's: %.1f s); window %d..%d ms since the epoch%n", mailboxes, startSeconds,
                startCpu / 1e9, componentStartCpu / 1e9, startedAtMillis, System.currentTimeMillis());
        Sampler.stop(startSampler);
        try {
            long tokenRequests = sim.tokenRequests();
            long requestsAtStart = graphRequests(sim);

            // idle: nothing arrives; what do the polls cost?
            sim.clearRequests();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpu0 = processCpu();
            Map<Long, Long> threadCpu0 = componentThreadCpu(threads);
            long i0 = System.nanoTime();
            Sampler idleSampler = Sampler.startIf("idle of " + mailboxes, t -> !t.getName().startsWith("outlook365-simulator")
                                                                               && !t.getName().equals("main"));
            Thread.sleep(idleSeconds * 1000);
            Sampler.stop(idleSampler);
            double minutes = (System.nanoTime() - i0) / 60e9;
            long cpu1 = processCpu();
            Map<Long, Long> threadCpu1 = componentThreadCpu(threads);
            long componentCpu = 0;
            for (Map.Entry<Long, Long> e : threadCpu1.entrySet()) {
                componentCpu += e.getValue() - threadCpu0.getOrDefault(e.getKey(), 0L);
            }
            double idleRequests = graphRequests(sim) / minutes;
            double idleReads = mailboxReads(sim) / minutes;
            int liveThreads = threads.getThreadCount();
            int componentThreads = threadCpu1.size();
            // the simulator's log of the idle window's requests (thousands a minute) is not the component's heap
            sim.clearRequests();
            long heap = liveHeap();

            // one new mail in every mailbox
            sim.clearRequests();
            long m0 = System.nanoTime();
            for (String account : accounts) {
                sim.deliver(account, SimMail.from("load@fabrikam.example", "Load").to(account).subject("for " + account)
                        .textBody("x"));
            }
            await().atMost(Duration.ofSeconds(Math.max(120, mailboxes / 2))).pollInterval(Duration.ofMillis(50))
                    .until(() -> fired.size() >= mailboxes);
            double newMailSeconds = (System.nanoTime() - m0) / 1e9;
            // a few more polls: nothing fires again
            Thread.sleep(2 * delay);
            int once = (int) fired.values().stream().filter(n -> n.get() == 1).count();
            int more = (int) fired.values().stream().filter(n -> n.get() > 1).count();
            Row row = new Row(mailboxes, startSeconds, liveThreads, componentThreads, tokenRequests, requestsAtStart,
                    idleRequests, idleReads, (cpu1 - cpu0) / 1e9 / minutes, componentCpu / 1e9 / minutes, heap / 1048576.0,
                    (heap - heapBefore) / 1048576.0, newMailSeconds, once, more);
            System.out.println(row);
            if (Boolean.getBoolean("benchmark.restart")) {
                // the same routes again on the state the first start left: every mailbox resumes from its cursor
                context.stop();
                CamelContext again = tenant.context(routes.get());
                sim.clearRequests();
                long r0 = System.nanoTime();
                again.start();
                double restartSeconds = (System.nanoTime() - r0) / 1e9;
                long restartRequests = graphRequests(sim);
                again.stop();
                System.out.printf("restart of %d mailboxes: %.1f s, %d Graph requests at start%n", mailboxes,
                        restartSeconds, restartRequests);
            }
            return row;
        } finally {
            context.stop();
        }
    }

    /** Graph requests over HTTP (a $batch counts once). */
    private static long graphRequests(Outlook365Simulator sim) {
        return sim.requests().stream().filter(r -> r.path().startsWith("/v1.0/") && !r.batchItem()).count();
    }

    /** Reads of a mailbox's messages, alone or inside a $batch: what Graph throttles per mailbox. */
    private static long mailboxReads(Outlook365Simulator sim) {
        return sim.requests().stream().filter(r -> r.path().startsWith("/v1.0/users/")).count();
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time of each live thread that is not the simulator's. */
    private static Map<Long, Long> componentThreadCpu(ThreadMXBean threads) {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info == null || info.getThreadName().startsWith("outlook365-simulator")
                || info.getThreadName().startsWith("HTTP-Dispatcher")) {
                continue;
            }
            long t = threads.getThreadCpuTime(info.getThreadId());
            if (t >= 0) {
                cpu.put(info.getThreadId(), t);
            }
        }
        return cpu;
    }

    private static long liveHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * A thread-dump sampler ({@code -Dbenchmark.sample=true}): every 10 ms the stacks of the chosen runnable threads;
     * prints the 25 most seen frames of our code or Camel's (self and below), so idle CPU and start-up time are
     * profiled, not guessed.
     */
    static final class Sampler extends Thread {
        private final String what;
        private final java.util.function.Predicate<Thread> which;
        private final Map<String, Integer> frames = new HashMap<>();
        private volatile boolean running = true;
        private int samples;

        private Sampler(String what, java.util.function.Predicate<Thread> which) {
            super("benchmark-sampler");
            setDaemon(true);
            this.what = what;
            this.which = which;
        }

        static Sampler startIf(String what, java.util.function.Predicate<Thread> which) {
            if (!Boolean.getBoolean("benchmark.sample")) {
                return null;
            }
            Sampler s = new Sampler(what, which);
            s.start();
            return s;
        }

        static void stop(Sampler s) throws InterruptedException {
            if (s == null) {
                return;
            }
            s.running = false;
            s.join();
            System.out.printf("%n--- samples of %s: %d stacks; frames seen most (percent of stacks) ---%n", s.what,
                    s.samples);
            s.frames.entrySet().stream().sorted(Map.Entry.<String, Integer> comparingByValue().reversed()).limit(40)
                    .forEach(e -> System.out.printf("%5.1f%% %s%n", 100.0 * e.getValue() / Math.max(1, s.samples),
                            e.getKey()));
        }

        @Override
        public void run() {
            while (running) {
                for (Map.Entry<Thread, StackTraceElement[]> e : Thread.getAllStackTraces().entrySet()) {
                    Thread t = e.getKey();
                    boolean main = t.getName().equals("main") || t.getName().contains("outlook365-start");
                    if (t == this || !main && t.getState() != State.RUNNABLE || !which.test(t)
                        || e.getValue().length == 0) {
                        continue;
                    }
                    StackTraceElement[] stack = e.getValue();
                    String top = stack[0].getClassName() + "." + stack[0].getMethodName();
                    if (!main && (top.startsWith("sun.nio.ch.") || top.startsWith("java.io.FileInputStream")
                                  || top.startsWith("java.lang.ref."))) {
                        continue; // waiting in native code, not running
                    }
                    samples++;
                    // where the time goes: the innermost frame of ours or Camel's, with the frame on top
                    String ours = null;
                    for (StackTraceElement f : stack) {
                        if (f.getClassName().startsWith("io.github.outlook365.camel.")
                            && !f.getClassName().contains("benchmark")) {
                            ours = f.getClassName().replace("io.github.outlook365.camel.", "") + "." + f.getMethodName()
                                   + ":" + f.getLineNumber();
                            break;
                        }
                    }
                    frames.merge(t.getState() + " " + (ours == null ? "-" : ours) + " <- " + top, 1, Integer::sum);
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ex) {
                    return;
                }
            }
        }
    }
}

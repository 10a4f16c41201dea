package io.github.outlook365.camel.benchmark;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.outlook365.camel.ForkedCamel;
import io.github.outlook365.camel.SimulatedTenant;
import io.github.outlook365.camel.mail.MailTriggerConsumer;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.SimMail;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a mail/received backlog costs: 1,000, 10,000 and 100,000 mails of 4 KB on the simulator, fired by a trigger in
 * a JVM of its own with -Xmx128m (the simulator runs in this one), against the floor: the same pages fetched and
 * parsed by a bare HttpClient + Jackson loop in a JVM of the same size. Prints mails per second, CPU seconds per 1,000
 * mails of each JVM (its process CPU time while it works, JIT and GC included) and their ratio, Graph requests per
 * mail and the most heap live after a GC; then the same with 100,000 ids already in the trigger's state. Asserts only
 * that every mail fired, once. Run with
 * {@code mvn -B -pl camel-outlook365-component -am test -Dgroups=benchmark -DexcludedTestGroups=none
 * -Dtest=TriggerBacklogBenchmark -Dsurefire.failIfNoSpecifiedTests=false}; {@code -Dbenchmark.sizes=1000,10000}
 * picks the sizes, {@code -Dbenchmark.stores=file,memory} the trigger state stores (file: the component's default).
 */
@Tag("benchmark")
class TriggerBacklogBenchmark {

    private static final int PAGE_SIZE = Integer.getInteger("benchmark.pageSize", 100);
    private static final String BODY = "x".repeat(4096);
    private static final Duration MAIL_INTERVAL = Duration.ofSeconds(30);

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    private record Run(String what, int mails, Map<String, String> result, long graphRequests) {
        double cpuPerThousand() {
            return Long.parseLong(result.get("cpuMs")) / 1000.0 / (mails / 1000.0);
        }

        double mailsPerSecond() {
            return mails / (Long.parseLong(result.get("wallMs")) / 1000.0);
        }
    }

    @Test
    void aBacklogFiresCompletelyOnceUnder128mAtACostCloseToTheFloor() throws Exception {
        List<Integer> sizes = new ArrayList<>();
        for (String s : System.getProperty("benchmark.sizes", "1000,10000,100000").split(",")) {
            sizes.add(Integer.parseInt(s.trim()));
        }
        List<String> stores = List.of(System.getProperty("benchmark.stores", "file,memory").split(","));
        int prefill = Integer.getInteger("benchmark.prefill", 100_000);
        List<Run> runs = new ArrayList<>();
        for (int size : sizes) {
            Outlook365Simulator sim = SIMULATOR.simulator();
            sim.reset();
            Path dir = Files.createDirectories(work.resolve("n" + size));
            new SimulatedTenant(sim, dir);
            Instant since = deliver(sim, size);

            runs.add(run("floor", size, sim, dir, FloorProcess.class, Map.of("since", since.toString(),
                    "select", MailTriggerConsumer.SELECT)));
            for (String store : stores) {
                Path state = Files.createDirectories(dir.resolve("state-" + store));
                Run trigger = run("trigger (" + store + " store)", size, sim, dir, TriggerProcess.class,
                        Map.of("since", since.toString(), "store", store, "state", state.toString()));
                runs.add(trigger);
                assertEquals(String.valueOf(size), trigger.result().get("distinct"), trigger.toString());
                assertEquals("0", trigger.result().get("duplicates"), trigger.toString());
            }
            if (size == sizes.get(sizes.size() - 1) && prefill > 0) {
                for (String store : stores) {
                    Path state = Files.createDirectories(dir.resolve("state-prefilled-" + store));
                    Run full = run("trigger (" + store + " store, " + prefill + " ids stored)", size, sim, dir,
                            TriggerProcess.class, Map.of("since", since.toString(), "store", store, "state",
                                    state.toString(), "prefill", String.valueOf(prefill)));
                    runs.add(full);
                    assertEquals(String.valueOf(size), full.result().get("distinct"), full.toString());
                    assertEquals("0", full.result().get("duplicates"), full.toString());
                }
            }
        }
        String table = table(runs);
        System.out.println(table);
        Files.writeString(Path.of("target", "trigger-backlog-benchmark.md"), table);
    }

    /** Delivers {@code size} mails of 4 KB, one every 30 seconds up to now; returns when the first arrived. */
    private static Instant deliver(Outlook365Simulator sim, int size) {
        Instant first = Instant.now().minus(MAIL_INTERVAL.multipliedBy(size)).minusSeconds(60);
        for (int i = 0; i < size; i++) {
            sim.deliver(SimulatedTenant.ADA, SimMail.from("load@fabrikam.example", "Load").to(SimulatedTenant.ADA)
                    .subject(String.format("m%07d", i)).textBody(BODY).receivedAt(first.plus(MAIL_INTERVAL.multipliedBy(i))));
        }
        return first;
    }

    private Run run(String what, int size, Outlook365Simulator sim, Path dir, Class<?> main, Map<String, String> extra)
            throws Exception {
        List<String> jvm = new ArrayList<>(List.of("-Xmx128m", "-Dlog4j2.configurationFile=" + logConfiguration(dir)));
        String jvmArgs = System.getProperty("benchmark.jvmArgs", "");
        if (!jvmArgs.isBlank()) {
            // e.g. a flight recording of each run: -XX:StartFlightRecording=filename=/tmp/jfr/,settings=profile
            jvm.addAll(List.of(jvmArgs.trim().split("\\s+")));
        }
        Map<String, String> args = ForkedCamel.connection(sim, dir.resolve("simulator-trust.p12"));
        args.put("count", String.valueOf(size));
        args.put("pageSize", String.valueOf(PAGE_SIZE));
        args.putAll(extra);
        List<String> command = ForkedCamel.command(main, jvm, args);
        File out = dir.resolve(main.getSimpleName() + "-" + System.nanoTime() + ".out").toFile();
        sim.clearRequests();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out).start();
        if (!process.waitFor(Long.getLong("benchmark.timeoutMinutes", 120), TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError(what + " of " + size + " did not finish in time; it wrote:\n"
                                     + String.join("\n", Files.readAllLines(out.toPath())));
        }
        long graph = sim.requests().stream().filter(r -> r.path().startsWith("/v1.0/")).count();
        List<String> printed = Files.readAllLines(out.toPath());
        String line = printed.stream().filter(l -> l.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new AssertionError(what + " printed no result: " + String.join("\n", printed)));
        Map<String, String> result = new LinkedHashMap<>();
        for (String pair : line.substring(7).split(" ")) {
            result.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        Run run = new Run(what, size, result, graph);
        System.out.printf("%s, %d mails: %s, %d Graph requests%n", what, size, result, graph);
        assertTrue(!result.containsKey("complete") || "true".equals(result.get("complete")), run.toString());
        return run;
    }

    private static Path logConfiguration(Path dir) throws Exception {
        Path file = dir.resolve("log4j2-benchmark.xml");
        Files.writeString(file, "<Configuration status=\"WARN\"><Appenders><Console name=\"out\"><PatternLayout"
                                + " pattern=\"%d{HH:mm:ss.SSS} %-5level %c{1} - %msg%n\"/></Console></Appenders><Loggers>"
                                + "<Logger name=\"io.github.outlook365\" level=\"INFO\"/>"
                                + "<Root level=\"WARN\"><AppenderRef ref=\"out\"/></Root></Loggers></Configuration>");
        return file;
    }

    private static String table(List<Run> runs) {
        StringBuilder t = new StringBuilder();
        t.append("| mails | who | mails/s | CPU s per 1,000 mails | x floor | Graph requests per mail | max live heap MB")
                .append(" (of ").append("-Xmx128m) |\n|---:|---|---:|---:|---:|---:|---:|\n");
        Map<Integer, Run> floors = new LinkedHashMap<>();
        for (Run r : runs) {
            if (r.what().equals("floor")) {
                floors.put(r.mails(), r);
            }
        }
        for (Run r : runs) {
            Run floor = floors.get(r.mails());
            t.append(String.format("| %,d | %s | %,.0f | %.3f | %s | %.4f | %s |%n", r.mails(), r.what(),
                    r.mailsPerSecond(), r.cpuPerThousand(),
                    r == floor ? "1.00" : String.format("%.2f", r.cpuPerThousand() / floor.cpuPerThousand()),
                    (double) r.graphRequests() / r.mails(), r.result().get("maxLiveHeapMb")));
        }
        return t.toString();
    }
}

package io.github.outlook365.example;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * The example run as a user runs it: {@code StandaloneExample.main} in a JVM of its own, configured by environment
 * variables (the README's {@code export OUTLOOK365_...}), its console log read line by line. The test starts it,
 * reads it, and ends it by its own handle.
 */
final class ExampleProcess implements AutoCloseable {

    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Thread reader;

    private ExampleProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "example-process-log");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * @param environment      the OUTLOOK365_* variables (the caller's own are not passed on)
     * @param systemProperties -Dkey=value options for what a real tenant needs no setting for (the simulator's
     *                         hosts and trust, a free port, a state directory of the test)
     */
    static ExampleProcess start(Map<String, String> environment, List<String> systemProperties) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.addAll(systemProperties);
        command.add(StandaloneExample.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("OUTLOOK365_"));
        builder.environment().putAll(environment);
        return new ExampleProcess(builder.start());
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> lines() {
        return lines;
    }

    String log() {
        return String.join("\n", lines);
    }

    List<String> linesContaining(String text) {
        return lines.stream().filter(l -> l.contains(text)).toList();
    }

    /** Waits for a log line with {@code text} and returns it; fails with the log so far. */
    String awaitLine(String text, Duration within) {
        try {
            await().atMost(within).until(() -> !linesContaining(text).isEmpty() || !process.isAlive() && !reader.isAlive());
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no log line with '" + text + "' within " + within + ":\n" + lastLines(), e);
        }
        List<String> found = linesContaining(text);
        if (found.isEmpty()) {
            throw new AssertionError("the example ended without logging '" + text + "':\n" + log());
        }
        return found.get(0);
    }

    /** Waits for the JVM to end by itself (a failed start) and returns its exit code. */
    int awaitExit(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the example did not end within " + within + ":\n" + lastLines());
        }
        reader.join(within.toMillis());
        return process.exitValue();
    }

    private String lastLines() {
        List<String> all = List.copyOf(lines);
        return String.join("\n", all.subList(Math.max(0, all.size() - 40), all.size()));
    }

    /** Ends the example as Ctrl+C does (SIGTERM), and waits until it is gone. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        reader.join(5_000);
    }
}

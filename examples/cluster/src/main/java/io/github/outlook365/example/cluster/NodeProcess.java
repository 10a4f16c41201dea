package io.github.outlook365.example.cluster;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link ClusterNode} in a JVM of its own, as an operator runs it: started with this JVM's class path, its console
 * read line by line, ended by its own handle ({@code kill -9}, {@code kill -STOP} / {@code -CONT}, or a normal stop).
 */
public final class NodeProcess implements AutoCloseable {

    /** Where the nodes find PostgreSQL, each other and Microsoft 365 (or the simulator). */
    public record Cluster(String jdbcUrl, Path root, String graph, Path trustStore, Map<String, String> environment,
                          long workMillis, long pollDelay) {
    }

    private final String name;
    private final Process process;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Consumer<String> echo;

    private NodeProcess(String name, Process process, Consumer<String> echo) {
        this.name = name;
        this.process = process;
        this.echo = echo;
        Thread reader = new Thread(this::read, "node-" + name + "-log");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts node {@code name}; {@code echo} gets each line of its console (or null). */
    public static NodeProcess start(String name, Cluster cluster, Consumer<String> echo) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx192m");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-cp");
        command.add(classPath());
        command.add("-Doutlook365.cluster.node=" + name);
        command.add("-Doutlook365.cluster.root=" + cluster.root());
        command.add("-Doutlook365.cluster.jdbcUrl=" + cluster.jdbcUrl());
        if (cluster.graph() != null) {
            command.add("-Doutlook365.cluster.graph=" + cluster.graph());
            command.add("-Doutlook365.cluster.trustStore=" + cluster.trustStore());
        }
        command.add(ClusterNode.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().keySet().removeIf(variable -> variable.startsWith("OUTLOOK365_"));
        builder.environment().putAll(cluster.environment());
        builder.environment().put("OUTLOOK365_CLUSTER_WORK_MILLIS", String.valueOf(cluster.workMillis()));
        builder.environment().put("OUTLOOK365_CLUSTER_POLL_DELAY", String.valueOf(cluster.pollDelay()));
        return new NodeProcess(name, builder.start(), echo);
    }

    /** This JVM's class path: Surefire's, exec:java's class loader's, or the launcher's. */
    static String classPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        if (surefire != null && !surefire.isBlank()) {
            return surefire;
        }
        List<String> entries = new ArrayList<>();
        for (ClassLoader l = Thread.currentThread().getContextClassLoader(); l != null; l = l.getParent()) {
            if (l instanceof URLClassLoader urls) {
                for (URL url : urls.getURLs()) {
                    try {
                        entries.add(Path.of(url.toURI()).toString());
                    } catch (Exception e) {
                        entries.add(url.getPath());
                    }
                }
            }
        }
        entries.add(System.getProperty("java.class.path"));
        return String.join(File.pathSeparator, entries);
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines.add(line);
                if (echo != null) {
                    echo.accept("[" + name + "] " + line);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public List<String> lines() {
        return lines;
    }

    public List<String> linesContaining(String text) {
        return lines.stream().filter(l -> l.contains(text)).toList();
    }

    public String log() {
        return String.join("\n", lines);
    }

    /** {@code kill -9}: the node dies at once, with whatever was in flight. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(60, TimeUnit.SECONDS);
    }

    /** {@code kill -STOP}: the node freezes (as in a long GC pause), keeping its connections and locks. */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** {@code kill -CONT}: the frozen node runs on from where it stood. */
    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, String.valueOf(pid())).inheritIO().start();
        if (!kill.waitFor(30, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill " + signal + " " + pid() + " failed");
        }
    }

    /** Stops the node as Ctrl+C does, and kills it if it does not end within 30 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        try {
            // a paused node would never handle the stop
            resume();
        } catch (IOException | InterruptedException e) {
            // it ends below anyway
        }
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

package io.github.outlook365.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own for a test: Debian's {@code initdb} and {@code pg_ctl} (package {@code postgresql})
 * make a cluster in a temporary directory, listening on 127.0.0.1 on a free port only (no Unix socket), with trust
 * authentication for the user {@value #USER}; {@link #close()} stops it (immediately) and deletes the directory.
 * <p>
 * PostgreSQL refuses to run as root: under root (CI) the cluster is made and run as the {@code postgres} user of
 * Debian's package (or {@code nobody}) through {@code runuser}, in a directory that user owns. A machine without the
 * binaries gets an error that says to install them ({@code apt-get install postgresql}; {@code .ci/run} does).
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String USER = "outlook365";
    public static final String DATABASE = "postgres";

    private final Path bin;
    private final Path directory;
    private final Path data;
    private final String runAs;
    private final int port;
    private boolean running;
    private Thread hook;

    private LocalPostgres(Path bin, Path directory, String runAs, int port) {
        this.bin = bin;
        this.directory = directory;
        this.data = directory.resolve("data");
        this.runAs = runAs;
        this.port = port;
    }

    /** Whether Debian's PostgreSQL binaries are installed. */
    public static boolean available() {
        return findBin() != null;
    }

    /** Makes and starts a cluster on a free port; close it to stop it and delete its files. */
    public static LocalPostgres start() {
        Path bin = findBin();
        if (bin == null) {
            throw new IllegalStateException("PostgreSQL's initdb is not installed (looked in /usr/lib/postgresql/*/bin):"
                                            + " install Debian's package (apt-get install postgresql; .ci/run does it)."
                                            + " The tests start their own server; the package's default one is not"
                                            + " needed");
        }
        String runAs = isRoot() ? rootlessUser() : null;
        try {
            Path directory = Files.createTempDirectory("outlook365-postgres-");
            if (runAs != null) {
                UserPrincipal owner = directory.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(runAs);
                Files.setOwner(directory, owner);
            }
            LocalPostgres postgres = new LocalPostgres(bin, directory, runAs, freePort());
            postgres.boot();
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a PostgreSQL cluster in a temporary directory", e);
        }
    }

    public int port() {
        return port;
    }

    /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres?user=outlook365}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE + "?user=" + USER;
    }

    private void boot() throws IOException {
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "--auth=trust",
                "--encoding=UTF8", "--no-sync", "--no-instructions"), 120);
        String settings = "\nlisten_addresses = '127.0.0.1'\nport = " + port + "\nunix_socket_directories = ''\n"
                          + "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 60\n"
                          + "shared_buffers = 16MB\n";
        Path conf = data.resolve("postgresql.conf");
        Files.writeString(conf, Files.readString(conf, StandardCharsets.UTF_8) + settings, StandardCharsets.UTF_8);
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l",
                directory.resolve("server.log").toString(), "-w", "-t", "120", "start"), 180);
        running = true;
        // a test JVM that ends without closing it leaves no server behind
        hook = new Thread(this::stopQuietly, "local-postgres-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public synchronized void close() {
        stopQuietly();
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs anyway
            }
        }
        deleteTree(directory);
    }

    private synchronized void stopQuietly() {
        if (!running) {
            return;
        }
        running = false;
        try {
            run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "stop"), 60);
        } catch (RuntimeException | IOException e) {
            // the server dies with its directory anyway; nothing else to do
        }
    }

    private void run(List<String> command, int timeoutSeconds) throws IOException {
        List<String> full = new ArrayList<>();
        if (runAs != null) {
            full.addAll(List.of("runuser", "-u", runAs, "--"));
        }
        full.addAll(command);
        Path log = directory.resolve("command.log");
        Process process = new ProcessBuilder(full).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", full) + " did not finish in " + timeoutSeconds + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", full), e);
        }
        if (process.exitValue() != 0) {
            String output = Files.readString(log, StandardCharsets.UTF_8);
            Path serverLog = directory.resolve("server.log");
            if (Files.exists(serverLog)) {
                output += "\n" + Files.readString(serverLog, StandardCharsets.UTF_8);
            }
            throw new IllegalStateException(String.join(" ", full) + " failed (exit " + process.exitValue() + "): "
                                            + output);
        }
    }

    private static Path findBin() {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparing(LocalPostgres::versionOf)).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int versionOf(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** The user a root process runs PostgreSQL as: Debian's postgres, else nobody. */
    private static String rootlessUser() {
        try {
            List<String> passwd = Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8);
            return passwd.stream().anyMatch(l -> l.startsWith("postgres:")) ? "postgres" : "nobody";
        } catch (IOException e) {
            return "nobody";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: left for the system to clean
        }
    }
}

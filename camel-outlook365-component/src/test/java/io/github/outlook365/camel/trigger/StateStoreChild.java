package io.github.outlook365.camel.trigger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.camel.support.service.ServiceHelper;

/**
 * A second process for the store's tests, started on the test classpath.
 * <ul>
 * <li>{@code open <stateDirectory> <key>}: opens the trigger's store and exits 0, or prints the error and exits 2.</li>
 * <li>{@code commit-loop <stateDirectory> <key>}: resumes from the stored cursor and, round after round, marks an id
 * delivered and commits a cursor naming that round, printing {@code committed <n>}, until it is killed.</li>
 * </ul>
 */
public final class StateStoreChild {

    private StateStoreChild() {
    }

    /** A JVM running this class on the test classpath. */
    static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), StateStoreChild.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /**
     * A JVM running this class whose output goes to {@code output}: unlike a pipe, whose unread part the JDK discards
     * when it kills the process, the file keeps every line the child wrote before it died.
     */
    static Process start(Path output, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), StateStoreChild.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    /** Runs the child to its end and returns its exit code and output. */
    static String[] run(String... args) throws Exception {
        Process child = start(args);
        String output = new String(child.getInputStream().readAllBytes());
        if (!child.waitFor(60, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            throw new IllegalStateException("the child did not end: " + output);
        }
        return new String[] { String.valueOf(child.exitValue()), output };
    }

    /** A long delta link (so that a kill can fall inside its write) that names its round at its end. */
    static String link(long round) {
        return "https://graph.example/v1.0/me/mailFolders/inbox/messages/delta?pad=" + "x".repeat(4000)
               + "&$deltatoken=" + round;
    }

    static long roundOf(Cursor cursor) {
        return Long.parseLong(cursor.deltaLink().substring(cursor.deltaLink().lastIndexOf('=') + 1));
    }

    public static void main(String[] args) {
        Path stateDirectory = Path.of(args[1]);
        String key = args[2];
        FileTriggerStore store = new FileTriggerStore(stateDirectory, key);
        try {
            ServiceHelper.startService(store);
        } catch (RuntimeException e) {
            System.out.println("refused: " + e.getMessage());
            System.exit(2);
        }
        if (args[0].equals("open")) {
            System.out.println("opened");
            ServiceHelper.stopService(store);
            System.exit(0);
        }
        TriggerState state = new TriggerState(key, store, store);
        Cursor cursor = state.cursor();
        long round = cursor == null ? 0 : roundOf(cursor) + 1;
        Instant base = Instant.parse("2026-03-01T00:00:00Z");
        while (true) {
            Instant received = base.plusSeconds(round);
            state.markDelivered("m" + round, received);
            state.commit(new Cursor(link(round), base, received));
            System.out.println("committed " + round);
            round++;
        }
    }
}

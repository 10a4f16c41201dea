package io.github.outlook365.camel.trigger;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.outlook365.camel.graph.GraphJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state files of the previous version of the component, which kept every trigger of a state directory in Camel's
 * {@code FileStateRepository} ({@code cursors.state}: lines {@code <key>=<value>}, the last line of a key wins) and
 * {@code FileIdempotentRepository} ({@code delivered.ids}: lines {@code <key>#<id>}). A trigger takes its part over
 * once, when its own directory does not exist yet, so an upgrade neither loses a cursor (which would set a new
 * baseline and skip the mail that arrived meanwhile) nor fires delivered mail again. The files are left in place for
 * the triggers that have not started since; {@value #MIGRATED} lists the keys already taken over, so deleting a
 * trigger's directory later starts it afresh instead of taking the old state over again.
 */
final class LegacyTriggerState {

    private static final Logger LOG = LoggerFactory.getLogger(LegacyTriggerState.class);

    static final String CURSORS = "cursors.state";
    static final String DELIVERED = "delivered.ids";
    static final String MIGRATED = "migrated-from-previous-version.keys";

    private LegacyTriggerState() {
    }

    /**
     * The cursor and documents the previous files hold for the trigger {@code key}, its delivered ids added to
     * {@code ids} (without horizon: the old files did not know one); null when they hold nothing for it, or it was
     * taken over before.
     */
    static Map<String, String> read(Path stateDirectory, String key, DeliveredIdTable ids) throws IOException {
        Path cursors = stateDirectory.resolve(CURSORS);
        Path delivered = stateDirectory.resolve(DELIVERED);
        if (!Files.exists(cursors) && !Files.exists(delivered) || migrated(stateDirectory).contains(key)) {
            return null;
        }
        Map<String, String> states = new LinkedHashMap<>();
        if (Files.exists(cursors)) {
            OwnerOnlyFiles.restrict(cursors);
            readStates(cursors, key, states);
        }
        if (Files.exists(delivered)) {
            OwnerOnlyFiles.restrict(delivered);
            String prefix = key + "#";
            // the old classes wrote with the platform's charset; ids are ASCII in practice
            try (BufferedReader lines = Files.newBufferedReader(delivered, Charset.defaultCharset())) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith(prefix) && line.length() > prefix.length()) {
                        ids.put(DeliveredIdTable.hash(line), DeliveredIdTable.NO_HORIZON);
                    }
                }
            }
        }
        return states.isEmpty() && ids.size() == 0 ? null : states;
    }

    private static void readStates(Path cursors, String key, Map<String, String> states) throws IOException {
        int unreadable = 0;
        try (BufferedReader lines = Files.newBufferedReader(cursors, Charset.defaultCharset())) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                int separator = line.indexOf('=');
                String stateKey = separator < 0 ? line : line.substring(0, separator);
                if (FileTriggerStore.partOf(stateKey, key) == null) {
                    continue;
                }
                String value = separator < 0 ? null : line.substring(separator + 1);
                if (value == null || !isJson(value)) {
                    // a line cut short when the old store was killed mid-write: the key's previous line stands
                    unreadable++;
                    continue;
                }
                states.put(stateKey, value);
            }
        }
        if (unreadable > 0) {
            LOG.warn("Skipped {} torn lines of trigger '{}' in {} (writes cut short by a crash); its last whole value is"
                     + " taken over", unreadable, key, cursors);
        }
    }

    private static boolean isJson(String value) {
        try {
            return GraphJson.MAPPER.readTree(value) != null;
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    private static List<String> migrated(Path stateDirectory) throws IOException {
        Path file = stateDirectory.resolve(MIGRATED);
        return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
    }

    /** Notes that {@code key} was taken over (after its directory is in place, so a crash never loses the state). */
    static void recordMigrated(Path stateDirectory, String key) throws IOException {
        try (FileChannel out = OwnerOnlyFiles.open(stateDirectory.resolve(MIGRATED), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer line = ByteBuffer.wrap((key + "\n").getBytes(StandardCharsets.UTF_8));
            while (line.hasRemaining()) {
                out.write(line);
            }
            out.force(true);
        }
    }
}

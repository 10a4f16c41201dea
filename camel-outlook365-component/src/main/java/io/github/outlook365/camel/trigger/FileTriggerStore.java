package io.github.outlook365.camel.trigger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.Outlook365Exception;
import io.github.outlook365.camel.graph.GraphJson;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The component's own store of one trigger's state, in a directory of its own under
 * {@code <stateDirectory>/triggers/}:
 *
 * <pre>
 * cursor.json               the cursor (key = the trigger's state key)
 * &lt;part&gt;.document.json      a further document (key = state key + "/" + part)
 * delivered.log             the delivered ids ({@link DeliveredIdLog}), key = state key + "#" + id
 * </pre>
 *
 * Cursor and documents are JSON files ({@code {"format":1,"key":...,"value":...}}) replaced atomically (temp file, fsync,
 * rename, fsync of the directory); a commit first forces the delivered ids appended before it to disk, so the cursor
 * never passes an id the disk does not hold. Delivered ids live in memory as 64-bit hashes with their horizons
 * ({@link DeliveredIdTable}): O(1) lookups and adds, about 16 to 32 bytes an id.
 * <p>
 * Starting the store takes the state directory's lock ({@link StateDirectoryLock}) and loads (or, once, migrates from
 * the files of the previous store) the trigger's state; a damaged cursor or document stops the start with an error
 * that names the file, never a silent new baseline. Stopping it releases the lock.
 * <p>
 * It is the store of one trigger: it takes the keys its trigger's {@link TriggerState} gives it and refuses others.
 */
public final class FileTriggerStore extends ServiceSupport
        implements StateRepository<String, String>, HorizonIdempotentRepository {

    private static final Logger LOG = LoggerFactory.getLogger(FileTriggerStore.class);

    static final String TRIGGERS = "triggers";
    static final String CURSOR_FILE = "cursor.json";
    static final String DOCUMENT_SUFFIX = ".document.json";
    static final String DELIVERED_FILE = "delivered.log";
    private static final Pattern PART = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int FORMAT = 1;
    private static final int READABLE_NAME = 64;

    private final Path stateDirectory;
    private final String key;
    private final String idPrefix;
    private final Path directory;
    private final Map<String, String> states = new HashMap<>();
    private final DeliveredIdTable ids = new DeliveredIdTable();
    private DeliveredIdLog log;
    private StateDirectoryLock lock;

    /**
     * @param stateDirectory the state directory (a real path: the lock is per directory, however it is spelled)
     * @param key            the trigger's state key
     */
    public FileTriggerStore(Path stateDirectory, String key) {
        this.stateDirectory = stateDirectory;
        this.key = key;
        this.idPrefix = key + "#";
        this.directory = directoryOf(stateDirectory, key);
    }

    /**
     * The trigger's directory: a readable form of its key and a hash of the whole key (keys hold '/' and may be long).
     */
    static Path directoryOf(Path stateDirectory, String key) {
        String readable = key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._@-]+", "_");
        if (readable.length() > READABLE_NAME) {
            readable = readable.substring(0, READABLE_NAME);
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return stateDirectory.resolve(TRIGGERS).resolve(readable + "-" + HexFormat.of().formatHex(digest, 0, 6));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public String key() {
        return key;
    }

    /** The trigger's own directory. */
    public Path directory() {
        return directory;
    }

    @Override
    protected void doStart() throws Exception {
        OwnerOnlyFiles.directory(stateDirectory);
        lock = StateDirectoryLock.acquire(stateDirectory);
        try {
            load();
        } catch (Exception e) {
            closeFiles();
            throw e;
        }
    }

    @Override
    protected void doStop() throws Exception {
        closeFiles();
    }

    // ---------------------------------------------------------------- cursor and documents

    @Override
    public synchronized String getState(String stateKey) {
        fileOf(stateKey);
        open();
        return states.get(stateKey);
    }

    /** Writes a cursor or document in one piece; durable, with every delivered id added before it, when it returns. */
    @Override
    public synchronized void setState(String stateKey, String value) {
        Path file = fileOf(stateKey);
        if (value == null) {
            throw new IllegalArgumentException("no value for the trigger state '" + stateKey + "'");
        }
        open().sync();
        try {
            OwnerOnlyFiles.replace(file, envelope(stateKey, value));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trigger state " + file + ": " + e.getMessage()
                                           + " (is the disk full?); the trigger resumes from its last commit", e);
        }
        states.put(stateKey, value);
    }

    // ---------------------------------------------------------------- delivered ids

    @Override
    public synchronized boolean add(String id, Instant horizon) {
        long hash = hashOf(id);
        int stored = DeliveredIdTable.horizon(horizon);
        int done = ids.put(hash, stored);
        if (done != DeliveredIdTable.UNCHANGED) {
            open().append(DeliveredIdLog.ADD, hash, stored);
        }
        return done == DeliveredIdTable.ADDED;
    }

    @Override
    public synchronized boolean contains(String id) {
        long hash = hashOf(id);
        open();
        return ids.contains(hash);
    }

    @Override
    public synchronized boolean remove(String id) {
        long hash = hashOf(id);
        DeliveredIdLog out = open();
        if (!ids.remove(hash)) {
            return false;
        }
        out.append(DeliveredIdLog.REMOVE, hash, 0);
        out.compactIfWorthIt(ids);
        return true;
    }

    /** Adds are confirmed when they return. */
    @Override
    public boolean confirm(String id) {
        return true;
    }

    @Override
    public synchronized void clear() {
        DeliveredIdLog out = open();
        ids.clear();
        out.append(DeliveredIdLog.CLEAR, 0, 0);
        out.compactIfWorthIt(ids);
    }

    @Override
    public synchronized long pruneBefore(String keyPrefix, Instant horizon) {
        if (horizon == null || !idPrefix.startsWith(keyPrefix)) {
            throw new IllegalArgumentException("the store of trigger '" + key + "' prunes its own ids (prefix '" + idPrefix
                                               + "') before a given instant, not '" + keyPrefix + "' before " + horizon);
        }
        DeliveredIdLog out = open();
        int forgotten = ids.pruneBelow(DeliveredIdTable.pruneThreshold(horizon),
                hash -> out.append(DeliveredIdLog.REMOVE, hash, 0));
        if (forgotten > 0) {
            out.compactIfWorthIt(ids);
        }
        return forgotten;
    }

    /** How many delivered ids the store holds. */
    public synchronized int deliveredCount() {
        return ids.size();
    }

    /** Heap bytes the delivered ids take. */
    public synchronized long deliveredBytes() {
        return ids.bytes();
    }

    // ---------------------------------------------------------------- files

    private DeliveredIdLog open() {
        if (log == null) {
            throw new IllegalStateException("the trigger state store of '" + key + "' is stopped (its trigger stopped)");
        }
        return log;
    }

    private long hashOf(String id) {
        if (id == null || !id.startsWith(idPrefix)) {
            throw new IllegalArgumentException("the store of trigger '" + key + "' keeps ids that start with '" + idPrefix
                                               + "', not '" + id + "'");
        }
        return DeliveredIdTable.hash(id);
    }

    private Path fileOf(String stateKey) {
        String part = partOf(stateKey, key);
        if (part == null) {
            throw new IllegalArgumentException("the store of trigger '" + key + "' keeps its cursor '" + key + "' and its"
                                               + " documents '" + key + "/<part>' (part: 1 to 64 letters, digits, - or"
                                               + " _), not '" + stateKey + "'");
        }
        return directory.resolve(part.isEmpty() ? CURSOR_FILE : part + DOCUMENT_SUFFIX);
    }

    /** "" when {@code stateKey} is the cursor of trigger {@code key}, the part's name for a document of it, else null. */
    static String partOf(String stateKey, String key) {
        if (key.equals(stateKey)) {
            return "";
        }
        if (stateKey != null && stateKey.startsWith(key + "/")) {
            String part = stateKey.substring(key.length() + 1);
            return PART.matcher(part).matches() ? part : null;
        }
        return null;
    }

    private void load() throws IOException {
        if (!Files.isDirectory(directory)) {
            create();
        }
        OwnerOnlyFiles.directory(directory);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    // a replace cut short by a crash: the file it was to replace is whole
                    Files.delete(file);
                } else if (name.equals(CURSOR_FILE)) {
                    states.put(key, read(file, key));
                } else if (name.endsWith(DOCUMENT_SUFFIX)) {
                    String stateKey = key + "/" + name.substring(0, name.length() - DOCUMENT_SUFFIX.length());
                    states.put(stateKey, read(file, stateKey));
                }
            }
        }
        log = DeliveredIdLog.open(directory.resolve(DELIVERED_FILE), ids);
        LOG.debug("Trigger state of '{}' loaded from {}: {} ({} delivered ids)", key, directory,
                states.containsKey(key) ? "a cursor" : "no cursor", ids.size());
    }

    /** A new trigger's directory, or, once after an upgrade, the trigger's state taken over from the previous store. */
    private void create() throws IOException {
        Path triggers = OwnerOnlyFiles.directory(directory.getParent());
        DeliveredIdTable legacyIds = new DeliveredIdTable();
        Map<String, String> legacyStates = LegacyTriggerState.read(stateDirectory, key, legacyIds);
        if (legacyStates == null) {
            OwnerOnlyFiles.directory(directory);
            OwnerOnlyFiles.syncDirectory(triggers);
            return;
        }
        // built aside and renamed into place, so a crash during the migration leaves nothing half migrated
        Path building = directory.resolveSibling(directory.getFileName() + ".migrating");
        deleteTree(building);
        OwnerOnlyFiles.directory(building);
        for (Map.Entry<String, String> state : legacyStates.entrySet()) {
            OwnerOnlyFiles.replace(building.resolve(fileOf(state.getKey()).getFileName()),
                    envelope(state.getKey(), state.getValue()));
        }
        DeliveredIdLog.write(building.resolve(DELIVERED_FILE), legacyIds);
        Files.move(building, directory, StandardCopyOption.ATOMIC_MOVE);
        OwnerOnlyFiles.syncDirectory(triggers);
        LegacyTriggerState.recordMigrated(stateDirectory, key);
        LOG.info("Took over the state of trigger '{}' from the files of the previous version in {} ({}, {} delivered ids)",
                key, stateDirectory, legacyStates.containsKey(key) ? "its cursor" : "no cursor", legacyIds.size());
    }

    private String read(Path file, String stateKey) throws IOException {
        JsonNode stored;
        try {
            stored = GraphJson.MAPPER.readTree(Files.readAllBytes(file));
        } catch (JsonProcessingException e) {
            throw damaged(file, "it is not JSON: " + e.getOriginalMessage());
        }
        if (stored == null || !stored.path("key").isTextual() || !stored.path("value").isTextual()) {
            throw damaged(file, "it is JSON, but not a trigger state written by this component");
        }
        if (!stateKey.equals(stored.get("key").asText())) {
            throw damaged(file, "it holds the state of '" + stored.get("key").asText() + "', not of '" + stateKey
                                + "' (was it copied from another trigger's directory?)");
        }
        return stored.get("value").asText();
    }

    private static Outlook365Exception damaged(Path file, String why) {
        return new Outlook365Exception("the trigger state file " + file + " is damaged (" + why + "). The trigger does not"
                                       + " start from a guess: restore the file from a backup, or delete it to start"
                                       + " this trigger afresh from a new baseline (mail that arrived while it was"
                                       + " stopped then does not fire)");
    }

    private static byte[] envelope(String stateKey, String value) {
        ObjectNode node = GraphJson.MAPPER.createObjectNode();
        node.put("format", FORMAT).put("key", stateKey).put("value", value);
        try {
            return GraphJson.MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private synchronized void closeFiles() {
        try {
            if (log != null) {
                log.sync();
                log.close();
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("Cannot close the delivered ids of trigger '{}': {}", key, e.getMessage());
        } finally {
            log = null;
            states.clear();
            ids.clear();
            if (lock != null) {
                lock.release();
                lock = null;
            }
        }
    }
}

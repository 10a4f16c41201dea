package io.github.outlook365.camel.trigger;

import java.io.File;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The default, file-backed stores of trigger state, one per directory, shared by every trigger of the component (two
 * repository objects on one file would overwrite each other).
 */
public final class TriggerStateStores extends ServiceSupport {

    /** Ids remembered per directory; older ones fall out first. */
    static final int DEDUP_CACHE_SIZE = 100_000;
    private static final long MAX_FILE_SIZE = 64L * 1024 * 1024;

    private final Map<String, StateRepository<String, String>> cursors = new ConcurrentHashMap<>();
    private final Map<String, IdempotentRepository> delivered = new ConcurrentHashMap<>();

    public static String defaultDirectory() {
        return System.getProperty("user.home") + File.separator + ".camel-outlook365";
    }

    public synchronized StateRepository<String, String> cursors(String directory) {
        return cursors.computeIfAbsent(canonical(directory), dir -> {
            FileStateRepository repo = FileStateRepository.fileStateRepository(new File(dir, "cursors.state"));
            repo.setMaxFileStoreSize(MAX_FILE_SIZE);
            ServiceHelper.startService(repo);
            return repo;
        });
    }

    public synchronized IdempotentRepository delivered(String directory) {
        return delivered.computeIfAbsent(canonical(directory), dir -> {
            IdempotentRepository repo = FileIdempotentRepository.fileIdempotentRepository(
                    new File(dir, "delivered.ids"), DEDUP_CACHE_SIZE, MAX_FILE_SIZE);
            ServiceHelper.startService(repo);
            return repo;
        });
    }

    private static String canonical(String directory) {
        File dir = new File(directory).getAbsoluteFile();
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new IllegalArgumentException("option stateDirectory='" + directory + "' cannot be created: give a"
                                               + " writable directory where triggers keep their cursors");
        }
        return dir.getPath();
    }

    @Override
    protected synchronized void doStop() {
        ServiceHelper.stopService(cursors.values(), delivered.values());
        cursors.clear();
        delivered.clear();
    }
}

package io.github.outlook365.camel.trigger;

import java.io.File;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import io.github.outlook365.camel.Outlook365Exception;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Service;
import org.apache.camel.StatefulService;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the triggers of a component keep their state: by default a {@link FileTriggerStore} per trigger under the state
 * directory; a user's {@code stateRepository} / {@code idempotentRepository} instead where given; a
 * {@link JdbcTriggerStore} per trigger in PostgreSQL, shared by the nodes of a cluster, where {@code stateDataSource} is
 * given. The component starts
 * a user's repository that is not started yet and stops it again when the component stops (as camel-kafka does with its
 * offset repository), so a file-based repository loads what it stored before the trigger reads its cursor.
 * <p>
 * One trigger at a time uses a state (a state key in a directory or repository) in a JVM: two would fire each other's
 * mail and move each other's cursor, so the second is refused with an error naming the key.
 */
public final class TriggerStateStores extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerStateStores.class);

    // the trigger states in use in this JVM, whichever component opened them
    private static final Set<Claim> IN_USE = ConcurrentHashMap.newKeySet();

    private final Map<Claim, TriggerState> open = new ConcurrentHashMap<>();
    // the users' repositories this component started, and so stops (guarded by this)
    private final Set<Service> started = Collections.newSetFromMap(new IdentityHashMap<>());

    public static String defaultDirectory() {
        return System.getProperty("user.home") + File.separator + ".camel-outlook365";
    }

    /**
     * Opens the state of the trigger {@code key}; the trigger closes it when it stops.
     *
     * @param directory            the stateDirectory option (null for the default)
     * @param stateRepository      the user's stateRepository, or null for the component's store
     * @param idempotentRepository the user's idempotentRepository, or null for the component's store
     */
    public TriggerState open(String key, String directory, StateRepository<String, String> stateRepository,
            IdempotentRepository idempotentRepository, CamelContext context) {
        return open(key, directory, stateRepository, idempotentRepository, null, context);
    }

    /**
     * Opens the state of the trigger {@code key}; the trigger closes it when it stops.
     *
     * @param directory            the stateDirectory option (null for the default)
     * @param stateRepository      the user's stateRepository, or null for the component's store
     * @param idempotentRepository the user's idempotentRepository, or null for the component's store
     * @param dataSource           the stateDataSource option: the state shared by a cluster in PostgreSQL, or null
     */
    // not synchronized: the triggers of a route on many mailboxes open their stores (files and fsyncs) side by side; the
    // claim keeps two triggers off one state, and start() guards the users' repositories
    public TriggerState open(String key, String directory, StateRepository<String, String> stateRepository,
            IdempotentRepository idempotentRepository, DataSource dataSource, CamelContext context) {
        if (dataSource != null && (stateRepository != null || idempotentRepository != null)) {
            throw new IllegalArgumentException("option stateDataSource keeps the cursor and the delivered ids of trigger '"
                                               + key + "' in PostgreSQL: give either stateDataSource or"
                                               + " stateRepository/idempotentRepository, not both");
        }
        Path stateDirectory = dataSource != null || stateRepository != null && idempotentRepository != null ? null
                : stateDirectory(directory);
        Object store = dataSource != null ? new Identity(dataSource)
                : stateRepository != null ? new Identity(stateRepository) : stateDirectory;
        Claim claim = new Claim(store, key);
        if (!IN_USE.add(claim)) {
            throw new Outlook365Exception("two triggers use the trigger state '" + key + "' (in " + claim.describe()
                                          + ") at the same time: they would fire each other's mail and move each"
                                          + " other's cursor. Give one of them its own stateKey option (each then fires"
                                          + " every mail itself), or remove the duplicate route");
        }
        Service own = null;
        try {
            StateRepository<String, String> cursors;
            IdempotentRepository delivered;
            TriggerLeadership leadership = null;
            if (dataSource != null) {
                JdbcTriggerStore shared = new JdbcTriggerStore(dataSource, key, JdbcTriggerStore.localNode());
                own = shared;
                ServiceHelper.startService(shared);
                cursors = shared;
                delivered = shared;
                leadership = shared;
            } else {
                FileTriggerStore files = null;
                if (stateDirectory != null) {
                    files = new FileTriggerStore(stateDirectory, key);
                    own = files;
                    ServiceHelper.startService(files);
                }
                cursors = stateRepository != null ? start(stateRepository, context) : files;
                delivered = idempotentRepository != null ? start(idempotentRepository, context) : files;
            }
            Service ownStore = own;
            TriggerState state = new TriggerState(key, cursors, delivered, leadership, () -> release(claim, ownStore));
            open.put(claim, state);
            return state;
        } catch (RuntimeException e) {
            ServiceHelper.stopService(own);
            IN_USE.remove(claim);
            throw e;
        }
    }

    private void release(Claim claim, Service files) {
        open.remove(claim);
        try {
            ServiceHelper.stopService(files);
        } finally {
            IN_USE.remove(claim);
        }
    }

    private synchronized <T extends Service> T start(T repository, CamelContext context) {
        CamelContextAware.trySetCamelContext(repository, context);
        // a repository someone else started (a bean the application manages) is theirs to stop
        if (!(repository instanceof StatefulService stateful) || !stateful.isStarted()) {
            if (started.add(repository)) {
                LOG.debug("Starting the trigger state repository {}", repository);
                ServiceHelper.startService(repository);
            }
        }
        return repository;
    }

    private static Path stateDirectory(String directory) {
        String given = directory != null && !directory.isBlank() ? directory : defaultDirectory();
        try {
            return OwnerOnlyFiles.directory(Path.of(given).toAbsolutePath().normalize()).toRealPath();
        } catch (IOException | InvalidPathException e) {
            throw new IllegalArgumentException("option stateDirectory='" + given + "' cannot be created (" + e.getMessage()
                                               + "): give a writable directory of its own, where triggers keep their"
                                               + " cursors", e);
        }
    }

    @Override
    protected synchronized void doStop() {
        // triggers close their state when they stop; what is still open (a trigger that failed to stop) closes here
        new ArrayList<>(open.values()).forEach(TriggerState::close);
        List<Service> repositories = new ArrayList<>(started);
        started.clear();
        ServiceHelper.stopService(repositories);
    }

    /** A state in use: a trigger's key in a state directory (a real path) or in a user's repository. */
    private record Claim(Object store, String key) {
        String describe() {
            if (store instanceof Identity identity) {
                return identity.repository() instanceof DataSource ? "the database of stateDataSource"
                        : identity.repository().toString();
            }
            return "stateDirectory " + store;
        }
    }

    /** A user's repository, equal only to itself (whatever its equals says). */
    private record Identity(Object repository) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Identity identity && identity.repository == repository;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(repository);
        }
    }
}

package io.github.outlook365.camel.trigger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

import javax.sql.DataSource;

import io.github.outlook365.camel.Outlook365Exception;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One trigger's state in PostgreSQL, shared by the nodes of a cluster (option {@code stateDataSource}): the same
 * cursor, documents and delivered ids as {@link FileTriggerStore}, in one table set for all triggers (the DDL is
 * {@link #SCHEMA}, created on first use under an advisory lock, and in docs/cluster.md).
 * <p>
 * <b>Fencing.</b> Starting the store takes the trigger over: it raises the trigger's epoch in
 * {@code outlook365_trigger_leader} and names this node. Every write then runs in a transaction that first reads that
 * row {@code FOR SHARE} and goes on only while the epoch is still this node's: a node that lost the lead without
 * noticing (paused past its lease, cut off) has its writes refused with a {@link TriggerFencedException}, and the new
 * leader's take-over waits for a write in progress, so it reads everything committed before it. Which node runs the
 * trigger is the cluster service's decision (a {@code master:} endpoint); the epoch only keeps a deposed one from
 * committing over the new leader.
 * <p>
 * The store borrows a connection from the DataSource for each operation: give it a pooled one.
 */
public final class JdbcTriggerStore extends ServiceSupport
        implements StateRepository<String, String>, HorizonIdempotentRepository, TriggerLeadership {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcTriggerStore.class);

    /** The tables, as created on first use (PostgreSQL). */
    public static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS outlook365_trigger_leader (
                trigger_key TEXT        PRIMARY KEY,
                epoch       BIGINT      NOT NULL,
                node        TEXT        NOT NULL,
                since       TIMESTAMPTZ NOT NULL
            );
            CREATE TABLE IF NOT EXISTS outlook365_trigger_state (
                trigger_key TEXT        NOT NULL,
                part        TEXT        NOT NULL,
                value       TEXT        NOT NULL,
                epoch       BIGINT      NOT NULL,
                updated_at  TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (trigger_key, part)
            );
            CREATE TABLE IF NOT EXISTS outlook365_trigger_delivered (
                trigger_key TEXT        NOT NULL,
                item_id     TEXT        NOT NULL,
                horizon     TIMESTAMPTZ,
                PRIMARY KEY (trigger_key, item_id)
            );
            CREATE INDEX IF NOT EXISTS outlook365_trigger_delivered_horizon
                ON outlook365_trigger_delivered (trigger_key, horizon);
            """;

    // the DataSources whose schema this JVM made sure of
    private static final Map<DataSource, Boolean> SCHEMA_READY = Collections.synchronizedMap(new WeakHashMap<>());

    private final DataSource dataSource;
    private final String key;
    private final String idPrefix;
    private final String node;

    private volatile long epoch;
    private volatile long leaderEpoch;
    private volatile String leaderNode;
    private volatile boolean fenced;
    private volatile long verifiedAt;

    /**
     * @param dataSource the stateDataSource
     * @param key        the trigger's state key
     * @param node       this node, as the leader table names it
     */
    public JdbcTriggerStore(DataSource dataSource, String key, String node) {
        this.dataSource = dataSource;
        this.key = key;
        this.idPrefix = key + "#";
        this.node = node;
    }

    /** This JVM, as a node of a cluster: host name and process id. */
    public static String localNode() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + "/" + ProcessHandle.current().pid();
    }

    public String key() {
        return key;
    }

    @Override
    protected void doStart() {
        ensureSchema(dataSource);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement take = c.prepareStatement(
                    "INSERT INTO outlook365_trigger_leader (trigger_key, epoch, node, since) VALUES (?, 1, ?, now())"
                                                              + " ON CONFLICT (trigger_key) DO UPDATE SET epoch ="
                                                              + " outlook365_trigger_leader.epoch + 1, node = excluded.node,"
                                                              + " since = excluded.since RETURNING epoch")) {
                take.setString(1, key);
                take.setString(2, node);
                try (ResultSet rs = take.executeQuery()) {
                    rs.next();
                    epoch = rs.getLong(1);
                }
            }
        } catch (SQLException e) {
            throw unreachable("take over the trigger", e);
        }
        leaderEpoch = epoch;
        leaderNode = node;
        fenced = false;
        verifiedAt = System.nanoTime();
        LOG.info("This node ({}) leads the trigger state '{}' with epoch {}", node, key, epoch);
    }

    @Override
    protected void doStop() {
        // the leader row stays: the next leader raises its epoch
    }

    // ---------------------------------------------------------------- leadership

    @Override
    public long epoch() {
        return epoch;
    }

    @Override
    public String node() {
        return node;
    }

    @Override
    public long leaderEpoch() {
        return leaderEpoch;
    }

    @Override
    public String leaderNode() {
        return leaderNode;
    }

    @Override
    public boolean fenced() {
        return fenced;
    }

    @Override
    public void verify(Duration maxAge) {
        if (fenced) {
            throw fencedException();
        }
        if (System.nanoTime() - verifiedAt < maxAge.toNanos()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            checkEpoch(c, false);
        } catch (SQLException e) {
            throw unreachable("check its leadership", e);
        }
    }

    // ---------------------------------------------------------------- cursor and documents

    @Override
    public String getState(String stateKey) {
        String part = partOf(stateKey);
        return read("read the trigger state", c -> {
            try (PreparedStatement get = c.prepareStatement(
                    "SELECT value FROM outlook365_trigger_state WHERE trigger_key = ? AND part = ?")) {
                get.setString(1, key);
                get.setString(2, part);
                try (ResultSet rs = get.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    /** Writes the cursor or a document, compare-and-set on this node's epoch. */
    @Override
    public void setState(String stateKey, String value) {
        String part = partOf(stateKey);
        if (value == null) {
            throw new IllegalArgumentException("no value for the trigger state '" + stateKey + "'");
        }
        fencedWrite("commit the trigger state", c -> {
            try (PreparedStatement put = c.prepareStatement(
                    "INSERT INTO outlook365_trigger_state (trigger_key, part, value, epoch, updated_at)"
                                                            + " VALUES (?, ?, ?, ?, now()) ON CONFLICT (trigger_key, part)"
                                                            + " DO UPDATE SET value = excluded.value, epoch ="
                                                            + " excluded.epoch, updated_at = excluded.updated_at")) {
                put.setString(1, key);
                put.setString(2, part);
                put.setString(3, value);
                put.setLong(4, epoch);
                put.executeUpdate();
            }
            return null;
        });
    }

    // ---------------------------------------------------------------- delivered ids

    @Override
    public boolean add(String id, Instant horizon) {
        String item = itemOf(id);
        return fencedWrite("remember a delivered id", c -> {
            try (PreparedStatement add = c.prepareStatement(
                    "INSERT INTO outlook365_trigger_delivered AS d (trigger_key, item_id, horizon) VALUES (?, ?, ?)"
                                                            + " ON CONFLICT (trigger_key, item_id) DO UPDATE SET horizon ="
                                                            + " CASE WHEN d.horizon IS NULL OR excluded.horizon IS NULL"
                                                            + " THEN NULL ELSE GREATEST(d.horizon, excluded.horizon) END"
                                                            + " RETURNING (xmax = 0)")) {
                add.setString(1, key);
                add.setString(2, item);
                add.setTimestamp(3, horizon == null ? null : Timestamp.from(horizon));
                try (ResultSet rs = add.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        });
    }

    @Override
    public boolean contains(String id) {
        String item = itemOf(id);
        return read("read the delivered ids", c -> {
            try (PreparedStatement get = c.prepareStatement(
                    "SELECT 1 FROM outlook365_trigger_delivered WHERE trigger_key = ? AND item_id = ?")) {
                get.setString(1, key);
                get.setString(2, item);
                try (ResultSet rs = get.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public boolean remove(String id) {
        String item = itemOf(id);
        return fencedWrite("forget a delivered id", c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM outlook365_trigger_delivered WHERE trigger_key = ? AND item_id = ?")) {
                delete.setString(1, key);
                delete.setString(2, item);
                return delete.executeUpdate() > 0;
            }
        });
    }

    /** Adds are confirmed when they return. */
    @Override
    public boolean confirm(String id) {
        return true;
    }

    @Override
    public void clear() {
        fencedWrite("forget the delivered ids", c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM outlook365_trigger_delivered WHERE trigger_key = ?")) {
                delete.setString(1, key);
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public long pruneBefore(String keyPrefix, Instant horizon) {
        if (horizon == null || !idPrefix.startsWith(keyPrefix)) {
            throw new IllegalArgumentException("the store of trigger '" + key + "' prunes its own ids (prefix '" + idPrefix
                                               + "') before a given instant, not '" + keyPrefix + "' before " + horizon);
        }
        return fencedWrite("forget the delivered ids the cursor passed", c -> {
            try (PreparedStatement delete = c.prepareStatement(
                    "DELETE FROM outlook365_trigger_delivered WHERE trigger_key = ? AND horizon < ?")) {
                delete.setString(1, key);
                delete.setTimestamp(2, Timestamp.from(horizon));
                return (long) delete.executeUpdate();
            }
        });
    }

    /** How many delivered ids the store holds for its trigger. */
    public long deliveredCount() {
        return read("count the delivered ids", c -> {
            try (PreparedStatement count = c.prepareStatement(
                    "SELECT count(*) FROM outlook365_trigger_delivered WHERE trigger_key = ?")) {
                count.setString(1, key);
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    // ---------------------------------------------------------------- SQL

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T read(String what, Work<T> work) {
        requireStarted();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(true);
            return work.run(c);
        } catch (SQLException e) {
            throw unreachable(what, e);
        }
    }

    /**
     * Runs a write in a transaction that holds the trigger's leader row (FOR SHARE, so a take-over waits for it) and
     * goes on only while the row's epoch is this node's.
     */
    private <T> T fencedWrite(String what, Work<T> work) {
        requireStarted();
        if (fenced) {
            throw fencedException();
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                checkEpoch(c, true);
                T result = work.run(c);
                c.commit();
                verifiedAt = System.nanoTime();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw unreachable(what, e);
        }
    }

    private void checkEpoch(Connection c, boolean lock) throws SQLException {
        try (PreparedStatement get = c.prepareStatement(
                "SELECT epoch, node FROM outlook365_trigger_leader WHERE trigger_key = ?" + (lock ? " FOR SHARE" : ""))) {
            get.setString(1, key);
            try (ResultSet rs = get.executeQuery()) {
                long current = rs.next() ? rs.getLong(1) : Long.MAX_VALUE;
                String by = current == Long.MAX_VALUE ? "someone who deleted its leader row" : rs.getString(2);
                if (current != epoch) {
                    leaderEpoch = current;
                    leaderNode = by;
                    fenced = true;
                    throw fencedException();
                }
            }
        }
        verifiedAt = System.nanoTime();
    }

    private TriggerFencedException fencedException() {
        return new TriggerFencedException(key, epoch, leaderEpoch, leaderNode);
    }

    private void requireStarted() {
        if (!isStarted() && !isStarting()) {
            throw new IllegalStateException("the trigger state store of '" + key + "' is stopped (its trigger stopped)");
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.debug("Rollback failed: {}", e.getMessage());
        }
    }

    private Outlook365Exception unreachable(String what, SQLException e) {
        return new Outlook365Exception("cannot " + what + " of trigger '" + key + "' in the database of option"
                                       + " stateDataSource (" + e.getMessage() + ", SQLState " + e.getSQLState()
                                       + "): check that PostgreSQL is reachable and the DataSource's user may use the"
                                       + " outlook365_trigger_* tables; the trigger resumes from its last commit", e);
    }

    private String partOf(String stateKey) {
        String part = FileTriggerStore.partOf(stateKey, key);
        if (part == null) {
            throw new IllegalArgumentException("the store of trigger '" + key + "' keeps its cursor '" + key + "' and its"
                                               + " documents '" + key + "/<part>' (part: 1 to 64 letters, digits, - or"
                                               + " _), not '" + stateKey + "'");
        }
        return part;
    }

    private String itemOf(String id) {
        if (id == null || !id.startsWith(idPrefix)) {
            throw new IllegalArgumentException("the store of trigger '" + key + "' keeps ids that start with '" + idPrefix
                                               + "', not '" + id + "'");
        }
        return id.substring(idPrefix.length());
    }

    /** Creates the tables once per DataSource and JVM, under an advisory lock so that nodes starting together agree. */
    static void ensureSchema(DataSource dataSource) {
        if (SCHEMA_READY.containsKey(dataSource)) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // tables an administrator created are used as they are: the user may have no CREATE privilege
                try (ResultSet rs = s.executeQuery("SELECT to_regclass('outlook365_trigger_leader') IS NOT NULL"
                                                   + " AND to_regclass('outlook365_trigger_state') IS NOT NULL"
                                                   + " AND to_regclass('outlook365_trigger_delivered') IS NOT NULL")) {
                    if (rs.next() && rs.getBoolean(1)) {
                        c.commit();
                        SCHEMA_READY.put(dataSource, Boolean.TRUE);
                        return;
                    }
                }
                s.execute("SELECT pg_advisory_xact_lock(hashtext('outlook365_trigger_schema'))");
                s.execute(SCHEMA);
                c.commit();
            } catch (SQLException e) {
                rollbackQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new Outlook365Exception("cannot create the trigger state tables in the database of option"
                                          + " stateDataSource (" + e.getMessage() + ", SQLState " + e.getSQLState()
                                          + "): check that PostgreSQL is reachable, or let an administrator create them"
                                          + " with the DDL in docs/cluster.md and grant the DataSource's user"
                                          + " SELECT, INSERT, UPDATE, DELETE on them", e);
        }
        SCHEMA_READY.put(dataSource, Boolean.TRUE);
    }

    @Override
    public String toString() {
        return "JdbcTriggerStore[" + key + "]";
    }
}

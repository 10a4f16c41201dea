package io.github.outlook365.example.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.outlook365.simulator.LocalPostgres;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.SimMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster example failing over for real: PostgreSQL (Debian's, started here on a free port), the simulator with
 * mail flowing, two node JVMs. {@code kill -9} of the leader mid-stream: the other node takes over, every mail fires,
 * at most the one in flight twice. Then the new leader is frozen ({@code kill -STOP}) with an exchange in flight until
 * another node leads, and thawed ({@code kill -CONT}): it commits nothing stale and its in-flight write is refused.
 */
class FailoverTest {

    private static final String TENANT = "contoso.onmicrosoft.com";
    private static final String CLIENT_ID = "11111111-2222-3333-4444-555555555555";
    private static final String SECRET = "cluster-test-secret";
    private static final String MAILBOX = "ops@contoso.onmicrosoft.com";

    @TempDir
    Path work;

    private LocalPostgres postgres;
    private PGSimpleDataSource dataSource;
    private Outlook365Simulator simulator;
    private NodeProcess.Cluster cluster;
    private final List<NodeProcess> nodes = new ArrayList<>();
    private final List<String> delivered = new CopyOnWriteArrayList<>();
    private final AtomicBoolean flowing = new AtomicBoolean();
    private Thread sender;

    @BeforeEach
    void setUp() throws Exception {
        postgres = LocalPostgres.start();
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl());
        simulator = Outlook365Simulator.start();
        simulator.registerApp(TENANT, CLIENT_ID, SECRET);
        simulator.createMailbox(TENANT, MAILBOX, "Ops");
        Path trust = simulator.writeTrustStore(work.resolve("trust.p12"), "changeit".toCharArray());
        cluster = new NodeProcess.Cluster(postgres.jdbcUrl(), Files.createDirectories(work.resolve("cluster")),
                simulator.baseUrl(), trust, Map.of("OUTLOOK365_TENANT_ID", TENANT, "OUTLOOK365_CLIENT_ID", CLIENT_ID,
                        "OUTLOOK365_CLIENT_SECRET", SECRET, "OUTLOOK365_ACCOUNT", MAILBOX),
                900, 300);
    }

    @AfterEach
    void tearDown() throws Exception {
        // the nodes' consoles, for a failure (Surefire keeps them in the test's output file)
        System.out.println(logs());
        try {
            List<String> missing = new ArrayList<>(delivered);
            missing.removeAll(written().keySet());
            System.out.println("FAILOVER mails not written: " + missing);
        } catch (SQLException e) {
            System.out.println("FAILOVER sink not readable: " + e.getMessage());
        }
        flowing.set(false);
        if (sender != null) {
            sender.join(10_000);
        }
        nodes.forEach(NodeProcess::close);
        if (simulator != null) {
            simulator.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    private NodeProcess node(String name) throws Exception {
        NodeProcess node = NodeProcess.start(name, cluster, null);
        nodes.add(node);
        return node;
    }

    /**
     * Mail arrives every second while {@link #flowing} is set. The route works 900 ms on each, so that the test sees a
     * node begin an exchange (its log line) in time to freeze it in the middle, even on a loaded machine.
     */
    private void startMailFlow() {
        flowing.set(true);
        AtomicInteger n = new AtomicInteger(delivered.size());
        sender = new Thread(() -> {
            while (flowing.get()) {
                String subject = String.format("mail-%03d", n.incrementAndGet());
                simulator.deliver(MAILBOX, SimMail.from("carol@fabrikam.example", "Carol").to(MAILBOX).subject(subject)
                        .textBody("hi"));
                delivered.add(subject);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "mail-flow");
        sender.start();
    }

    private void stopMailFlow() throws InterruptedException {
        flowing.set(false);
        sender.join(10_000);
    }

    /** The trigger's leader row: node (host/pid) and epoch, or null before anyone took it. */
    private Object[] leaderRow() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT node, epoch FROM outlook365_trigger_leader WHERE trigger_key = ?")) {
            s.setString(1, ClusterNode.STATE_KEY);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? new Object[] { rs.getString(1), rs.getLong(2) } : null;
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {
                return null; // no table yet
            }
            throw e;
        }
    }

    private long leaderEpoch() throws SQLException {
        Object[] row = leaderRow();
        return row == null ? 0 : (Long) row[1];
    }

    private NodeProcess leader() throws SQLException {
        Object[] row = leaderRow();
        if (row == null) {
            return null;
        }
        return nodes.stream().filter(n -> ((String) row[0]).endsWith("/" + n.pid()) && n.isAlive()).findFirst()
                .orElse(null);
    }

    /** The sink: how often each subject was written. */
    private Map<String, Integer> written() throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT subject, count(*) FROM cluster_example_received GROUP BY subject");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getInt(2));
            }
        }
        return counts;
    }

    private long staleStateRows(long epoch) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT count(*) FROM outlook365_trigger_state WHERE trigger_key = ? AND epoch <> ?")) {
            s.setString(1, ClusterNode.STATE_KEY);
            s.setLong(2, epoch);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private String logs() {
        StringBuilder all = new StringBuilder();
        for (NodeProcess n : nodes) {
            List<String> lines = n.lines();
            all.append("\n---- ").append(n.name()).append(" (pid ").append(n.pid()).append(")\n")
                    .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 150), lines.size())));
        }
        return all.toString();
    }

    @Test
    void theOtherNodeTakesOverAfterKillAndAFrozenLeaderCommitsNothingStale() throws Exception {
        // given two nodes, one leading the trigger, and mail flowing
        node("node-a");
        node("node-b");
        await().atMost(Duration.ofSeconds(90)).until(() -> leader() != null);
        NodeProcess first = leader();
        // (mail that arrives before the trigger's first round is the baseline, and does not fire)
        await().atMost(Duration.ofSeconds(60)).until(() -> !first.linesContaining("outlook365:mail/received watches")
                .isEmpty());
        startMailFlow();
        await().atMost(Duration.ofSeconds(60)).failFast(() -> !first.isAlive())
                .until(() -> first.linesContaining(" fired 'mail-").size() >= 3);

        // when the leader is killed (kill -9) in the middle of the stream (most likely inside an exchange)
        long epochBefore = leaderEpoch();
        long killedAt = System.nanoTime();
        first.kill();
        NodeProcess second = nodes.stream().filter(n -> n != first).findFirst().orElseThrow();
        int firedBefore = second.linesContaining(" fired 'mail-").size();

        // then the other node takes the trigger over and fires
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> leaderEpoch() > epochBefore);
        long tookOverMillis = (System.nanoTime() - killedAt) / 1_000_000;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> second.linesContaining(" fired 'mail-").size() > firedBefore);
        long firedAgainMillis = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.printf("FAILOVER kill -9: the other node took the trigger over after %d ms and fired its first mail"
                          + " after %d ms%n", tookOverMillis, firedAgainMillis);
        assertTrue(firedAgainMillis < 60_000, "took over within a minute: " + firedAgainMillis + " ms");
        assertEquals(second, leader());

        // given a third node (the first one restarted) as the follower
        NodeProcess third = node("node-c");
        await().atMost(Duration.ofSeconds(90)).failFast(() -> !third.isAlive())
                .until(() -> !third.linesContaining(") started in").isEmpty());

        // when the leader freezes (kill -STOP) with an exchange in flight, past its lease
        int seen = second.linesContaining(" fired 'mail-").size();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> second.linesContaining(" fired 'mail-").size() > seen);
        second.pause();
        long pausedAt = System.nanoTime();
        List<String> fired = second.linesContaining(" fired 'mail-");
        String inFlight = fired.get(fired.size() - 1).replaceAll(".* fired '([^']+)'.*", "$1");
        // A FileLockClusterService lock is an OS file lock, which a frozen process keeps: ZooKeeper, Consul or a
        // Kubernetes lease would expire; here the lease runs out by its lock file going away
        Files.deleteIfExists(cluster.root().resolve(ClusterNode.NAMESPACE));
        long epochOfFrozen = leaderEpoch();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> leaderEpoch() > epochOfFrozen);
        long frozenTakeOverMillis = (System.nanoTime() - pausedAt) / 1_000_000;
        await().atMost(Duration.ofSeconds(60)).until(() -> written().containsKey(inFlight));
        System.out.printf("FAILOVER kill -STOP: node-c took the trigger over %d ms after the leader froze%n",
                frozenTakeOverMillis);
        stopMailFlow();

        // and thaws (kill -CONT)
        second.resume();

        // then its in-flight write is refused, and its trigger stops firing, committing nothing
        await().atMost(Duration.ofSeconds(60)).until(() -> !second.linesContaining("Refused a stale write of '"
                                                                                   + inFlight + "'").isEmpty());
        await().atMost(Duration.ofSeconds(60)).until(() -> !second.linesContaining("stops firing").isEmpty()
                                                           || !second.linesContaining("lost").isEmpty());

        // and every mail fired, at most the one in flight at the kill twice
        await().atMost(Duration.ofSeconds(90)).alias("every mail written")
                .until(() -> written().keySet().containsAll(delivered));
        Map<String, Integer> written = written();
        List<String> twice = written.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        assertTrue(twice.size() <= 1, "at most the mail in flight at the kill fired twice: " + twice + logs());
        assertEquals(1, written.get(inFlight), "the frozen leader's in-flight mail was written once, by node-c");
        assertEquals(0, staleStateRows(leaderEpoch()), "no state row written by a deposed leader" + logs());
        assertEquals(third, leader());
        System.out.printf("FAILOVER %d mails, %d fired twice (in flight at the kill: %s)%n", delivered.size(),
                twice.size(), twice);
    }
}

package io.github.outlook365.example.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.github.outlook365.camel.Outlook365Constants;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The route's sink: a row per mail in {@code cluster_example_received}, written only while the node that fired the
 * mail still leads the trigger. The trigger itself commits nothing once another node took over; this is the same check
 * for what the route writes: an exchange that was in flight when its node lost the lead (paused past its lease, cut
 * off) carries the old {@code CamelOutlook365LeaderEpoch}, and its write is refused. It reads the trigger's leader row
 * {@code FOR SHARE}, so a take-over waits for a write in progress.
 */
public final class AuditSink implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AuditSink.class);

    static final String TABLE = """
            CREATE TABLE IF NOT EXISTS cluster_example_received (
                message_id TEXT        NOT NULL,
                subject    TEXT,
                node       TEXT        NOT NULL,
                epoch      BIGINT      NOT NULL,
                written_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )""";

    private final DataSource dataSource;
    private final String node;

    public AuditSink(DataSource dataSource, String node) {
        this.dataSource = dataSource;
        this.node = node;
    }

    static void createTable(DataSource dataSource) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(hashtext('cluster_example_received'))");
                s.execute(TABLE);
            }
            c.commit();
        }
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Long epoch = exchange.getMessage().getHeader(Outlook365Constants.LEADER_EPOCH, Long.class);
        String id = exchange.getMessage().getHeader(Outlook365Constants.MESSAGE_ID, String.class);
        String subject = exchange.getMessage().getHeader(Outlook365Constants.SUBJECT, String.class);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long leader;
            try (PreparedStatement get = c.prepareStatement(
                    "SELECT epoch FROM outlook365_trigger_leader WHERE trigger_key = ? FOR SHARE")) {
                get.setString(1, ClusterNode.STATE_KEY);
                try (ResultSet rs = get.executeQuery()) {
                    leader = rs.next() ? rs.getLong(1) : 0;
                }
            }
            if (epoch == null || epoch < leader) {
                c.rollback();
                LOG.warn("Refused a stale write of '{}': node {} fired it with leader epoch {}, but the trigger's leader"
                         + " now has epoch {}", subject, node, epoch, leader);
                return;
            }
            try (PreparedStatement put = c.prepareStatement(
                    "INSERT INTO cluster_example_received (message_id, subject, node, epoch) VALUES (?, ?, ?, ?)")) {
                put.setString(1, id);
                put.setString(2, subject);
                put.setString(3, node);
                put.setLong(4, epoch);
                put.executeUpdate();
            }
            c.commit();
        }
    }
}

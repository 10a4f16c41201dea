package io.github.outlook365.camel.trigger;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.outlook365.simulator.LocalPostgres;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trigger state in PostgreSQL (stateDataSource): what it keeps, and how a deposed node is fenced off. */
class JdbcTriggerStoreTest {

    private static LocalPostgres postgres;
    private static PGSimpleDataSource dataSource;

    @BeforeAll
    static void startPostgres() {
        postgres = LocalPostgres.start();
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl());
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static String newKey() {
        return "mail.received/contoso/ada/" + UUID.randomUUID();
    }

    private static JdbcTriggerStore started(String key, String node) {
        JdbcTriggerStore store = new JdbcTriggerStore(dataSource, key, node);
        ServiceHelper.startService(store);
        return store;
    }

    @Test
    void itKeepsTheCursorDocumentsAndDeliveredIdsOfItsTriggerAcrossARestart() {
        // given a trigger that committed a cursor, a document and two ids
        String key = newKey();
        JdbcTriggerStore first = started(key, "node-a");
        first.setState(key, "{\"deltaLink\":\"one\"}");
        first.setState(key + "/parked", "[]");
        Instant received = Instant.parse("2026-01-01T10:00:00Z");
        assertTrue(first.add(key + "#m1", received));
        assertFalse(first.add(key + "#m1", received), "already there");
        assertTrue(first.add(key + "#m2", null));
        first.setState(key, "{\"deltaLink\":\"two\"}");
        ServiceHelper.stopService(first);

        // when it starts again (another store object, as after a restart)
        JdbcTriggerStore again = started(key, "node-a");

        // then it reads what was committed last
        assertEquals("{\"deltaLink\":\"two\"}", again.getState(key));
        assertEquals("[]", again.getState(key + "/parked"));
        assertNull(again.getState(key + "/calendar"));
        assertTrue(again.contains(key + "#m1"));
        assertTrue(again.contains(key + "#m2"));
        assertFalse(again.contains(key + "#m3"));
        assertEquals(2, again.epoch(), "each start takes the trigger with the next epoch");
        ServiceHelper.stopService(again);
    }

    @Test
    void itForgetsTheIdsItsCursorPassedAndKeepsThoseWithoutAHorizon() {
        String key = newKey();
        JdbcTriggerStore store = started(key, "node-a");
        Instant t = Instant.parse("2026-01-01T10:00:00Z");
        store.add(key + "#old", t.minusSeconds(3600));
        store.add(key + "#new", t.plusSeconds(60));
        store.add(key + "#kept", null);
        store.add(key + "#later", t.minusSeconds(7200));
        // the later of two horizons wins
        store.add(key + "#later", t.plusSeconds(3600));

        assertEquals(1, store.pruneBefore(key + "#", t));

        assertFalse(store.contains(key + "#old"));
        assertTrue(store.contains(key + "#new"));
        assertTrue(store.contains(key + "#kept"));
        assertTrue(store.contains(key + "#later"));
        assertEquals(3, store.deliveredCount());
        assertTrue(store.remove(key + "#kept"));
        assertFalse(store.contains(key + "#kept"));
        ServiceHelper.stopService(store);
    }

    @Test
    void itKeepsTriggersApartInTheSharedTables() {
        String a = newKey();
        String b = newKey();
        JdbcTriggerStore one = started(a, "node-a");
        JdbcTriggerStore two = started(b, "node-a");
        one.setState(a, "cursor of a");
        one.add(a + "#m1", null);

        assertNull(two.getState(b));
        assertFalse(two.contains(b + "#m1"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> two.setState(a, "stolen"));
        assertTrue(e.getMessage().contains("the store of trigger '" + b + "' keeps its cursor"), e.getMessage());
        ServiceHelper.stopService(one, two);
    }

    @Test
    void aNodeThatLostTheTriggerCommitsNothingOverTheNewLeader() {
        // given node A leads a trigger and committed a cursor
        String key = newKey();
        JdbcTriggerStore a = started(key, "node-a");
        a.setState(key, "cursor of a");
        assertEquals("node-a", a.leaderNode());

        // when node B takes the trigger over (A was paused and did not notice)
        JdbcTriggerStore b = started(key, "node-b");
        assertEquals(a.epoch() + 1, b.epoch());
        assertEquals("cursor of a", b.getState(key), "the new leader reads what the old one committed");

        // then every write of A is refused, naming B, and B's state stays
        TriggerFencedException refused = assertThrows(TriggerFencedException.class, () -> a.setState(key, "stale"));
        assertTrue(refused.getMessage().contains("taken over by node-b (leader epoch " + b.epoch()), refused.getMessage());
        assertThrows(TriggerFencedException.class, () -> a.add(key + "#m9", null));
        assertThrows(TriggerFencedException.class, () -> a.remove(key + "#m9"));
        assertThrows(TriggerFencedException.class, () -> a.pruneBefore(key + "#", Instant.now()));
        assertThrows(TriggerFencedException.class, () -> a.verify(Duration.ofHours(1)));
        assertTrue(a.fenced());
        assertEquals("node-b", a.leaderNode());
        assertEquals(b.epoch(), a.leaderEpoch());
        b.setState(key, "cursor of b");
        assertEquals("cursor of b", b.getState(key));
        assertFalse(b.contains(key + "#m9"));
        assertFalse(b.fenced());
        ServiceHelper.stopService(a, b);
    }

    @Test
    void theLeadershipCheckAsksTheDatabaseOnlyWhenTheLastProofIsOlderThanAsked() {
        String key = newKey();
        JdbcTriggerStore a = started(key, "node-a");
        a.setState(key, "cursor of a");
        JdbcTriggerStore b = started(key, "node-b");

        // a recent proof (the commit above) is taken as it is
        a.verify(Duration.ofHours(1));
        assertFalse(a.fenced());

        // an older one is checked again
        assertThrows(TriggerFencedException.class, () -> a.verify(Duration.ZERO));
        assertTrue(a.fenced());
        ServiceHelper.stopService(a, b);
    }

    @Test
    void aTakeOverWaitsForAWriteInProgressSoItReadsEverythingCommittedBeforeIt() throws Exception {
        // given node A writes in a transaction that holds the leader row (as its commits do), not yet committed
        String key = newKey();
        JdbcTriggerStore a = started(key, "node-a");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT epoch FROM outlook365_trigger_leader WHERE trigger_key = '" + key + "' FOR SHARE");
                s.execute("INSERT INTO outlook365_trigger_state VALUES ('" + key + "', '', 'in flight', " + a.epoch()
                          + ", now())");

                // when node B takes over meanwhile
                CompletableFuture<JdbcTriggerStore> b = CompletableFuture.supplyAsync(() -> started(key, "node-b"));

                // then B waits for A's transaction
                Thread.sleep(500);
                assertFalse(b.isDone(), "the take-over waits for the write in progress");
                c.commit();
                JdbcTriggerStore leader = b.get(60, TimeUnit.SECONDS);
                assertEquals("in flight", leader.getState(key));
                ServiceHelper.stopService(leader);
            }
        }
        ServiceHelper.stopService(a);
    }

    @Test
    void theTablesAreMadeOnceAndFollowTheDocumentedSchema() throws Exception {
        JdbcTriggerStore.ensureSchema(dataSource);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE"
                                           + " 'outlook365_trigger_%'")) {
            rs.next();
            assertEquals(3, rs.getInt(1));
        }
    }
}

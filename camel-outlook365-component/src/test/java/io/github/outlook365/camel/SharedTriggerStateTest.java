package io.github.outlook365.camel;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.sql.DataSource;

import io.github.outlook365.camel.model.Message;
import io.github.outlook365.camel.trigger.JdbcTriggerStore;
import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.simulator.LocalPostgres;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mail/received with its state in PostgreSQL (stateDataSource): a node takes over, a deposed node stops firing. */
class SharedTriggerStateTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    private static LocalPostgres postgres;
    private static PGSimpleDataSource dataSource;

    @TempDir
    Path work;

    private Outlook365Simulator sim;
    private SimulatedTenant tenant;
    private String stateKey;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<Long> epochs = new CopyOnWriteArrayList<>();
    private final List<CamelContext> contexts = new ArrayList<>();

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

    @BeforeEach
    void setUp() throws Exception {
        sim = SIMULATOR.simulator();
        tenant = new SimulatedTenant(sim, work);
        stateKey = "inbox-" + UUID.randomUUID();
    }

    @AfterEach
    void tearDown() {
        contexts.forEach(CamelContext::stop);
    }

    /** A node: its own Camel context (and state directory, unused), the shared DataSource. */
    private CamelContext node(String name) throws Exception {
        return node(name, dataSource);
    }

    private CamelContext node(String name, DataSource stateDb) throws Exception {
        CamelContext context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=100&initialDelay=0&stateKey=" + stateKey).routeId("inbox")
                        .process(e -> {
                            received.add(e.getMessage().getBody(Message.class).subject());
                            epochs.add(e.getMessage().getHeader(Outlook365Constants.LEADER_EPOCH, Long.class));
                        });
            }
        }, c -> {
            c.setStateDataSource(stateDb);
            c.setStateDirectory(work.resolve(name).toString());
        });
        contexts.add(context);
        context.start();
        return context;
    }

    private void deliver(String subject) {
        sim.deliver(SimulatedTenant.ADA,
                SimMail.from("carol@fabrikam.example", "Carol").to(SimulatedTenant.ADA).subject(subject).textBody("hi"));
    }

    private void awaitPolls(int rounds) {
        long before = sim.countRequests("GET", "/messages/delta");
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.countRequests("GET", "/messages/delta") >= before + rounds);
    }

    /** The details of the connection's readiness check. */
    private static Map<String, Object> health(CamelContext context) {
        HealthCheck check = HealthCheckRegistry.get(context).stream()
                .filter(c -> c.getId().startsWith("outlook365-connection-")).findFirst().orElseThrow();
        return check.call().getDetails();
    }

    private static Object jmx(CamelContext context, String attribute) throws Exception {
        MBeanServer server = context.getManagementStrategy().getManagementAgent().getMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName("org.apache.camel:type=consumers,*"), null);
        for (ObjectName name : names) {
            if ("inbox".equals(server.getAttribute(name, "RouteId"))
                && context.getManagementName().equals(name.getKeyProperty("context").replace("\"", ""))) {
                return server.getAttribute(name, attribute);
            }
        }
        throw new AssertionError("no consumer MBean of route inbox among " + names);
    }

    @Test
    void theNextNodeResumesFromTheSharedCursorWithNothingLostAndNothingTwice() throws Exception {
        // given node one fired a mail and stopped
        CamelContext one = node("one");
        awaitPolls(1);
        deliver("before");
        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == 1);
        one.stop();

        // when mail arrives while no node runs the trigger, and node two takes it over
        deliver("while down");
        node("two");

        // then node two fires what arrived meanwhile, nothing twice, with the next leadership epoch
        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= 2);
        awaitPolls(3);
        assertEquals(List.of("before", "while down"), received);
        assertEquals(epochs.get(0) + 1, epochs.get(1), "node two leads with the next epoch: " + epochs);
    }

    @Test
    void aNodeWhoseTriggerWasTakenOverStopsFiringUntilItsRouteStartsAgain() throws Exception {
        // given node one runs the trigger
        CamelContext one = node("one");
        awaitPolls(1);
        deliver("m1");
        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == 1);
        assertEquals(false, jmx(one, "Fenced"));
        assertEquals(epochs.get(0), jmx(one, "LeaderEpoch"));
        assertEquals(JdbcTriggerStore.localNode(), jmx(one, "Node"));
        assertEquals(JdbcTriggerStore.localNode(), health(one).get("trigger." + stateKey + ".leaderNode"));
        assertEquals(false, health(one).get("trigger." + stateKey + ".fenced"));

        try (CapturedLogs logs = CapturedLogs.capture()) {
            // when another node takes the trigger over while node one still polls (its lease ran out, say)
            JdbcTriggerStore other = new JdbcTriggerStore(dataSource, stateKey, "node-two");
            ServiceHelper.startService(other);

            // then node one notices at its next commit (every poll commits), says so once, and fires nothing more
            await().atMost(Duration.ofSeconds(60)).until(() -> Boolean.TRUE.equals(jmx(one, "Fenced")));
            deliver("m2");
            // (a fenced trigger no longer reads Graph: wait while it would have polled 20 times)
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(60)).until(() -> received.size() == 1);
            assertEquals(List.of("m1"), received);
            assertEquals("node-two", jmx(one, "LeaderNode"));
            Map<String, Object> health = health(one);
            assertEquals("node-two", health.get("trigger." + stateKey + ".leaderNode"), health.toString());
            assertEquals(true, health.get("trigger." + stateKey + ".fenced"));
            assertEquals(JdbcTriggerStore.localNode(), health.get("trigger." + stateKey + ".node"));
            assertEquals(1, logs.linesContaining("stops firing: its state '" + stateKey + "' was taken over by node-two")
                    .size(), logs.lines().toString());
            ServiceHelper.stopService(other);
        }

        // when the cluster service makes node one the leader again (its route starts again)
        one.getRouteController().stopRoute("inbox");
        one.getRouteController().startRoute("inbox");

        // then it takes over with a new epoch and fires what it had left
        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= 2);
        assertEquals(List.of("m1", "m2"), received);
        assertEquals(epochs.get(0) + 2, epochs.get(1), "epochs: " + epochs);
        assertEquals(false, jmx(one, "Fenced"));
    }

    @Test
    void aDatabaseOutageInsideAPageLosesNoMailAndFiresNothingTwice() throws Exception {
        // given a node that fired a mail
        FlakyDataSource flaky = new FlakyDataSource(dataSource);
        node("one", flaky);
        awaitPolls(1);
        deliver("m1");
        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == 1);

        // when the database fails while the next page is read (its dedup look-ups fail, its writes work)
        flaky.failing = true;
        deliver("m2");
        await().atMost(Duration.ofSeconds(60)).until(() -> flaky.refused.get() >= 3);
        assertEquals(List.of("m1"), received);

        // then, once it is back, the page is read again from the stored cursor: m2 fires, once
        flaky.failing = false;
        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= 2);
        awaitPolls(3);
        assertEquals(List.of("m1", "m2"), received);
    }

    /** A DataSource whose dedup look-ups fail while {@link #failing} is set, as a database that went away mid-page. */
    static final class FlakyDataSource implements DataSource {
        private final DataSource delegate;
        volatile boolean failing;
        final AtomicInteger refused = new AtomicInteger();

        FlakyDataSource(DataSource delegate) {
            this.delegate = delegate;
        }

        @Override
        public Connection getConnection() throws SQLException {
            Connection real = delegate.getConnection();
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { Connection.class },
                    (proxy, method, args) -> {
                        if (failing && method.getName().equals("prepareStatement")
                            && ((String) args[0]).startsWith("SELECT 1 FROM outlook365_trigger_delivered")) {
                            refused.incrementAndGet();
                            throw new SQLException("An I/O error occurred while sending to the backend (test)", "08006");
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() throws SQLException {
            return delegate.getLogWriter();
        }

        @Override
        public void setLogWriter(PrintWriter out) throws SQLException {
            delegate.setLogWriter(out);
        }

        @Override
        public void setLoginTimeout(int seconds) throws SQLException {
            delegate.setLoginTimeout(seconds);
        }

        @Override
        public int getLoginTimeout() throws SQLException {
            return delegate.getLoginTimeout();
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return delegate.getParentLogger();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            return delegate.unwrap(type);
        }

        @Override
        public boolean isWrapperFor(Class<?> type) throws SQLException {
            return delegate.isWrapperFor(type);
        }
    }

    @Test
    void stateDataSourceWithAStateRepositoryIsRefusedNamingBothOptions() throws Exception {
        CamelContext context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=100").routeId("inbox").log("x");
            }
        }, c -> {
            c.setStateDataSource(dataSource);
            c.setStateRepository(new org.apache.camel.support.processor.state.MemoryStateRepository());
        });
        contexts.add(context);

        Exception e = assertThrows(Exception.class, context::start);

        String message = AuthorizationCodeFlowTest.causes(e);
        assertTrue(message.contains("give either stateDataSource or stateRepository/idempotentRepository, not both"),
                message);
    }
}

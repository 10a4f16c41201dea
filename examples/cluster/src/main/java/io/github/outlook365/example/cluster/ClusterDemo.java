package io.github.outlook365.example.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.github.outlook365.simulator.LocalPostgres;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.SimMail;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The cluster on one machine, with nothing to set up ({@code mvn -pl examples/cluster exec:java}): a PostgreSQL of its
 * own (Debian's package, {@link LocalPostgres}), the simulator with one mailbox that gets a mail every 3 seconds, and
 * two {@link ClusterNode} JVMs, node-a and node-b. One of them fires each mail; {@code kill -9} its pid (printed every
 * 10 seconds) and watch the other take over. Ctrl+C ends it all.
 */
public final class ClusterDemo {

    static final String TENANT = "contoso.onmicrosoft.com";
    static final String CLIENT_ID = "11111111-2222-3333-4444-555555555555";
    static final String MAILBOX = "demo@contoso.onmicrosoft.com";

    private ClusterDemo() {
    }

    public static void main(String[] args) throws Exception {
        String secret = java.util.UUID.randomUUID().toString();
        Path work = Files.createTempDirectory("outlook365-cluster-demo-");
        LocalPostgres postgres = LocalPostgres.start();
        Outlook365Simulator simulator = Outlook365Simulator.start();
        simulator.registerApp(TENANT, CLIENT_ID, secret);
        simulator.createMailbox(TENANT, MAILBOX, "Demo");
        NodeProcess.Cluster cluster = new NodeProcess.Cluster(postgres.jdbcUrl(), Files.createDirectories(work.resolve(
                "cluster")), simulator.baseUrl(), simulator.writeTrustStore(work.resolve("trust.p12"),
                        "changeit".toCharArray()),
                Map.of("OUTLOOK365_TENANT_ID", TENANT, "OUTLOOK365_CLIENT_ID", CLIENT_ID, "OUTLOOK365_CLIENT_SECRET",
                        secret, "OUTLOOK365_ACCOUNT", MAILBOX),
                200, 1000);
        List<NodeProcess> nodes = List.of(NodeProcess.start("node-a", cluster, System.out::println),
                NodeProcess.start("node-b", cluster, System.out::println));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            nodes.forEach(NodeProcess::close);
            simulator.close();
            postgres.close();
            stopped.countDown();
        }));
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(postgres.jdbcUrl());
        for (int i = 1;; i++) {
            simulator.deliver(MAILBOX, SimMail.from("carol@fabrikam.example", "Carol").to(MAILBOX)
                    .subject("demo mail " + i).textBody("mail number " + i));
            if (i % 3 == 1) {
                System.out.println("*** nodes: " + nodes.stream().map(n -> n.name() + " pid " + n.pid()
                                                                       + (n.isAlive() ? "" : " (dead)")).toList()
                                   + "; the trigger's leader: " + leader(dataSource)
                                   + ". Try kill -9 on the leader's pid.");
            }
            Thread.sleep(3000);
        }
    }

    private static String leader(PGSimpleDataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT node, epoch FROM outlook365_trigger_leader WHERE trigger_key = '"
                                           + ClusterNode.STATE_KEY + "'")) {
            return rs.next() ? rs.getString(1) + " (epoch " + rs.getLong(2) + ")" : "none yet";
        } catch (Exception e) {
            return "none yet";
        }
    }
}

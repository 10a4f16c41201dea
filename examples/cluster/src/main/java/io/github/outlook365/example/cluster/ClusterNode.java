package io.github.outlook365.example.cluster;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.apache.camel.main.Main;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node of the cluster: camel-main with the route {@code cluster/inbox.camel.yaml}
 * ({@code from: master:outlook365-inbox:outlook365:mail/received}), a {@code FileLockClusterService} on a directory the
 * nodes share (one host; a bean of application.properties, which ZooKeeper, Consul or Kubernetes replace), and the trigger's state in PostgreSQL ({@code stateDataSource}). Run two (or more) with the
 * same settings and different node names: one fires, the others wait to take over.
 * <p>
 * Settings, each a system property or else an environment variable: {@code outlook365.cluster.node}
 * (OUTLOOK365_CLUSTER_NODE, default host/pid), {@code outlook365.cluster.root} (OUTLOOK365_CLUSTER_ROOT, the shared
 * directory of the cluster service), {@code outlook365.cluster.jdbcUrl} (OUTLOOK365_CLUSTER_JDBC_URL, with user and
 * password as URL parameters or OUTLOOK365_CLUSTER_JDBC_USER / OUTLOOK365_CLUSTER_JDBC_PASSWORD). The connection to
 * Microsoft 365 comes from the OUTLOOK365_* variables as in the standalone example (application.properties);
 * {@code outlook365.cluster.graph} and {@code outlook365.cluster.trustStore} point it at a simulator instead.
 */
public final class ClusterNode {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);

    /** The trigger's state key (the route's stateKey): the row of outlook365_trigger_leader the sink checks. */
    public static final String STATE_KEY = "cluster-inbox";
    /** The cluster service's namespace of the route's master: endpoint (the lock file in the shared directory). */
    public static final String NAMESPACE = "outlook365-inbox";

    private ClusterNode() {
    }

    public static void main(String[] args) throws Exception {
        String node = setting("outlook365.cluster.node", "OUTLOOK365_CLUSTER_NODE",
                ProcessHandle.current().pid() + "");
        String root = required("outlook365.cluster.root", "OUTLOOK365_CLUSTER_ROOT",
                "a directory the nodes share, where the cluster service keeps its lock");
        String jdbcUrl = required("outlook365.cluster.jdbcUrl", "OUTLOOK365_CLUSTER_JDBC_URL",
                "the JDBC URL of the PostgreSQL database that holds the trigger state");

        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(jdbcUrl);
        String user = System.getenv("OUTLOOK365_CLUSTER_JDBC_USER");
        if (user != null && !user.isBlank()) {
            dataSource.setUser(user);
            dataSource.setPassword(System.getenv("OUTLOOK365_CLUSTER_JDBC_PASSWORD"));
        }
        AuditSink.createTable(dataSource);

        Main main = new Main();
        main.bind("stateDb", dataSource);
        main.bind("auditSink", new AuditSink(dataSource, node));
        // the cluster service is a bean of application.properties (camel.beans.cluster): camel-main adds it to the
        // context, and another one replaces it by configuration
        main.addOverrideProperty("outlook365.cluster.node", node);
        main.addOverrideProperty("outlook365.cluster.root", root);
        String graph = System.getProperty("outlook365.cluster.graph");
        if (graph != null && !graph.isBlank()) {
            main.addOverrideProperty("camel.component.outlook365.authorityHost", graph);
            main.addOverrideProperty("camel.component.outlook365.graphEndpoint", graph);
            main.bind("simulatorTrust", trusting(System.getProperty("outlook365.cluster.trustStore")));
            main.addOverrideProperty("camel.component.outlook365.sslContextParameters", "#simulatorTrust");
        }
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                // camel-main adds the cluster services it finds before it binds the camel.beans of the properties: add
                // those here, whichever kind the properties name
                CamelContext context = configured.getCamelContext();
                for (CamelClusterService service : context.getRegistry().findByType(CamelClusterService.class)) {
                    if (!context.hasServices(CamelClusterService.class).contains(service)) {
                        try {
                            context.addService(service);
                        } catch (Exception e) {
                            throw new IllegalStateException("cannot add the cluster service " + service, e);
                        }
                    }
                }
            }
        });
        LOG.info("Cluster node {} starting: cluster service on {}, trigger state in {}", node, root,
                jdbcUrl.replaceAll("password=[^&]*", "password=***"));
        main.run(args);
    }

    private static String setting(String property, String variable, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    private static String required(String property, String variable, String what) {
        String value = setting(property, variable, null);
        if (value == null) {
            throw new IllegalArgumentException("set -D" + property + " or " + variable + ": " + what);
        }
        return value;
    }

    private static SSLContextParameters trusting(String trustStore) {
        KeyStoreParameters ks = new KeyStoreParameters();
        ks.setResource("file:" + trustStore);
        ks.setPassword("changeit");
        ks.setType("PKCS12");
        TrustManagersParameters tm = new TrustManagersParameters();
        tm.setKeyStore(ks);
        SSLContextParameters ssl = new SSLContextParameters();
        ssl.setTrustManagers(tm);
        return ssl;
    }

    static void execute(PGSimpleDataSource dataSource, String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}

package io.github.outlook365.camel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import io.github.outlook365.simulator.Outlook365Simulator;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * A tenant on the simulator, with an app registration and mailboxes, and Camel contexts wired to it the way a user
 * would configure the component (component options).
 */
public final class SimulatedTenant {

    public static final String TENANT = "contoso.onmicrosoft.com";
    public static final String CLIENT_ID = "11111111-2222-3333-4444-555555555555";
    public static final String CLIENT_SECRET = "s3cr3t~Value.DoNotLog";
    public static final String ADA = "ada@contoso.onmicrosoft.com";
    public static final String BOB = "bob@contoso.onmicrosoft.com";

    final Outlook365Simulator simulator;
    final Path stateDirectory;
    private final Path trustStore;

    public SimulatedTenant(Outlook365Simulator simulator, Path workDirectory) throws Exception {
        this.simulator = simulator;
        this.stateDirectory = Files.createDirectories(workDirectory.resolve("state"));
        this.trustStore = simulator.writeTrustStore(workDirectory.resolve("simulator-trust.p12"), "changeit".toCharArray());
        simulator.registerApp(TENANT, CLIENT_ID, CLIENT_SECRET);
        simulator.createMailbox(TENANT, ADA, "Ada Lovelace");
        simulator.createMailbox(TENANT, BOB, "Bob Babbage");
    }

    SSLContextParameters sslContextParameters() {
        return trusting(trustStore);
    }

    /** TLS parameters that trust the simulator, from the trust store {@code Outlook365Simulator#writeTrustStore} wrote. */
    static SSLContextParameters trusting(Path trustStore) {
        KeyStoreParameters ks = new KeyStoreParameters();
        ks.setResource("file:" + trustStore.toAbsolutePath());
        ks.setPassword("changeit");
        ks.setType("PKCS12");
        TrustManagersParameters tm = new TrustManagersParameters();
        tm.setKeyStore(ks);
        SSLContextParameters ssl = new SSLContextParameters();
        ssl.setTrustManagers(tm);
        return ssl;
    }

    /** A context whose outlook365 component points at the simulator as ada, with polls every 100 ms. */
    public CamelContext context(RoutesBuilder routes) throws Exception {
        return context(routes, c -> {
        });
    }

    CamelContext context(RoutesBuilder routes, Consumer<Outlook365Configuration> customize) throws Exception {
        CamelContext context = new DefaultCamelContext();
        Outlook365Component component = new Outlook365Component();
        component.setConfiguration(configuration());
        customize.accept(component.getConfiguration());
        context.addComponent("outlook365", component);
        if (routes != null) {
            context.addRoutes(routes);
        }
        return context;
    }

    Outlook365Configuration configuration() {
        Outlook365Configuration c = new Outlook365Configuration();
        c.setAuthorityHost(simulator.baseUrl());
        c.setGraphEndpoint(simulator.baseUrl());
        c.setTenantId(TENANT);
        c.setClientId(CLIENT_ID);
        c.setClientSecret(CLIENT_SECRET);
        c.setAccount(ADA);
        c.setSslContextParameters(sslContextParameters());
        c.setStateDirectory(stateDirectory.toString());
        c.setMaxRetryDelay(2_000);
        return c;
    }
}

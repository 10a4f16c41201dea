package io.github.outlook365.example;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import io.github.outlook365.simulator.Outlook365Simulator;
import org.apache.camel.main.Main;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-main with the YAML routes of the project's routes/ folder. Without OUTLOOK365_CLIENT_ID in the environment it
 * starts the embedded simulator (a stand-in for Microsoft Graph and Entra ID), registers an app and a mailbox there,
 * and points the component at it; with it, it connects to the real tenant named by the OUTLOOK365_* variables.
 */
public final class StandaloneExample {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneExample.class);

    static final String SIMULATED_TENANT = "contoso.onmicrosoft.com";
    static final String SIMULATED_MAILBOX = "demo@contoso.onmicrosoft.com";

    private final Main main = new Main();
    private Outlook365Simulator simulator;
    private String simulatedClientSecret;
    private int httpPort = Integer.getInteger("outlook365.example.httpPort", 8080);

    public static void main(String[] args) throws Exception {
        StandaloneExample example = new StandaloneExample();
        example.configure(System.getenv("OUTLOOK365_CLIENT_ID"), System.getenv("OUTLOOK365_AUTH_MODE"));
        try {
            example.main.run(args);
        } finally {
            example.close();
        }
    }

    /** Sets up camel-main; starts the simulator unless a real client id is given. */
    void configure(String realClientId) throws Exception {
        configure(realClientId, null);
    }

    /** As {@link #configure(String)}; the simulator registers the app for {@code authMode} (default clientCredentials). */
    void configure(String realClientId, String authMode) throws Exception {
        main.configure().addRoutesBuilder(new ConsoleRoutes());
        if (realClientId == null || realClientId.isBlank()) {
            startSimulator(authMode == null || authMode.isBlank() ? "clientCredentials" : authMode.trim());
        } else {
            LOG.info("Connecting to Microsoft 365 as client {} (OUTLOOK365_* environment variables)", realClientId);
        }
    }

    private void startSimulator(String authMode) throws Exception {
        simulator = Outlook365Simulator.start();
        String clientId = UUID.randomUUID().toString();
        String prefix = "camel.component.outlook365.";
        if (authMode.equals("clientCertificate")) {
            // what an admin does: a certificate uploaded to the app registration, its .pfx handed to the application
            String pfxPassword = UUID.randomUUID().toString();
            String pfx = simulator.registerAppWithNewCertificate(SIMULATED_TENANT, clientId, pfxPassword.toCharArray());
            main.addOverrideProperty(prefix + "authMode", "clientCertificate");
            main.addOverrideProperty(prefix + "certificate", pfx);
            main.addOverrideProperty(prefix + "certificatePassword", pfxPassword);
        } else if (authMode.equals("authorizationCode")) {
            // what a customer's own app registration looks like: a web app whose redirect URI is the example's
            // callback route (routes/connection-setup.camel.yaml), and a user who signed in once (the refresh token
            // seeds the connection, as a headless deployment would be seeded)
            String clientSecret = UUID.randomUUID().toString();
            simulatedClientSecret = clientSecret;
            String redirectUri = "http://localhost:" + httpPort + "/provisioning_/callback";
            simulator.registerWebApp(SIMULATED_TENANT, clientId, clientSecret, redirectUri, null);
            simulator.createMailbox(SIMULATED_TENANT, SIMULATED_MAILBOX, "Demo Mailbox");
            String refreshToken = simulator.issueRefreshToken(SIMULATED_TENANT, clientId, SIMULATED_MAILBOX,
                    java.util.Set.of("User.Read", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite",
                            "Mail.ReadWrite.Shared", "Mail.Send.Shared", "Calendars.ReadWrite.Shared"));
            main.addOverrideProperty(prefix + "authMode", "authorizationCode");
            main.addOverrideProperty(prefix + "clientSecret", clientSecret);
            main.addOverrideProperty(prefix + "redirectUri", redirectUri);
            main.addOverrideProperty(prefix + "refreshToken", refreshToken);
            main.addOverrideProperty("outlook365.setup.enabled", "true");
        } else {
            String clientSecret = UUID.randomUUID().toString();
            simulatedClientSecret = clientSecret;
            simulator.registerApp(SIMULATED_TENANT, clientId, clientSecret);
            main.addOverrideProperty(prefix + "authMode", "clientCredentials");
            main.addOverrideProperty(prefix + "clientSecret", clientSecret);
        }
        if (!authMode.equals("authorizationCode")) {
            simulator.createMailbox(SIMULATED_TENANT, SIMULATED_MAILBOX, "Demo Mailbox");
        }
        Path work = Files.createTempDirectory("outlook365-example");
        Path trustStore = simulator.writeTrustStore(work.resolve("simulator-trust.p12"), "simulator".toCharArray());

        KeyStoreParameters keyStore = new KeyStoreParameters();
        keyStore.setResource("file:" + trustStore.toAbsolutePath());
        keyStore.setPassword("simulator");
        keyStore.setType("PKCS12");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(keyStore);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setTrustManagers(trust);
        main.bind("simulatorTls", tls);

        main.addOverrideProperty(prefix + "authorityHost", simulator.baseUrl());
        main.addOverrideProperty(prefix + "graphEndpoint", simulator.baseUrl());
        main.addOverrideProperty(prefix + "tenantId", SIMULATED_TENANT);
        main.addOverrideProperty(prefix + "clientId", clientId);
        main.addOverrideProperty(prefix + "account", SIMULATED_MAILBOX);
        main.addOverrideProperty(prefix + "sslContextParameters", "#simulatorTls");
        // the simulator starts empty each time: so does the trigger's memory
        main.addOverrideProperty(prefix + "stateDirectory", work.resolve("state").toString());
        LOG.info("No OUTLOOK365_CLIENT_ID set: using the embedded Microsoft Graph simulator at {} with mailbox {}"
                 + " (authMode={})", simulator.baseUrl(), SIMULATED_MAILBOX, authMode);
    }

    /** The port of the HTTP server (the sign-in callback's redirect URI); call before {@link #configure}. */
    void httpPort(int port) {
        this.httpPort = port;
        main.addOverrideProperty("outlook365.example.httpPort", String.valueOf(port));
    }

    Main main() {
        return main;
    }

    Outlook365Simulator simulator() {
        return simulator;
    }

    /** The client secret registered in the simulator (tests check it never shows). */
    String simulatedClientSecret() {
        return simulatedClientSecret;
    }

    void close() {
        if (simulator != null) {
            simulator.close();
        }
    }
}

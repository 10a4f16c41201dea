package io.github.outlook365.example;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import io.github.outlook365.simulator.Outlook365Simulator;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.SimpleEventNotifierSupport;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * camel-main with the YAML routes of the project's routes/ folder. Without OUTLOOK365_CLIENT_ID in the environment it
 * starts the embedded simulator (a stand-in for Microsoft Graph and Entra ID), registers an app and a mailbox there,
 * and points the component at it; with it, it connects to the real tenant named by the OUTLOOK365_* variables (see the
 * README's real-tenant sections).
 */
public final class StandaloneExample {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneExample.class);

    static final String SIMULATED_TENANT = "contoso.onmicrosoft.com";
    static final String SIMULATED_MAILBOX = "demo@contoso.onmicrosoft.com";
    /** Where the example keeps a signed-in user's tokens when OUTLOOK365_TOKEN_STORE_KEY is set and OUTLOOK365_TOKEN_STORE is not. */
    static final Path DEFAULT_TOKEN_STORE = Path.of(System.getProperty("user.home"), ".camel-outlook365",
            "outlook365-example-tokens.bin");

    private static final String PREFIX = "camel.component.outlook365.";

    private final Main main = new Main();
    private Outlook365Simulator simulator;
    private Path work;
    private String simulatedClientSecret;
    private String authMode = "clientCredentials";
    private int httpPort = Integer.getInteger("outlook365.example.httpPort", 8080);

    public static void main(String[] args) throws Exception {
        StandaloneExample example = new StandaloneExample();
        example.configureFrom(System.getenv());
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
        Map<String, String> environment = new HashMap<>();
        if (realClientId != null) {
            environment.put("OUTLOOK365_CLIENT_ID", realClientId);
        }
        if (authMode != null) {
            environment.put("OUTLOOK365_AUTH_MODE", authMode);
        }
        configureFrom(environment);
    }

    /**
     * Sets up camel-main from the OUTLOOK365_* variables of {@code environment}; application.properties reads the
     * connection itself from the process environment ({@code {{env:...}}}).
     */
    void configureFrom(Map<String, String> environment) throws Exception {
        main.configure().addRoutesBuilder(new ConsoleRoutes());
        // Jolokia at /hawtio/jolokia answers a request its access policy refuses with 403, not Camel's 500
        main.bind("jolokia", new ForbiddingJolokiaPlugin());
        String mode = environment.get("OUTLOOK365_AUTH_MODE");
        authMode = mode == null || mode.isBlank() ? "clientCredentials" : mode.trim();
        String clientId = environment.get("OUTLOOK365_CLIENT_ID");
        if (clientId == null || clientId.isBlank()) {
            startSimulator(authMode);
        } else {
            LOG.info("Connecting to Microsoft 365 as client {} (authMode={}, OUTLOOK365_* environment variables)",
                    clientId, authMode);
            if (authMode.equals("authorizationCode")) {
                delegatedOnARealTenant(environment);
            }
        }
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport configured) {
                // the JVM's shutdown hook waits for the context to stop, not for main() to return: clean up with it
                configured.getCamelContext().getManagementStrategy().addEventNotifier(new SimpleEventNotifierSupport() {
                    @Override
                    public void notify(CamelEvent event) {
                        if (event instanceof CamelEvent.CamelContextStoppedEvent) {
                            StandaloneExample.this.close();
                        }
                    }
                });
            }

            @Override
            public void afterStart(BaseMainSupport started) {
                logAddresses(started.getCamelContext());
            }
        });
    }

    /**
     * A customer's own app on a real tenant (authMode=authorizationCode): the sign-in routes run, the redirect URI
     * defaults to this host's callback, and the tokens go to an encrypted file when a key is given.
     */
    private void delegatedOnARealTenant(Map<String, String> environment) {
        main.addOverrideProperty("outlook365.setup.enabled", "true");
        String redirectUri = environment.get("OUTLOOK365_REDIRECT_URI");
        if (redirectUri == null || redirectUri.isBlank()) {
            redirectUri = "http://localhost:" + httpPort + "/provisioning_/callback";
            main.addOverrideProperty(PREFIX + "redirectUri", redirectUri);
        }
        LOG.info("Sign-in: register {} as the Web redirect URI of the app, then open the link of the line 'Outlook 365"
                 + " sign-in for ...' below (logger outlook365.setup): http://localhost:{}/provisioning_/signin with its"
                 + " one-time setup token", redirectUri, httpPort);
        String key = environment.get("OUTLOOK365_TOKEN_STORE_KEY");
        if (key == null || key.isBlank()) {
            LOG.warn("OUTLOOK365_TOKEN_STORE_KEY is not set: the signed-in user's tokens stay in memory only, so someone"
                     + " must sign in again at http://localhost:{}/provisioning_/signin after every restart. Set it (16"
                     + " characters or more) to keep them encrypted in {} (or in OUTLOOK365_TOKEN_STORE)",
                    httpPort, DEFAULT_TOKEN_STORE);
            return;
        }
        String store = environment.get("OUTLOOK365_TOKEN_STORE");
        Path file = store == null || store.isBlank() ? DEFAULT_TOKEN_STORE : Path.of(store.trim());
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directory of the token store " + file
                                           + ": set OUTLOOK365_TOKEN_STORE to a file in a writable directory", e);
        }
        // the key itself comes from application.properties ({{env:OUTLOOK365_TOKEN_STORE_KEY}}), never from here
        main.addOverrideProperty(PREFIX + "tokenStore", file.toAbsolutePath().toString());
        LOG.info("The signed-in user's tokens are kept encrypted in {} (OUTLOOK365_TOKEN_STORE_KEY is set): a restart"
                 + " needs no new sign-in", file.toAbsolutePath());
    }

    private void startSimulator(String authMode) throws Exception {
        simulator = Outlook365Simulator.start();
        work = Files.createTempDirectory("outlook365-example");
        String clientId = UUID.randomUUID().toString();
        if (authMode.equals("clientCertificate")) {
            // what an admin does: a certificate uploaded to the app registration, its .pfx handed to the application
            String pfxPassword = UUID.randomUUID().toString();
            String pfx = simulator.registerAppWithNewCertificate(SIMULATED_TENANT, clientId, pfxPassword.toCharArray());
            main.addOverrideProperty(PREFIX + "authMode", "clientCertificate");
            main.addOverrideProperty(PREFIX + "certificate", pfx);
            main.addOverrideProperty(PREFIX + "certificatePassword", pfxPassword);
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
                    Set.of("User.Read", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite", "Mail.ReadWrite.Shared",
                            "Mail.Send.Shared", "Calendars.ReadWrite.Shared"));
            main.addOverrideProperty(PREFIX + "authMode", "authorizationCode");
            main.addOverrideProperty(PREFIX + "clientSecret", clientSecret);
            main.addOverrideProperty(PREFIX + "redirectUri", redirectUri);
            main.addOverrideProperty(PREFIX + "refreshToken", refreshToken);
            // the signed-in user's tokens in an encrypted store, as on a real tenant with OUTLOOK365_TOKEN_STORE_KEY
            // (a key of this run: the simulator forgets its users when it stops, and so does this store)
            main.addOverrideProperty(PREFIX + "tokenStore", work.resolve("tokens.bin").toString());
            main.addOverrideProperty(PREFIX + "tokenStoreKey", UUID.randomUUID().toString());
            main.addOverrideProperty("outlook365.setup.enabled", "true");
        } else {
            String clientSecret = UUID.randomUUID().toString();
            simulatedClientSecret = clientSecret;
            simulator.registerApp(SIMULATED_TENANT, clientId, clientSecret);
            main.addOverrideProperty(PREFIX + "authMode", "clientCredentials");
            main.addOverrideProperty(PREFIX + "clientSecret", clientSecret);
        }
        if (!authMode.equals("authorizationCode")) {
            simulator.createMailbox(SIMULATED_TENANT, SIMULATED_MAILBOX, "Demo Mailbox");
        }
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

        main.addOverrideProperty(PREFIX + "authorityHost", simulator.baseUrl());
        main.addOverrideProperty(PREFIX + "graphEndpoint", simulator.baseUrl());
        main.addOverrideProperty(PREFIX + "tenantId", SIMULATED_TENANT);
        main.addOverrideProperty(PREFIX + "clientId", clientId);
        main.addOverrideProperty(PREFIX + "account", SIMULATED_MAILBOX);
        main.addOverrideProperty(PREFIX + "sslContextParameters", "#simulatorTls");
        // the simulator starts empty each time: so does the trigger's memory (removed with the simulator at the end)
        main.addOverrideProperty(PREFIX + "stateDirectory", work.resolve("state").toString());
        // the demo mails go to the simulated mailbox only; against a real tenant they are sent only when asked
        main.addOverrideProperty("outlook365.example.selfMail", "true");
        LOG.info("No OUTLOOK365_CLIENT_ID set: using the embedded Microsoft Graph simulator at {} with mailbox {}"
                 + " (authMode={})", simulator.baseUrl(), SIMULATED_MAILBOX, authMode);
    }

    /**
     * Where to look, with the host the server really binds: camel-main's own summary prints {@code 0.0.0.0}, which it
     * does not bind (its logger is set to WARN in log4j2.properties).
     */
    private void logAddresses(CamelContext context) {
        String host = context.resolvePropertyPlaceholders("{{camel.server.host:localhost}}");
        String port = context.resolvePropertyPlaceholders("{{camel.server.port:8080}}");
        String base = "http://" + (host.equals("0.0.0.0") ? "localhost" : host) + ":" + port;
        boolean console = ConsoleRoutes.class.getClassLoader().getResource(ConsoleRoutes.ROOT + "index.html") != null;
        LOG.info("{}, health {}/observe/health, Jolokia {}/hawtio/jolokia{}",
                console ? "Console " + base + "/hawtio/ (its Outlook 365 page: " + base + "/hawtio/outlook365)"
                        : "No console (built with -Dconsole.skip=true)",
                base, base, authMode.equals("authorizationCode") ? ", sign-in " + base + "/provisioning_/signin" : "");
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

    /** The directory of the simulator's trust store and the triggers' state, or null against a real tenant. */
    Path workDirectory() {
        return work;
    }

    /** Stops the simulator and removes what the example wrote for it; safe to call twice. */
    synchronized void close() {
        if (simulator != null) {
            simulator.close();
        }
        if (work != null && Files.exists(work)) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                LOG.warn("Could not remove {}: {}", work, e.getMessage());
            }
        }
    }
}

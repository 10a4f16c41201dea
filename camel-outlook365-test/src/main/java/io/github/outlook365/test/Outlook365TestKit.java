package io.github.outlook365.test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.outlook365.camel.Outlook365Component;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.auth.AuthMode;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.SimFault;
import org.apache.camel.CamelContext;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension for testing your own {@code outlook365:} routes: it starts the simulator (a local stand-in for
 * Microsoft Graph and Entra ID), registers an app and your mailboxes in a tenant, points the outlook365 component at
 * it, and lets the test speak of mail, not of Graph: deliver a mail or a meeting request, read what the route sent,
 * replied, moved, flagged or created, revoke a user's sign-in, throttle a mailbox.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final Outlook365TestKit OUTLOOK = Outlook365TestKit.clientCredentials()
 *         .mailbox("ada@contoso.onmicrosoft.com", "Ada Lovelace")   // the first mailbox is the component's account
 *         .mailbox("bob@contoso.onmicrosoft.com", "Bob Babbage");
 *
 * @Override   // CamelTestSupport
 * protected CamelContext createCamelContext() throws Exception {
 *     return OUTLOOK.configure(super.createCamelContext());
 * }
 * }</pre>
 *
 * With {@code @CamelMainTest}, call {@link #configureMain(MainConfigurationProperties)} from a {@code @Configure} method:
 * the kit's {@link #properties() camel.component.outlook365.*} then override what application.properties says.
 * <p>
 * Before each test the simulator is emptied and set up again (app, mailboxes, a fresh trigger state directory), so
 * tests do not see each other's mail; make one Camel context per test (CamelTestSupport's and @CamelMainTest's
 * default). The simulator runs once per test class.
 */
public final class Outlook365TestKit implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    /** The prefix of the component's options in camel-main's configuration. */
    public static final String COMPONENT_PREFIX = "camel.component.outlook365.";
    /** The registry name of the SSLContextParameters that trust the simulator's certificate. */
    public static final String TLS_BEAN = "outlook365SimulatorTls";
    static final Set<String> DELEGATED_SCOPES = Set.of("User.Read", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite",
            "Mail.ReadWrite.Shared", "Mail.Send.Shared", "Calendars.ReadWrite.Shared");

    private final AuthMode mode;
    private final Outlook365SimulatorExtension simulatorExtension = new Outlook365SimulatorExtension();
    private final Map<String, String> mailboxes = new LinkedHashMap<>();
    private final Map<String, String> options = new LinkedHashMap<>();
    private String tenantId = "contoso.onmicrosoft.com";
    private String account;
    private String redirectUri = "http://localhost:8080/provisioning_/callback";
    private final String clientId = UUID.randomUUID().toString();
    private final String clientSecret = "kit~" + UUID.randomUUID();
    private final String secretOfFiles = UUID.randomUUID().toString();

    private Path work;
    /** Nested test classes share the outer class's kit: the work directory goes with the outermost afterAll. */
    private int depth;
    private String certificate;
    private X509Certificate x509;
    private int tests;
    private boolean prepared;
    private Map<String, String> current = Map.of();

    private Outlook365TestKit(AuthMode mode) {
        this.mode = mode;
    }

    /** App-only with a client secret (authMode=clientCredentials). */
    public static Outlook365TestKit clientCredentials() {
        return new Outlook365TestKit(AuthMode.clientCredentials);
    }

    /** App-only with a certificate the kit makes and registers (authMode=clientCertificate, base64 .pfx). */
    public static Outlook365TestKit clientCertificate() {
        return new Outlook365TestKit(AuthMode.clientCertificate);
    }

    /**
     * Delegated (authMode=authorizationCode): a web app with a client secret, and the account's user signed in already
     * (the connection starts from a refresh token), so no browser is needed.
     */
    public static Outlook365TestKit authorizationCode() {
        return new Outlook365TestKit(AuthMode.authorizationCode);
    }

    // ---------------------------------------------------------------- set up

    /** The tenant's domain or id; default contoso.onmicrosoft.com. */
    public Outlook365TestKit tenant(String tenant) {
        this.tenantId = requireText(tenant, "tenant");
        return this;
    }

    /**
     * A mailbox of the tenant (a user or a shared mailbox). The first one is the component's account unless
     * {@link #account(String)} names another. A meeting organiser from outside is a mailbox too.
     */
    public Outlook365TestKit mailbox(String address, String displayName) {
        mailboxes.put(requireText(address, "address").toLowerCase(Locale.ROOT), displayName);
        return this;
    }

    /** The mailbox the component works on (camel.component.outlook365.account); default the first mailbox. */
    public Outlook365TestKit account(String address) {
        this.account = requireText(address, "address");
        return this;
    }

    /** authorizationCode: the app's redirect URI (the sign-in callback); default http://localhost:8080/provisioning_/callback. */
    public Outlook365TestKit redirectUri(String uri) {
        this.redirectUri = requireText(uri, "redirectUri");
        return this;
    }

    /**
     * Any other option of the component for every test (e.g. "reconnectDelay", "200"), beside the connection the kit
     * sets; it wins over the kit's own values.
     */
    public Outlook365TestKit option(String name, String value) {
        String key = requireText(name, "name");
        if (key.startsWith(COMPONENT_PREFIX)) {
            key = key.substring(COMPONENT_PREFIX.length());
        }
        options.put(key, Objects.requireNonNull(value, "value"));
        return this;
    }

    // ---------------------------------------------------------------- JUnit

    @Override
    public synchronized void beforeAll(ExtensionContext context) throws IOException {
        if (mailboxes.isEmpty()) {
            throw new IllegalStateException("Outlook365TestKit has no mailbox: add one with .mailbox(address, name),"
                    + " e.g. Outlook365TestKit.clientCredentials().mailbox(\"ada@contoso.onmicrosoft.com\", \"Ada\")");
        }
        if (account != null && !mailboxes.containsKey(account.toLowerCase(Locale.ROOT))) {
            throw new IllegalStateException("Outlook365TestKit.account(" + account + ") names no mailbox: add it with"
                    + " .mailbox(\"" + account + "\", name)");
        }
        simulatorExtension.beforeAll(context);
        if (depth++ == 0) {
            work = Files.createTempDirectory("outlook365-test-kit");
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        prepare();
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) {
        prepared = false;
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) throws IOException {
        simulatorExtension.afterAll(context);
        if (--depth == 0 && work != null) {
            deleteTree(work);
            work = null;
            x509 = null;
        }
    }

    // ---------------------------------------------------------------- Camel

    /**
     * Points the context's outlook365 component at the simulator (the component is created when the context has none
     * yet), binds {@value #TLS_BEAN} and adds {@link #properties()} as the context's initial properties, so that routes
     * may say {@code {{camel.component.outlook365.account}}}. For CamelTestSupport's createCamelContext().
     */
    public CamelContext configure(CamelContext context) {
        Map<String, String> connection = prepare();
        context.getRegistry().bind(TLS_BEAN, SSLContextParameters.class, trust());
        Outlook365Component component = context.getComponent("outlook365", Outlook365Component.class);
        Outlook365Configuration configuration = component.getConfiguration();
        PropertyBindingSupport.build().withCamelContext(context).withTarget(configuration)
                .withProperties(new LinkedHashMap<>(connection)).withMandatory(true).withIgnoreCase(true).bind();
        properties().forEach((name, value) -> context.getPropertiesComponent()
                .addInitialProperty((String) name, (String) value));
        return context;
    }

    /**
     * For {@code @CamelMainTest} (a name of its own, so that tests without camel-main compile against the kit): from a
     * {@code @Configure} method, adds a camel-main configuration that binds
     * {@value #TLS_BEAN} and makes {@link #properties()} override properties, winning over application.properties
     * (which may keep its {{env:...}} placeholders for the real tenant).
     */
    public void configureMain(MainConfigurationProperties main) {
        prepare();
        main.addConfiguration(new SimulatorConfiguration(this));
    }

    /**
     * The component's options for this test, as camel-main reads them ({@code camel.component.outlook365.authMode},
     * {@code .tenantId}, {@code .clientId}, the credential of the auth mode, {@code .account}, {@code .authorityHost},
     * {@code .graphEndpoint}, {@code .sslContextParameters=#outlook365SimulatorTls}, {@code .stateDirectory}, and the
     * {@link #option options} given). They hold the test app's generated credentials: assert they never reach a log.
     */
    public Properties properties() {
        Properties properties = new Properties();
        prepare().forEach((name, value) -> properties.setProperty(COMPONENT_PREFIX + name, value));
        return properties;
    }

    /** SSLContextParameters that trust the simulator's certificate (what {@value #TLS_BEAN} is bound to). */
    public SSLContextParameters trust() {
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + work().resolve("simulator-trust.p12").toAbsolutePath());
        store.setPassword(secretOfFiles);
        store.setType("PKCS12");
        TrustManagersParameters managers = new TrustManagersParameters();
        managers.setKeyStore(store);
        SSLContextParameters tls = new SSLContextParameters();
        tls.setTrustManagers(managers);
        return tls;
    }

    // ---------------------------------------------------------------- the tenant in the test

    /** A mailbox of the tenant, to deliver mail to and to read what the route did. */
    public SimulatedMailbox mailbox(String address) {
        requireText(address, "address");
        if (!mailboxes.containsKey(address.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("No mailbox " + address + " in the test tenant: declare it with"
                    + " Outlook365TestKit...mailbox(\"" + address + "\", name); declared: " + mailboxes.keySet());
        }
        return new SimulatedMailbox(this, address);
    }

    /** The mailbox the component works on. */
    public SimulatedMailbox account() {
        return mailbox(accountAddress());
    }

    /** The running simulator, for what the kit does not say in words (e.g. requests it received, latency). */
    public Outlook365Simulator simulator() {
        return simulatorExtension.simulator();
    }

    public String tenantId() {
        return tenantId;
    }

    public String clientId() {
        return clientId;
    }

    /** The test app's client secret (clientCredentials, authorizationCode): e.g. to assert it is in no log line. */
    public String clientSecret() {
        return mode == AuthMode.clientCertificate ? null : clientSecret;
    }

    /**
     * Every token the app got so far stops working (401 InvalidAuthenticationToken on Graph), as after a key rollover;
     * the component asks for new ones.
     */
    public void revokeAppTokens() {
        simulator().revokeTokens(tenantId, clientId);
    }

    /**
     * The app's client secret expires now (clientCredentials, authorizationCode): token requests answer
     * AADSTS7000222 and the connection turns BROKEN until {@link #renewClientSecret()}.
     */
    public void expireClientSecret() {
        requireSecretMode("expireClientSecret");
        simulator().registerApp(tenantId, clientId, clientSecret, Instant.now().minusSeconds(1));
        simulator().revokeTokens(tenantId, clientId);
    }

    /** An admin extends the client secret again: the next token request succeeds. */
    public void renewClientSecret() {
        requireSecretMode("renewClientSecret");
        registerApp();
    }

    /**
     * The next {@code times} Graph or token requests whose path matches {@code pathRegex} (found anywhere in the path,
     * e.g. "/sendMail$") fail with {@code status} and Graph's error {@code code} (null: the status's usual code).
     */
    public void failNext(String pathRegex, int status, String code, int times) {
        simulator().injectFault(SimFault.status(pathRegex, status, code, times));
    }

    /** Any fault the simulator knows (method, path, status, code, times, Retry-After). */
    public void inject(SimFault fault) {
        simulator().injectFault(fault);
    }

    // ---------------------------------------------------------------- inside

    String accountAddress() {
        return account != null ? account : mailboxes.keySet().iterator().next();
    }

    boolean delegated() {
        return mode == AuthMode.authorizationCode;
    }

    /** Sets the tenant up for the current test once, whichever of beforeEach or a configure() comes first. */
    synchronized Map<String, String> prepare() {
        if (prepared) {
            return current;
        }
        Outlook365Simulator sim = simulator();
        sim.reset();
        Path dir = work();
        Path trustStore = dir.resolve("simulator-trust.p12");
        if (!Files.exists(trustStore)) {
            sim.writeTrustStore(trustStore, secretOfFiles.toCharArray());
        }
        registerApp();
        mailboxes.forEach((address, name) -> sim.createMailbox(tenantId, address, name));
        Map<String, String> connection = new LinkedHashMap<>();
        connection.put("authMode", mode.name());
        connection.put("tenantId", tenantId);
        connection.put("clientId", clientId);
        switch (mode) {
            case clientCertificate -> {
                connection.put("certificate", certificate);
                connection.put("certificatePassword", secretOfFiles);
            }
            case authorizationCode -> {
                connection.put("clientSecret", clientSecret);
                connection.put("redirectUri", redirectUri);
                connection.put("refreshToken", sim.issueRefreshToken(tenantId, clientId, accountAddress(),
                        DELEGATED_SCOPES));
            }
            default -> connection.put("clientSecret", clientSecret);
        }
        connection.put("account", accountAddress());
        connection.put("authorityHost", sim.baseUrl());
        connection.put("graphEndpoint", sim.baseUrl());
        connection.put("sslContextParameters", "#" + TLS_BEAN);
        try {
            tests++;
            connection.put("stateDirectory",
                    Files.createDirectories(dir.resolve("test-" + tests).resolve("state")).toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the trigger state directory under " + dir, e);
        }
        connection.putAll(options);
        current = Collections.unmodifiableMap(connection);
        prepared = true;
        return current;
    }

    private void registerApp() {
        Outlook365Simulator sim = simulator();
        switch (mode) {
            case clientCertificate -> {
                if (x509 == null) {
                    certificate = sim.registerAppWithNewCertificate(tenantId, clientId, secretOfFiles.toCharArray());
                    x509 = certificateOf(certificate);
                } else {
                    sim.registerApp(tenantId, clientId, x509);
                }
            }
            case authorizationCode -> sim.registerWebApp(tenantId, clientId, clientSecret, redirectUri, null);
            default -> sim.registerApp(tenantId, clientId, clientSecret);
        }
    }

    private X509Certificate certificateOf(String base64Pfx) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(Base64.getDecoder().decode(base64Pfx)), secretOfFiles.toCharArray());
            return (X509Certificate) store.getCertificate(store.aliases().nextElement());
        } catch (Exception e) {
            throw new IllegalStateException("the simulator's app certificate cannot be read back: " + e.getMessage(), e);
        }
    }

    private synchronized Path work() {
        if (work == null) {
            throw new IllegalStateException("The Outlook 365 test kit is not running: register it as a static field"
                    + " with @RegisterExtension");
        }
        return work;
    }

    private void requireSecretMode(String what) {
        if (mode == AuthMode.clientCertificate) {
            throw new IllegalStateException(what + " needs a client secret, but the kit signs in with a certificate:"
                    + " use Outlook365TestKit.clientCredentials() or authorizationCode()");
        }
    }

    private static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return value.trim();
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Throttles a mailbox: used by {@link SimulatedMailbox#throttle(int, Duration)}. */
    void throttle(String address, int times, Duration retryAfter) {
        String path = "(?i)^/v1\\.0/(users/" + Pattern.quote(address)
                      + (delegated() && address.equalsIgnoreCase(accountAddress()) ? "|me" : "") + ")(/|$)";
        simulator().injectFault(SimFault.throttle(path, times, retryAfter));
    }
}

package io.github.outlook365.camel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.auth.AuthMode;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.RecordedRequest;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.CsvSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** authMode=clientCertificate: app-only tokens with a client assertion MSAL4J signs with the app's certificate (and the
 * end-to-end case of both app-only modes, for a user and a shared mailbox). */
class ClientCertificateAuthTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final String CERT_CLIENT_ID = "22222222-3333-4444-5555-666666666666";
    static final String PASSWORD = "pfx-Passw0rd!DoNotLog";
    static final String SHARED = "sales@contoso.onmicrosoft.com";

    // made once: RSA key generation is the slow part
    static final TestCertificates REGISTERED = TestCertificates.validRsa("camel-outlook365-test");
    static final TestCertificates UNREGISTERED = TestCertificates.validRsa("someone-else");
    static final Instant EXPIRED_UNTIL = Instant.parse("2025-01-31T00:00:00Z");
    static final TestCertificates EXPIRED = TestCertificates.rsa("expired-app",
            Instant.parse("2024-02-01T00:00:00Z"), EXPIRED_UNTIL);
    static final Instant FUTURE_FROM = Instant.now().plusSeconds(30L * 86_400);
    static final TestCertificates NOT_YET_VALID = TestCertificates.rsa("future-app", FUTURE_FROM,
            FUTURE_FROM.plusSeconds(365L * 86_400));

    @TempDir
    Path work;

    private Outlook365Simulator sim;
    private SimulatedTenant tenant;
    private CamelContext context;
    private final List<Message> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        sim = SIMULATOR.simulator();
        tenant = new SimulatedTenant(sim, work);
        sim.registerApp(SimulatedTenant.TENANT, CERT_CLIENT_ID, REGISTERED.certificate());
        sim.createMailbox(SimulatedTenant.TENANT, SHARED, "Sales");
    }

    @AfterEach
    void tearDown() {
        if (context != null) {
            context.stop();
        }
    }

    /** What a user sets for this mode: no client secret, the .pfx as base64 and its password. */
    static void certificateMode(Outlook365Configuration c) {
        c.setAuthMode(AuthMode.clientCertificate);
        c.setClientId(CERT_CLIENT_ID);
        c.setClientSecret(null);
        c.setCertificate(REGISTERED.base64Pkcs12(PASSWORD));
        c.setCertificatePassword(PASSWORD);
    }

    @ParameterizedTest(name = "authMode={0}, account={1}")
    @CsvSource({
            "clientCertificate, " + SimulatedTenant.ADA,
            "clientCertificate, " + SHARED,
            "clientCredentials, " + SimulatedTenant.ADA,
            "clientCredentials, " + SHARED })
    void eachAppOnlyModePollsAndSendsForAUserAndASharedMailbox(String authMode, String account) throws Exception {
        // given a trigger and an action on a mailbox, connected app-only with the certificate or the secret
        boolean certificate = authMode.equals("clientCertificate");
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=100&initialDelay=0")
                        .process(e -> received.add(e.getMessage().getBody(Message.class)));
            }
        }, c -> {
            if (certificate) {
                certificateMode(c);
            }
            c.setAccount(account);
        });
        context.start();

        // when a mail arrives and the route sends one
        sim.deliver(account, SimMail.from("carol@fabrikam.example", "Carol").to(account).subject("for " + account)
                .textBody("hi"));
        context.createProducerTemplate().sendBodyAndHeader("outlook365:mail/send", "from the certificate app",
                Outlook365Constants.TO, SimulatedTenant.BOB);

        // then the trigger fired and the mail reached bob, sent from the account
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        assertEquals("for " + account, received.get(0).subject());
        List<JsonNode> bobs = List.copyOf(sim.messages(SimulatedTenant.BOB, "inbox"));
        assertEquals(1, bobs.size());
        assertEquals(account, bobs.get(0).at("/from/emailAddress/address").asText());
        assertEquals(1, sim.countRequests("POST", "/users/" + account + "/sendMail"));

        // and Entra ID was asked once, with a client assertion and no secret (or the secret and no assertion)
        assertEquals(1, sim.tokenRequests());
        RecordedRequest token = tokenRequests().get(0);
        assertEquals("/" + SimulatedTenant.TENANT + "/oauth2/v2.0/token", token.path());
        String form = java.net.URLDecoder.decode(token.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(form.contains("grant_type=client_credentials"), form);
        assertEquals(certificate,
                form.contains("client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer"), form);
        assertEquals(certificate, form.contains("client_assertion=***"), form);
        assertEquals(!certificate, form.contains("client_secret=***"), form);
        assertTrue(form.contains(sim.baseUrl() + "/.default"), form);
        assertEquals(200, token.status());
    }

    @Test
    void readsThePfxFromCertificateFile() throws Exception {
        // given the .pfx on disk instead of inline
        Path pfx = Files.write(work.resolve("app.pfx"), REGISTERED.pkcs12(PASSWORD));
        context = tenant.context(null, c -> {
            certificateMode(c);
            c.setCertificate(null);
            c.setCertificateFile(pfx.toString());
        });
        context.start();

        // when the route sends a mail
        context.createProducerTemplate().sendBodyAndHeader("outlook365:mail/send", "from the file",
                Outlook365Constants.TO, SimulatedTenant.BOB);

        // then it went out with a certificate-signed token
        assertEquals(1, sim.messages(SimulatedTenant.BOB, "inbox").size());
        assertTrue(tokenRequests().get(0).body().contains("client_assertion=***"));
    }

    @Test
    void theConnectionKeyCarriesTheThumbprintNotThePassword() {
        Outlook365Configuration c = tenant.configuration();
        certificateMode(c);
        var settings = io.github.outlook365.camel.connection.ConnectionSettings.of(c);
        assertTrue(settings.key().contains(settings.auth().certificate().thumbprint()), settings.key());
        assertFalse(settings.key().contains(PASSWORD));
        assertFalse(settings.toString().contains(PASSWORD));
        assertFalse(settings.auth().certificate().toString().contains(PASSWORD));
        assertNull(settings.auth().clientSecret());
    }

    static Stream<Arguments> badCertificates() {
        String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";
        return Stream.of(
                bad("malformed base64", c -> c.setCertificate("not*base64%at all"),
                        "option certificate is not valid base64"),
                bad("PEM instead of PKCS#12", c -> c.setCertificate(pem), "option certificate holds PEM text"),
                bad("base64 of something else", c -> c.setCertificate(Base64.getEncoder().encodeToString(
                        "just some text, not a pfx".getBytes())), "option certificate is not a PKCS#12 (.pfx) file"),
                bad("wrong password", c -> c.setCertificatePassword("wrong-pfx-password"),
                        "option certificatePassword does not open the PKCS#12 in option certificate"),
                bad("no private key", c -> c.setCertificate(Base64.getEncoder().encodeToString(
                        REGISTERED.pkcs12WithoutKey(PASSWORD))), "holds no private key, only certificates"),
                bad("EC key", c -> c.setCertificate(TestCertificates.ec("ec-app").base64Pkcs12(PASSWORD)),
                        "need an RSA key"),
                bad("expired certificate", c -> c.setCertificate(EXPIRED.base64Pkcs12(PASSWORD)),
                        "expired on " + EXPIRED_UNTIL + " (valid from 2024-02-01T00:00:00Z to " + EXPIRED_UNTIL + ")"),
                bad("not yet valid certificate", c -> c.setCertificate(NOT_YET_VALID.base64Pkcs12(PASSWORD)),
                        "is not valid before " + FUTURE_FROM.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)),
                bad("no certificate", c -> c.setCertificate(null),
                        "option certificate (or certificateFile) is required with authMode=clientCertificate"),
                bad("both certificate and certificateFile", c -> c.setCertificateFile("/tmp/app.pfx"),
                        "options certificate and certificateFile are both set"),
                bad("certificateFile missing", c -> {
                    c.setCertificate(null);
                    c.setCertificateFile("/nonexistent/app.pfx");
                }, "option certificateFile='/nonexistent/app.pfx': no such file"),
                bad("missing account", c -> c.setAccount(null),
                        "option account is required with authMode=clientCertificate"),
                bad("tenantId=common", c -> c.setTenantId("common"),
                        "option tenantId='common' cannot be used with authMode=clientCertificate"),
                bad("certificate not uploaded to the app", c -> c.setCertificate(UNREGISTERED.base64Pkcs12(PASSWORD)),
                        "(invalid_client, AADSTS700027, HTTP 401): Entra ID does not accept the certificate's signature"),
                bad("wrong tenant", c -> c.setTenantId("fabrikam.onmicrosoft.com"), "AADSTS90002"),
                bad("unknown client", c -> c.setClientId("99999999-0000-0000-0000-000000000000"), "AADSTS700016"));
    }

    private static Arguments bad(String name, Consumer<Outlook365Configuration> change, String expected) {
        return Arguments.of(name, change, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCertificates")
    void aBadCertificateStopsTheRouteAtStartWithOneClearMessage(String name, Consumer<Outlook365Configuration> change,
                                                                 String expected) throws Exception {
        try (CapturedLogs logs = CapturedLogs.capture()) {
            // given a trigger connected with a bad certificate setting
            CamelContext bad = tenant.context(new RouteBuilder() {
                @Override
                public void configure() {
                    from("outlook365:mail/received?delay=100").to("log:never");
                }
            }, c -> {
                certificateMode(c);
                change.accept(c);
            });

            // when the context starts, then it refuses with a message naming what to fix
            Exception e = assertThrows(Exception.class, bad::start);
            String messages = causes(e);
            assertTrue(messages.contains(expected), "expected '" + expected + "' in: " + messages);
            // and nothing was half-started: no Graph request went out
            assertEquals(0, sim.countRequests(null, "^/v1.0/.*/messages"));
            bad.stop();

            // and neither the password nor the key material leaked
            for (String secret : List.of(PASSWORD, "wrong-pfx-password", REGISTERED.base64Pkcs12(PASSWORD).substring(0, 40))) {
                assertFalse(messages.contains(secret), "a secret leaked into: " + messages);
                assertTrue(logs.linesContaining(secret).isEmpty(), "a secret was logged");
            }
        }
    }

    @Test
    void secretsInEndpointUrisAreMaskedAndTheCertificateIsRefusedThere() throws Exception {
        try (CapturedLogs logs = CapturedLogs.capture()) {
            // given secrets written into endpoint URIs, as some users will
            context = tenant.context(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:send").to("outlook365:mail/send?certificatePassword=RAW(" + PASSWORD
                                           + ")&refreshToken=RAW(rt-DoNotLog)&tokenStoreKey=RAW(tsk-DoNotLog)");
                }
            }, ClientCertificateAuthTest::certificateMode);
            context.start();
            context.createProducerTemplate().sendBodyAndHeader("direct:send", "hi", Outlook365Constants.TO,
                    SimulatedTenant.BOB);

            // then neither Camel's view of the endpoints nor the logs show them
            String shown = context.getEndpoints().toString() + context.getRoutes().toString();
            for (String secret : List.of(PASSWORD, "rt-DoNotLog", "tsk-DoNotLog")) {
                assertFalse(shown.contains(secret), shown);
                assertTrue(logs.linesContaining(secret).isEmpty(), "logged: " + secret);
            }
            context.stop();

            // and the certificate itself, which Camel would not mask, is refused in a URI without echoing it
            String base64 = REGISTERED.base64Pkcs12(PASSWORD);
            CamelContext inline = tenant.context(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:send").to("outlook365:mail/send?certificate=RAW(" + base64 + ")");
                }
            }, ClientCertificateAuthTest::certificateMode);
            Exception e = assertThrows(Exception.class, inline::start);
            assertTrue(causes(e).contains("option certificate cannot be set in an endpoint URI"), causes(e));
            assertTrue(logs.linesContaining(base64.substring(0, 60)).isEmpty());
            // (Camel's own ResolveEndpointFailedException around it repeats the URI as written: only its sanitizer,
            // which does not know this option, could hide it)
            Throwable ours = e;
            while (ours.getCause() != null) {
                ours = ours.getCause();
            }
            assertFalse(ours.getMessage().contains(base64.substring(0, 60)), ours.getMessage());
            inline.stop();
        }
    }

    @Test
    void anExpiredClientSecretIsReportedAsSuch() throws Exception {
        // given an app whose only secret expired yesterday
        sim.registerApp(SimulatedTenant.TENANT, "33333333-4444-5555-6666-777777777777", "old-secret-Value",
                Instant.now().minusSeconds(86_400));
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=100").to("log:never");
            }
        }, c -> {
            c.setClientId("33333333-4444-5555-6666-777777777777");
            c.setClientSecret("old-secret-Value");
        });

        // when the trigger starts, then Entra's AADSTS7000222 becomes advice
        Exception e = assertThrows(Exception.class, context::start);
        assertTrue(causes(e).contains("(invalid_client, AADSTS7000222, HTTP 401): the client secret has expired"),
                causes(e));
        assertFalse(causes(e).contains("old-secret-Value"));
    }

    private List<RecordedRequest> tokenRequests() {
        return sim.requests().stream().filter(r -> r.path().endsWith("/oauth2/v2.0/token")).toList();
    }

    static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }
}

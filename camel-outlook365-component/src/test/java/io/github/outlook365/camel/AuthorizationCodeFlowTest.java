package io.github.outlook365.camel;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.github.outlook365.camel.auth.AuthMode;
import io.github.outlook365.camel.auth.DelegatedTokenProvider;
import io.github.outlook365.camel.auth.SignInRefusedException;
import io.github.outlook365.camel.connection.ConnectionUnavailableException;
import io.github.outlook365.camel.connection.ManagedConnection;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.RecordedRequest;
import io.github.outlook365.simulator.SimFault;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * authMode=authorizationCode end to end: the sign-in link, the simulator's sign-in page driven over HTTP, the callback,
 * then the trigger and the action acting as the signed-in user; the token store across restarts.
 */
class AuthorizationCodeFlowTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final String WEB_CLIENT = "44444444-5555-6666-7777-888888888888";
    static final String WEB_SECRET = "web~Secret.Value.DoNotLog";
    static final String REDIRECT = "https://camel.example.com/provisioning_/callback";
    static final String STORE_KEY = "token-store-key-DoNotLog-0123456789";
    static final String SALES = "sales@contoso.onmicrosoft.com";

    @TempDir
    Path work;

    private Outlook365Simulator sim;
    private SimulatedTenant tenant;
    private SignInBrowser browser;
    // the application's log, where the setup token a sign-in needs is written (logger outlook365.setup)
    private CapturedLogs log;
    private final List<CamelContext> contexts = new ArrayList<>();
    private final List<Message> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        sim = SIMULATOR.simulator();
        tenant = new SimulatedTenant(sim, work);
        sim.registerWebApp(SimulatedTenant.TENANT, WEB_CLIENT, WEB_SECRET, REDIRECT, null);
        sim.createMailbox(SimulatedTenant.TENANT, SALES, "Sales");
        sim.grantMailboxAccess(SALES, SimulatedTenant.ADA);
        browser = new SignInBrowser(sim);
        log = CapturedLogs.capture();
    }

    @AfterEach
    void tearDown() {
        contexts.forEach(CamelContext::stop);
        log.close();
    }

    /** What a user configures for a delegated connection; tenantId stays unset (common). */
    Consumer<Outlook365Configuration> delegated(String account) {
        return c -> {
            c.setAuthMode(AuthMode.authorizationCode);
            c.setTenantId(null);
            c.setClientId(WEB_CLIENT);
            c.setClientSecret(WEB_SECRET);
            c.setRedirectUri(REDIRECT);
            c.setAccount(account);
            c.setTokenStore(work.resolve("secrets/tokens.bin").toString());
            c.setTokenStoreKey(STORE_KEY);
        };
    }

    private CamelContext start(Consumer<Outlook365Configuration> configuration) throws Exception {
        CamelContext context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                // the trigger starts once someone signed in
                from("outlook365:mail/received?delay=100&initialDelay=0").routeId("received").autoStartup(false)
                        .process(e -> received.add(e.getMessage().getBody(Message.class)));
            }
        }, configuration);
        contexts.add(context);
        context.start();
        return context;
    }

    /**
     * The sign-in as a person does it: the setup token from the log, the start in the browser, Entra's page, the
     * callback from the same browser.
     */
    private Map<?, ?> signIn(CamelContext context, String user) throws Exception {
        return browser.signIn(context.createProducerTemplate(), setupToken(context), user);
    }

    /**
     * The current setup token, from the log (the connection opens, and says it, when the first route needs it). Once
     * someone signed in, the token is spent and the next one is written when asked for, as an operator does over JMX.
     */
    private String setupToken(CamelContext context) {
        context.createProducerTemplate().requestBody("outlook365:connection/check", null, Map.class);
        for (Outlook365Connection connection : context.getComponent("outlook365", Outlook365Component.class)
                .connections()) {
            if (connection.delegated() != null && connection.delegated().signedInUser() != null) {
                new ManagedConnection(connection).inviteSignIn();
            }
        }
        return SignInBrowser.setupToken(log);
    }

    @ParameterizedTest(name = "account={0}")
    @ValueSource(strings = { "", SALES })
    void aUserSignsInOverHttpAndTheRoutesActAsThatUser(String account) throws Exception {
        String mailbox = account.isEmpty() ? SimulatedTenant.ADA : account;
        CamelContext context = start(delegated(account.isEmpty() ? null : account));
        ProducerTemplate template = context.createProducerTemplate();

        // when the route hands out a sign-in link to the browser that brings the setup token
        Exchange started = template.request("outlook365:connection/authorizationUrl",
                e -> e.getMessage().setHeader("setupToken", setupToken(context)));
        String url = started.getMessage().getBody(String.class);
        browser.keep(started.getMessage().getHeader("Set-Cookie", String.class));

        // then the browser gets a cookie that binds the sign-in to it: HttpOnly, and for the https redirect URI Secure
        // and SameSite=None (Entra's answer is a cross-site form POST), on the redirect URI's folder, for 10 minutes
        assertTrue(started.getMessage().getHeader("Set-Cookie", String.class).matches("outlook365_signin_[0-9a-f]{16}="
                + "[A-Za-z0-9_-]{43}; Path=/provisioning_/; Max-Age=600; HttpOnly; Secure; SameSite=None"),
                started.getMessage().getHeader("Set-Cookie", String.class));
        assertNull(started.getMessage().getHeader("setupToken"), "the setup token goes no further");

        // and the link is Entra's authorize endpoint of the tenant 'common', with state, a PKCE S256 challenge, and the
        // answer posted back in a form
        URI link = URI.create(url);
        assertEquals(sim.baseUrl() + "/common/oauth2/v2.0/authorize", link.getScheme() + "://" + link.getAuthority()
                                                                       + link.getPath());
        Map<String, String> query = SignInBrowser.query(link);
        assertEquals("code", query.get("response_type"));
        assertEquals(WEB_CLIENT, query.get("client_id"));
        assertEquals(REDIRECT, query.get("redirect_uri"));
        assertEquals("S256", query.get("code_challenge_method"));
        assertEquals("form_post", query.get("response_mode"));
        assertEquals(43, query.get("code_challenge").length());
        assertTrue(query.get("state").length() >= 32);
        Set<String> scopes = Set.of(query.get("scope").split(" "));
        assertTrue(scopes.containsAll(Set.of("openid", "offline_access", "profile", "User.Read", "Mail.ReadWrite",
                "Mail.Send")), scopes.toString());
        assertEquals(!account.isEmpty(), scopes.contains("Mail.ReadWrite.Shared"), scopes.toString());

        // when ada signs in on the page and the callback reaches the route
        Map<String, String> callback = browser.signIn(url, SimulatedTenant.ADA, true);
        assertTrue(browser.lastPage.contains("Ada Lovelace"));
        assertEquals(query.get("state"), callback.get("state"));
        Map<?, ?> signedIn = browser.complete(template, callback);

        // then the connection is ada's, and the code was redeemed with the PKCE verifier
        assertEquals(SimulatedTenant.ADA, signedIn.get("username"));
        RecordedRequest redeem = tokenRequests().get(0);
        String form = URLDecoder.decode(redeem.body(), StandardCharsets.UTF_8);
        assertTrue(form.contains("grant_type=authorization_code"), form);
        assertTrue(form.contains("code_verifier="), form);
        assertTrue(form.contains("redirect_uri=" + REDIRECT), form);
        assertEquals(200, redeem.status());

        // when the trigger starts, a mail arrives and the route sends one
        context.getRouteController().startRoute("received");
        sim.deliver(mailbox, SimMail.from("carol@fabrikam.example", "Carol").to(mailbox).subject("to " + mailbox)
                .textBody("hi"));
        template.sendBodyAndHeader("outlook365:mail/send", "sent by ada", Outlook365Constants.TO, SimulatedTenant.BOB);

        // then both acted on the mailbox as ada: /me for her own, /users/{shared} for the shared one
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        assertEquals("to " + mailbox, received.get(0).subject());
        String path = account.isEmpty() ? "/v1.0/me/" : "/v1.0/users/" + account + "/";
        assertTrue(sim.countRequests("GET", "^" + path + "mailFolders/[^/]+/messages/delta") >= 1);
        assertEquals(1, sim.countRequests("POST", "^" + path + "sendMail$"));
        assertEquals(mailbox, sim.messages(SimulatedTenant.BOB, "inbox").get(0).at("/from/emailAddress/address").asText());
        // one sign-in, no further token requests: MSAL's cached token served the rest
        assertEquals(1, tokenRequests().size());
    }

    @Test
    void aSharedMailboxOnOneEndpointUsesTheSignInOfTheConnection() throws Exception {
        // given the connection set on the component without account, and a trigger on the shared mailbox
        CamelContext context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?account=" + SALES + "&delay=100&initialDelay=0").routeId("received")
                        .autoStartup(false).process(e -> received.add(e.getMessage().getBody(Message.class)));
            }
        }, delegated(null).andThen(c -> c.setScopes("User.Read Mail.ReadWrite Mail.Send Mail.ReadWrite.Shared")));
        contexts.add(context);
        context.start();

        // when ada signs in through the component's connection and the trigger starts
        signIn(context, SimulatedTenant.ADA);
        context.getRouteController().startRoute("received");
        sim.deliver(SALES, SimMail.from("carol@fabrikam.example", "Carol").to(SALES).subject("for sales").textBody("x"));

        // then the trigger reads the shared mailbox with ada's session: one sign-in, no second code
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        assertTrue(sim.countRequests("GET", "^/v1.0/users/" + SALES + "/mailFolders/") >= 1);
        assertEquals(1, tokenRequests().stream().filter(r -> r.body().contains("grant_type=authorization_code")).count());
    }

    @Test
    void aSignInAsAnotherUserIsRefusedAndTheConnectionKeepsItsUser() throws Exception {
        // given ada signed in
        CamelContext context = start(delegated(null));
        signIn(context, SimulatedTenant.ADA);

        // when bob signs in through the same connection
        Exception refused = assertThrows(Exception.class, () -> signIn(context, SimulatedTenant.BOB));

        // then the sign-in is refused with what to do, and the routes still act as ada
        SignInRefusedException e = assertInstanceOf(SignInRefusedException.class, refused.getCause());
        assertEquals(409, e.getHttpStatus());
        assertEquals("the sign-in was refused: this connection is signed in as " + SimulatedTenant.ADA + ", and "
                     + SimulatedTenant.BOB + " signed in; its routes would silently work on another mailbox. Sign in as "
                     + SimulatedTenant.ADA + ", or, to change the user on purpose, set allowAccountSwitch=true (or delete"
                     + " the token store) and sign in again", e.getMessage());
        context.createProducerTemplate().sendBodyAndHeader("outlook365:mail/send", "still from ada",
                Outlook365Constants.TO, SimulatedTenant.BOB);
        assertEquals(SimulatedTenant.ADA,
                sim.messages(SimulatedTenant.BOB, "inbox").get(0).at("/from/emailAddress/address").asText());
        Map<?, ?> check = context.createProducerTemplate().requestBody("outlook365:connection/check", null, Map.class);
        assertEquals(SimulatedTenant.ADA, check.get("user"));

        // and after a restart too: bob's tokens were not kept in the store
        context.stop();
        CamelContext restarted = start(delegated(null));
        Map<?, ?> after = restarted.createProducerTemplate().requestBody("outlook365:connection/check", null, Map.class);
        assertEquals(SimulatedTenant.ADA, after.get("user"));
    }

    @Test
    void withAllowAccountSwitchASignInAsAnotherUserReplacesTheUser() throws Exception {
        CamelContext context = start(delegated(null).andThen(c -> c.setAllowAccountSwitch(true)));
        signIn(context, SimulatedTenant.ADA);
        signIn(context, SimulatedTenant.BOB);

        context.createProducerTemplate().sendBodyAndHeader("outlook365:mail/send", "from bob now",
                Outlook365Constants.TO, SimulatedTenant.ADA);

        assertEquals(SimulatedTenant.BOB,
                sim.messages(SimulatedTenant.ADA, "inbox").get(0).at("/from/emailAddress/address").asText());
        Map<?, ?> check = context.createProducerTemplate().requestBody("outlook365:connection/check", null, Map.class);
        assertEquals(SimulatedTenant.BOB, check.get("user"));
    }

    static Stream<Arguments> usersTheConnectionDoesNotExpect() {
        return Stream.of(
                Arguments.of("expectedAccount", (Consumer<Outlook365Configuration>) c -> c.setExpectedAccount(SimulatedTenant.ADA),
                        "the sign-in was refused: " + SimulatedTenant.BOB + " signed in, but this connection accepts"
                        + " only " + SimulatedTenant.ADA + " (option expectedAccount). Sign out of Microsoft in this"
                        + " browser, open the sign-in page again and sign in as " + SimulatedTenant.ADA),
                Arguments.of("expectedTenant", (Consumer<Outlook365Configuration>) c -> c.setExpectedTenant("fabrikam.onmicrosoft.com"),
                        "the sign-in was refused: " + SimulatedTenant.BOB + " of tenant " + SimulatedTenant.TENANT
                        + " signed in, but this connection accepts only users of tenant fabrikam.onmicrosoft.com"
                        + " (option expectedTenant). Sign in with an account of that tenant"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("usersTheConnectionDoesNotExpect")
    void aFirstSignInAsAUserTheConnectionDoesNotExpectIsRefused(String option, Consumer<Outlook365Configuration> expectation,
                                                                String message) throws Exception {
        // given a connection nobody signed in to yet, which expects someone
        CamelContext context = start(delegated(null).andThen(expectation));

        // when bob signs in
        Exception refused = assertThrows(Exception.class, () -> signIn(context, SimulatedTenant.BOB));

        // then it is refused, and the connection still waits for a sign-in
        assertEquals(message, assertInstanceOf(SignInRefusedException.class, refused.getCause()).getMessage());
        Map<?, ?> check = context.createProducerTemplate().requestBody("outlook365:connection/check", null, Map.class);
        assertEquals("BROKEN", check.get("state"));
        assertTrue(String.valueOf(check.get("reason")).startsWith("nobody has signed in to this connection yet"),
                check.toString());
    }

    @Test
    void aSignInAsTheExpectedUserIsAccepted() throws Exception {
        CamelContext context = start(delegated(null).andThen(c -> {
            c.setExpectedAccount(SimulatedTenant.ADA.toUpperCase(java.util.Locale.ROOT));
            c.setExpectedTenant(SimulatedTenant.TENANT);
        }));

        Map<?, ?> signedIn = signIn(context, SimulatedTenant.ADA);

        assertEquals(SimulatedTenant.ADA, signedIn.get("username"));
    }

    @Test
    void aForgedOrReusedStateIsRefusedAndNothingIsRedeemed() throws Exception {
        CamelContext context = start(delegated(null));
        ProducerTemplate template = context.createProducerTemplate();
        String url = browser.start(template, setupToken(context));
        Map<String, String> callback = browser.signIn(url, SimulatedTenant.ADA, true);

        // a callback with a forged state is refused before the code is sent anywhere
        Exception forged = assertThrows(Exception.class, () -> browser.complete(template,
                Map.of("code", callback.get("code"), "state", "forged-state")));
        assertTrue(causes(forged).contains("the sign-in callback's state is not one this connection is waiting for"),
                causes(forged));
        // and the person in the browser is sent to the sign-in page beside the callback, not to a Camel endpoint
        assertTrue(causes(forged).contains("start again at the sign-in page (/provisioning_/signin)"),
                causes(forged));
        assertEquals(0, tokenRequests().size());

        // the genuine callback works once; replaying it is refused
        browser.complete(template, callback);
        Exception replay = assertThrows(Exception.class, () -> browser.complete(template, callback));
        assertTrue(causes(replay).contains("already used"), causes(replay));
        assertEquals(1, tokenRequests().size());
    }

    @Test
    void aSecondBrowserCannotCompleteASignInTheFirstOneStarted() throws Exception {
        // given a sign-in started in one browser (it holds the sign-in cookie), and its callback URL
        CamelContext context = start(delegated(null));
        ProducerTemplate template = context.createProducerTemplate();
        String url = browser.start(template, setupToken(context));
        assertEquals(1, browser.cookieCount());
        Map<String, String> callback = browser.signIn(url, SimulatedTenant.BOB, true);

        // when another browser (another cookie jar: no cookie, or a cookie of its own sign-in) brings that callback
        SignInBrowser other = new SignInBrowser(sim);
        Exception withoutCookie = assertThrows(Exception.class, () -> other.complete(template, callback));
        other.start(template, setupToken(context));
        Exception withItsOwnCookie = assertThrows(Exception.class, () -> other.complete(template, callback));

        // then it is refused before the code is redeemed, and nobody is signed in
        for (Exception e : List.of(withoutCookie, withItsOwnCookie)) {
            SignInRefusedException refused = assertInstanceOf(SignInRefusedException.class, e.getCause());
            assertEquals(400, refused.getHttpStatus());
            assertTrue(refused.getMessage().startsWith("the sign-in callback came from another browser than the one that"
                                                       + " started this sign-in"), refused.getMessage());
        }
        assertEquals(0, tokenRequests().size());
        assertEquals("BROKEN", template.requestBody("outlook365:connection/check", null, Map.class).get("state"));

        // and the browser that started it still can
        assertEquals(SimulatedTenant.BOB, browser.complete(template, callback).get("username"));
        assertEquals(0, browser.cookieCount(), "the callback clears the sign-in cookie");
    }

    @Test
    void startingASignInNeedsTheCurrentSetupToken() throws Exception {
        CamelContext context = start(delegated(null));
        ProducerTemplate template = context.createProducerTemplate();
        String first = setupToken(context);

        // without it, or with a wrong one, no sign-in starts
        for (String wrong : java.util.Arrays.asList(null, "", first + "x")) {
            Exception e = assertThrows(Exception.class, () -> browser.start(template, wrong));
            SignInRefusedException refused = assertInstanceOf(SignInRefusedException.class, e.getCause());
            assertEquals(403, refused.getHttpStatus());
            assertTrue(refused.getMessage().startsWith("this sign-in page needs the setup token: open the sign-in link"
                                                       + " from the application's log (logger outlook365.setup"),
                    refused.getMessage());
        }
        assertEquals(0, context.getComponent("outlook365", Outlook365Component.class).connections().iterator().next()
                .delegated().pendingSignIns());

        // with it, a sign-in completes; then that token is spent, and the log does not say the next one by itself
        browser.signIn(template, first, SimulatedTenant.ADA);
        Exception spent = assertThrows(Exception.class, () -> browser.start(template, first));
        assertEquals(403, assertInstanceOf(SignInRefusedException.class, spent.getCause()).getHttpStatus());
        assertEquals(first, SignInBrowser.setupToken(log), "no live setup token printed after a sign-in");

        // when an operator asks for it (JMX operation inviteSignIn), the log says the next one, and JMX does not
        Outlook365Connection connection = context.getComponent("outlook365", Outlook365Component.class).connections()
                .iterator().next();
        String answer = new ManagedConnection(connection).inviteSignIn();
        String next = SignInBrowser.setupToken(log);
        assertFalse(next.equals(first));
        assertFalse(answer.contains(next), answer);
        browser.start(template, next);
    }

    @Test
    void withoutRequireSetupTokenASignInStartsWithoutIt() throws Exception {
        CamelContext context = start(delegated(null).andThen(c -> c.setRequireSetupToken(false)));

        Map<?, ?> signedIn = browser.signIn(context.createProducerTemplate(), null, SimulatedTenant.ADA);

        assertEquals(SimulatedTenant.ADA, signedIn.get("username"));
        assertTrue(log.linesContaining("setupToken=").isEmpty(), "no setup token to log");
        assertFalse(log.linesContaining("requireSetupToken=false: the setup routes must be protected otherwise").isEmpty());
    }

    @Test
    void pendingSignInsAreCappedAndExpire() throws Exception {
        // given a connection's sign-in provider on a clock the test moves, and 21 sign-ins started in 21 browsers
        MutableClock clock = new MutableClock();
        DelegatedTokenProvider provider = new DelegatedTokenProvider(
                io.github.outlook365.camel.connection.ConnectionSettings.of(configured(delegated(null))).auth(),
                new io.github.outlook365.camel.auth.MemoryTokenStore(),
                java.net.http.HttpClient.newBuilder().sslContext(sim.clientSslContext()).build(), clock);
        provider.inviteSignIn("test");
        String token = SignInBrowser.setupToken(log);
        List<DelegatedTokenProvider.SignInRequest> started = new ArrayList<>();
        for (int i = 0; i < 21; i++) {
            started.add(provider.startSignIn(token));
        }

        // then 20 wait; the oldest gave way
        assertEquals(20, provider.pendingSignIns());
        SignInRefusedException oldest = assertThrows(SignInRefusedException.class,
                () -> provider.completeAuthorization("code", started.get(0).state(), cookie(started.get(0))));
        assertTrue(oldest.getMessage().contains("not one this connection is waiting for"), oldest.getMessage());

        // and when 10 minutes have passed, none does
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        assertEquals(0, provider.pendingSignIns());
        SignInRefusedException expired = assertThrows(SignInRefusedException.class,
                () -> provider.completeAuthorization("code", started.get(20).state(), cookie(started.get(20))));
        assertTrue(expired.getMessage().contains("older than 10 minutes"), expired.getMessage());
        assertEquals(0, tokenRequests().size());
    }

    /** The Cookie header a browser sends back for the sign-in cookie it was given. */
    private static String cookie(DelegatedTokenProvider.SignInRequest request) {
        java.net.HttpCookie cookie = java.net.HttpCookie.parse(request.setCookie()).get(0);
        return cookie.getName() + "=" + cookie.getValue();
    }

    private Outlook365Configuration configured(Consumer<Outlook365Configuration> customize) {
        Outlook365Configuration c = tenant.configuration();
        customize.accept(c);
        return c;
    }

    /** A clock a test moves forward. */
    static final class MutableClock extends java.time.Clock {
        private volatile java.time.Instant now = java.time.Instant.now();

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }
    }

    @Test
    void aDeclinedConsentIsReportedByTheCallback() throws Exception {
        CamelContext context = start(delegated(null));
        ProducerTemplate template = context.createProducerTemplate();
        String url = browser.start(template, setupToken(context));
        Map<String, String> callback = browser.signIn(url, SimulatedTenant.ADA, false);

        Exception e = assertThrows(Exception.class, () -> browser.complete(template, callback));
        assertTrue(causes(e).contains("the sign-in did not complete: Entra ID answered access_denied (AADSTS65004"),
                causes(e));
    }

    @Test
    void afterARestartNoNewSignInIsNeeded() throws Exception {
        // given ada signed in, and the application stopped
        CamelContext first = start(delegated(null));
        signIn(first, SimulatedTenant.ADA);
        first.stop();
        Path store = work.resolve("secrets/tokens.bin");
        assertTrue(Files.exists(store));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
        String raw = new String(Files.readAllBytes(store), StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains("RefreshToken") || raw.contains(SimulatedTenant.ADA), "the store is not encrypted");

        // when it starts again, with tokens that expired meanwhile
        sim.setTokenLifetime(Duration.ofMinutes(3));
        CamelContext second = start(delegated(null));
        long before = tokenRequests().size();
        second.createProducerTemplate().sendBodyAndHeader("outlook365:mail/send", "after restart",
                Outlook365Constants.TO, SimulatedTenant.BOB);

        // then the mail went out as ada, with tokens from the stored refresh token (no authorization code)
        assertEquals(SimulatedTenant.ADA,
                sim.messages(SimulatedTenant.BOB, "inbox").get(0).at("/from/emailAddress/address").asText());
        assertEquals(1, tokenRequests().stream().filter(r -> r.body().contains("grant_type=authorization_code")).count());
        assertTrue(tokenRequests().size() <= before + 1);
    }

    @Test
    void aRefreshedTokenRotatesAndTheNewOneIsStored() throws Exception {
        // given tokens that live shorter than the refresh margin, so each use refreshes
        sim.setTokenLifetime(Duration.ofMinutes(3));
        CamelContext first = start(delegated(null));
        signIn(first, SimulatedTenant.ADA);
        ProducerTemplate template = first.createProducerTemplate();

        // when two mails are sent
        template.sendBodyAndHeader("outlook365:mail/send", "one", Outlook365Constants.TO, SimulatedTenant.BOB);
        template.sendBodyAndHeader("outlook365:mail/send", "two", Outlook365Constants.TO, SimulatedTenant.BOB);

        // then each use refreshed (the start-time permission check and the two sends) with the latest refresh token
        // (the simulator retires used ones), and exactly one works now
        assertEquals(3, tokenRequests().stream().filter(r -> r.body().contains("grant_type=refresh_token")
                                                           && r.status() == 200).count());
        assertEquals(1, sim.activeRefreshTokens(SimulatedTenant.ADA));
        first.stop();

        // and a restart finds the latest one in the store
        CamelContext second = start(delegated(null));
        second.createProducerTemplate().sendBodyAndHeader("outlook365:mail/send", "three", Outlook365Constants.TO,
                SimulatedTenant.BOB);
        assertEquals(3, sim.messages(SimulatedTenant.BOB, "inbox").size());
    }

    @Test
    void aTokenStoreBeanKeepsTheTokensWhereTheUserWants() throws Exception {
        // given a store of the user's own (a vault, a database), bound as a bean
        Map<String, String> vault = new java.util.concurrent.ConcurrentHashMap<>();
        io.github.outlook365.camel.auth.TokenStore store = new io.github.outlook365.camel.auth.TokenStore() {
            @Override
            public String load(String connectionId) {
                return vault.get(connectionId);
            }

            @Override
            public void save(String connectionId, String serializedCache) {
                vault.put(connectionId, serializedCache);
            }
        };
        Consumer<Outlook365Configuration> withBean = delegated(null).andThen(c -> {
            c.setTokenStore("#vault");
            c.setTokenStoreKey(null);
        });
        CamelContext first = tenant.context(null, withBean);
        first.getRegistry().bind("vault", store);
        contexts.add(first);
        first.start();

        // when ada signs in, then MSAL's cache went to the bean (under a key naming the app, no secret in it)
        signIn(first, SimulatedTenant.ADA);
        assertEquals(1, vault.size());
        String id = vault.keySet().iterator().next();
        assertTrue(id.contains(WEB_CLIENT) && !id.contains(WEB_SECRET), id);
        assertTrue(vault.get(id).contains("RefreshToken"), "MSAL's serialized cache");
        first.stop();

        // and another application instance with the same bean needs no sign-in
        CamelContext second = tenant.context(null, withBean);
        second.getRegistry().bind("vault", store);
        contexts.add(second);
        second.start();
        second.createProducerTemplate().sendBodyAndHeader("outlook365:mail/send", "via the vault",
                Outlook365Constants.TO, SimulatedTenant.BOB);
        assertEquals(1, sim.messages(SimulatedTenant.BOB, "inbox").size());
    }

    static Stream<Arguments> brokenStores() {
        return Stream.of(
                Arguments.of("a changed byte", (StoreDamage) (file, c) -> {
                    byte[] bytes = Files.readAllBytes(file);
                    bytes[bytes.length - 5] ^= 0x01;
                    Files.write(file, bytes);
                }, "cannot be decrypted with tokenStoreKey: the key is not the one the file was written with, or the"
                   + " file was changed"),
                Arguments.of("another key", (StoreDamage) (file, c) -> c.setTokenStoreKey("another-key-0123456789abcdef"),
                        "cannot be decrypted with tokenStoreKey"),
                Arguments.of("not a token store", (StoreDamage) (file, c) -> Files.writeString(file, "{\"hello\":1}"),
                        "is not a camel-outlook365 token store"));
    }

    interface StoreDamage {
        void apply(Path file, Outlook365Configuration configuration) throws Exception;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenStores")
    void aTamperedOrWronglyKeyedStoreIsRefusedAtStart(String name, StoreDamage damage, String expected) throws Exception {
        // given a store written by a signed-in connection
        CamelContext first = start(delegated(null));
        signIn(first, SimulatedTenant.ADA);
        first.stop();
        Path store = work.resolve("secrets/tokens.bin");

        // when it is damaged and the application starts with a route that sends mail
        CamelContext second = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to("outlook365:mail/send");
            }
        }, c -> {
            delegated(null).accept(c);
            try {
                damage.apply(store, c);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        contexts.add(second);

        // then the start is refused with what to do, never silently ignored
        Exception e = assertThrows(Exception.class, second::start);
        assertTrue(causes(e).contains(expected), causes(e));
        assertTrue(causes(e).contains("option tokenStore='" + store.toAbsolutePath() + "'"), causes(e));
        assertFalse(causes(e).contains(STORE_KEY));
    }

    @Test
    void aRefreshTokenSeedsAHeadlessDeployment() throws Exception {
        // given a refresh token obtained elsewhere, and no token store yet
        String seed = sim.issueRefreshToken(SimulatedTenant.TENANT, WEB_CLIENT, SimulatedTenant.ADA,
                Set.of("User.Read", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"));
        try (CapturedLogs logs = CapturedLogs.capture()) {
            CamelContext context = start(delegated(null).andThen(c -> c.setRefreshToken(seed)));

            // when the route sends mail, without anyone signing in
            context.createProducerTemplate().sendBodyAndHeader("outlook365:mail/send", "headless",
                    Outlook365Constants.TO, SimulatedTenant.BOB);

            // then it went out as ada, the seed was redeemed once and rotated into the store
            assertEquals(SimulatedTenant.ADA,
                    sim.messages(SimulatedTenant.BOB, "inbox").get(0).at("/from/emailAddress/address").asText());
            assertEquals(1, tokenRequests().stream().filter(r -> r.body().contains("grant_type=refresh_token")).count());
            assertTrue(Files.exists(work.resolve("secrets/tokens.bin")));
            assertTrue(logs.linesContaining(seed).isEmpty(), "the refresh token was logged");
        }
    }

    @Test
    void aRefreshTokenSeedIsKeptWhenEntraIdGaveNoAnswer() throws Exception {
        // given a seed, and Entra ID's first answer stalling half-way (a network failure, no refusal)
        String seed = sim.issueRefreshToken(SimulatedTenant.TENANT, WEB_CLIENT, SimulatedTenant.ADA,
                Set.of("User.Read", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"));
        sim.injectFault(SimFault.stalledBody("POST", "/oauth2/v2.0/token$", 1, Duration.ofSeconds(60)));
        CamelContext context = start(delegated(null).andThen(c -> {
            c.setRefreshToken(seed);
            c.setRequestTimeout(3000);
            c.setReconnectDelay(100);
        }));
        ProducerTemplate template = context.createProducerTemplate();

        // when the first token request (the permission check of the send's start) fails on the deadline, which fails
        // no start (the connection is DEGRADED), and the route sends after the backoff step (a send during the backoff
        // is refused with ConnectionUnavailableException: the next attempt comes later)
        await().atMost(Duration.ofSeconds(60))
                .ignoreExceptionsMatching(AuthorizationCodeFlowTest::connectionUnavailable)
                .untilAsserted(() -> template.sendBodyAndHeader("outlook365:mail/send", "second",
                        Outlook365Constants.TO, SimulatedTenant.BOB));

        // then the seed was redeemed at the second attempt: no one had to sign in
        List<RecordedRequest> redeemed = tokenRequests().stream()
                .filter(r -> r.body().contains("grant_type=refresh_token")).toList();
        assertEquals(List.of(200, 200), redeemed.stream().map(RecordedRequest::status).toList());
        assertTrue(redeemed.stream().allMatch(r -> URLDecoder.decode(r.body(), StandardCharsets.UTF_8)
                .contains("refresh_token=" + seed)), "both attempts carried the seed");
        assertEquals(SimulatedTenant.ADA,
                sim.messages(SimulatedTenant.BOB, "inbox").get(0).at("/from/emailAddress/address").asText());
    }

    /** A send refused while the connection waits for its next attempt (DEGRADED, in its backoff). */
    private static boolean connectionUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectionUnavailableException) {
                return true;
            }
        }
        return false;
    }

    @Test
    void aRevokedSignInBreaksTheConnectionWithAClearMessage() throws Exception {
        // given ada signed in and the route sent a mail
        CamelContext context = start(delegated(null));
        signIn(context, SimulatedTenant.ADA);
        ProducerTemplate template = context.createProducerTemplate();
        template.sendBodyAndHeader("outlook365:mail/send", "before", Outlook365Constants.TO, SimulatedTenant.BOB);

        // when an admin revokes ada's sessions
        sim.revokeSignInSessions(SimulatedTenant.TENANT, SimulatedTenant.ADA);

        // then the next send fails (Graph refuses the token, the refresh is refused) and says to sign in again
        Exception e = assertThrows(Exception.class, () -> template.sendBodyAndHeader("outlook365:mail/send", "after",
                Outlook365Constants.TO, SimulatedTenant.BOB));
        assertTrue(causes(e).contains("(invalid_grant, AADSTS50173): the user's sign-in was revoked"),
                causes(e));
        assertTrue(causes(e).contains("someone must sign in again at the sign-in page (/provisioning_/signin)"),
                causes(e));

        // and asking again does not hammer Entra ID: the refusal stands until someone signs in
        long refreshes = tokenRequests().stream().filter(r -> r.body().contains("grant_type=refresh_token")).count();
        assertThrows(Exception.class, () -> template.sendBodyAndHeader("outlook365:mail/send", "again",
                Outlook365Constants.TO, SimulatedTenant.BOB));
        assertEquals(refreshes,
                tokenRequests().stream().filter(r -> r.body().contains("grant_type=refresh_token")).count());

        // and a new sign-in repairs it
        signIn(context, SimulatedTenant.ADA);
        template.sendBodyAndHeader("outlook365:mail/send", "repaired", Outlook365Constants.TO, SimulatedTenant.BOB);
        assertEquals(2, sim.messages(SimulatedTenant.BOB, "inbox").size());
    }

    @Test
    void anExpiredRefreshTokenSaysSo() throws Exception {
        sim.setTokenLifetime(Duration.ofMinutes(3));
        CamelContext context = start(delegated(null));
        signIn(context, SimulatedTenant.ADA);
        sim.expireRefreshTokens(SimulatedTenant.TENANT, SimulatedTenant.ADA);

        Exception e = assertThrows(Exception.class, () -> context.createProducerTemplate()
                .sendBodyAndHeader("outlook365:mail/send", "x", Outlook365Constants.TO, SimulatedTenant.BOB));
        assertTrue(causes(e).contains("AADSTS70008"), causes(e));
        assertTrue(causes(e).contains("someone must sign in again"), causes(e));
    }

    @Test
    void theAdminConsentLinkLeadsBackWithAdminConsentTrue() throws Exception {
        CamelContext context = start(delegated(null).andThen(c -> c.setTenantId(SimulatedTenant.TENANT)));
        String url = context.createProducerTemplate().requestBody("outlook365:connection/adminConsentUrl", null,
                String.class);
        assertEquals(sim.baseUrl() + "/" + SimulatedTenant.TENANT + "/adminconsent?client_id=" + WEB_CLIENT
                     + "&redirect_uri=" + java.net.URLEncoder.encode(REDIRECT, StandardCharsets.UTF_8), url);

        URI back = browser.follow(url);

        assertTrue(back.toString().startsWith(REDIRECT + "?"), back.toString());
        assertEquals("True", SignInBrowser.query(back).get("admin_consent"));
        assertTrue(sim.adminConsented(SimulatedTenant.TENANT, WEB_CLIENT));
    }

    @Test
    void checkSaysWhoTheConnectionIsAndWhatItMayDo() throws Exception {
        CamelContext context = start(delegated(SALES));
        signIn(context, SimulatedTenant.ADA);

        Map<?, ?> check = context.createProducerTemplate().requestBody("outlook365:connection/check", null, Map.class);

        assertEquals("authorizationCode", check.get("authMode"));
        assertEquals(SimulatedTenant.ADA, check.get("user"));
        assertEquals(SALES, check.get("mailbox"));
        assertTrue(((List<?>) check.get("granted")).contains("Mail.ReadWrite.Shared"), check.toString());
        assertEquals(List.of(), check.get("missing"));
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of("no redirectUri", (Consumer<Outlook365Configuration>) c -> c.setRedirectUri(null),
                        "option redirectUri is required with authMode=authorizationCode"),
                Arguments.of("http redirectUri", (Consumer<Outlook365Configuration>) c -> c
                        .setRedirectUri("http://camel.example.com/cb"), "must be an absolute https URL"),
                Arguments.of("no clientSecret", (Consumer<Outlook365Configuration>) c -> c.setClientSecret(null),
                        "option clientSecret is required with authMode=authorizationCode"),
                Arguments.of("tokenStore without a key", (Consumer<Outlook365Configuration>) c -> c.setTokenStoreKey(null),
                        "option tokenStoreKey is required with tokenStore="),
                Arguments.of("short key", (Consumer<Outlook365Configuration>) c -> c.setTokenStoreKey("short"),
                        "option tokenStoreKey is too short (5 characters)"),
                Arguments.of("app-only scope", (Consumer<Outlook365Configuration>) c -> c
                        .setScopes("https://graph.microsoft.com/.default"), "an app-only scope"),
                Arguments.of("unknown token store bean", (Consumer<Outlook365Configuration>) c -> c.setTokenStore("#vault"),
                        "option tokenStore='#vault': there is no bean 'vault'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void badDelegatedOptionsStopTheRouteAtStart(String name, Consumer<Outlook365Configuration> change, String expected)
            throws Exception {
        CamelContext context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:link").to("outlook365:connection/authorizationUrl");
            }
        }, delegated(null).andThen(change));
        contexts.add(context);
        Exception e = assertThrows(Exception.class, context::start);
        assertTrue(causes(e).contains(expected), causes(e));
        assertFalse(causes(e).contains(WEB_SECRET) || causes(e).contains(STORE_KEY));
    }

    @Test
    void noSecretTokenOrCodeReachesTheLogs() throws Exception {
        try (CapturedLogs logs = CapturedLogs.capture()) {
            CamelContext context = start(delegated(null));
            ProducerTemplate template = context.createProducerTemplate();
            String url = browser.start(template, setupToken(context));
            Map<String, String> callback = browser.signIn(url, SimulatedTenant.ADA, true);
            browser.complete(template, callback);
            context.getRouteController().startRoute("received");
            template.sendBodyAndHeader("outlook365:mail/send", "hello", Outlook365Constants.TO, SimulatedTenant.ADA);
            await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
            context.stop();

            List<String> secrets = new ArrayList<>(List.of(WEB_SECRET, STORE_KEY, callback.get("code")));
            for (RecordedRequest r : sim.requests()) {
                String authorization = r.header("Authorization");
                if (authorization != null && authorization.startsWith("Bearer ")) {
                    secrets.add(authorization.substring(7));
                }
            }
            assertTrue(secrets.size() > 3);
            for (String secret : secrets) {
                assertTrue(logs.linesContaining(secret).isEmpty(), "a secret, token or code was logged");
            }
            assertTrue(logs.linesContaining("refresh_token\":").isEmpty() && logs.linesContaining("\"secret\"").isEmpty(),
                    "a serialized token cache was logged");
        }
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

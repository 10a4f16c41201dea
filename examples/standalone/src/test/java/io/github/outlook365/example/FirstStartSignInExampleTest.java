package io.github.outlook365.example;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.SimMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The first start of a delegated connection, before anyone signed in, on camel-main with the project's
 * routes/connection-setup.camel.yaml and routes/refresh-recovery.camel.yaml over real HTTP: the application comes up,
 * the alert and the health check say nobody signed in yet with the sign-in page's link, the page needs the setup token
 * from the log, the sign-in belongs to the browser (cookie jar) that started it, the connection turns CONNECTED, and
 * routes/mail-received.camel.yaml fires for mail that arrives right after the sign-in, once.
 */
class FirstStartSignInExampleTest {

    private static final String CAROL = "carol@fabrikam.example";

    private final StandaloneExample example = new StandaloneExample();
    private CapturedLogs log;
    private int port;
    private Outlook365Simulator sim;

    @BeforeEach
    void startWithNobodySignedIn() throws Exception {
        log = CapturedLogs.capture();
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        example.httpPort(port);
        // the example's web app on the simulator, without the refresh token it seeds the connection with: nobody has
        // signed in yet, and there is no token store
        example.configure(null, "authorizationCode");
        example.main().getOverrideProperties().remove("camel.component.outlook365.refreshToken");
        example.main().addOverrideProperty("camel.main.routes-include-pattern",
                "classpath:routes/connection-setup.camel.yaml,classpath:routes/refresh-recovery.camel.yaml,"
                + "classpath:routes/mail-received.camel.yaml");
        // polls far enough apart that mail delivered right after the sign-in arrives before the trigger's first poll
        example.main().addOverrideProperty("outlook365.example.pollDelay", "2000");
        example.main().addOverrideProperty("camel.health.exposureLevel", "full");
        sim = example.simulator();
    }

    @AfterEach
    void stop() {
        example.main().stop();
        example.close();
        log.close();
    }

    @Test
    void theApplicationComesUpSaysNobodySignedInAndTheBrowserThatStartedTheSignInCompletesItThenMailFires()
            throws Exception {
        // when camel-main starts
        example.main().start();

        // then it runs: the connection and the recovery route say that nobody signed in yet, with the sign-in page
        String signInPage = "http://localhost:" + port + "/provisioning_/signin";
        await().atMost(Duration.ofSeconds(60)).until(() -> !log.linesContaining("SIGN-IN NEEDED").isEmpty());
        String needed = log.linesContaining("SIGN-IN NEEDED").get(0);
        assertTrue(needed.startsWith("outlook365.recovery SIGN-IN NEEDED: nobody has signed in to the Outlook 365"
                                     + " connection "), needed);
        assertTrue(needed.endsWith("(logger outlook365.setup): " + signInPage), needed);
        assertEquals(List.of(), log.linesContaining("ALERT:"), "a first start is no failure");
        assertEquals(1, log.linesContaining("waits for its first sign-in at " + signInPage + " (BROKEN until then)")
                .size(), "the connection says it once");
        assertEquals(1, log.linesContaining("outlook365:mail/received 'inbox' waits for its connection: nobody has"
                                            + " signed in to this connection yet").size(), "the trigger says it once");
        SimulatedBrowser browser = new SimulatedBrowser(sim);
        HttpResponse<String> health = browser.get("http://localhost:" + port + "/observe/health");
        assertEquals(503, health.statusCode(), health.body());
        String shown = health.body().replace("\\", "");
        assertTrue(shown.contains("nobody has signed in to this connection yet") && shown.contains(signInPage), shown);
        assertEquals(0, sim.tokenRequests(), "nobody to ask a token for");

        // when a person opens the sign-in link the setup log shows, in a browser
        HttpResponse<String> start = browser.get(signInPage + "?setupToken=" + SimulatedBrowser.setupToken(log));
        assertEquals(302, start.statusCode(), start.body());
        SimulatedBrowser.Callback callback = browser.signInAtMicrosoft(start.headers().firstValue("Location").orElseThrow(),
                StandaloneExample.SIMULATED_MAILBOX);

        // then another browser cannot complete that sign-in
        HttpResponse<String> elsewhere = new SimulatedBrowser(sim).comeBack(callback);
        assertEquals(400, elsewhere.statusCode(), elsewhere.body());
        assertTrue(elsewhere.body().contains("came from another browser"), elsewhere.body());
        assertEquals(0, sim.tokenRequests(), "the code was not redeemed for another browser");

        // and the one that started it does: the connection works, the recovery route says so, health is UP
        HttpResponse<String> connected = browser.comeBack(callback);
        assertEquals(200, connected.statusCode(), connected.body());
        assertTrue(connected.body().contains("Signed in as " + StandaloneExample.SIMULATED_MAILBOX), connected.body());

        // and mail delivered right after the callback, before the trigger's first poll, fires once
        sim.deliver(StandaloneExample.SIMULATED_MAILBOX, SimMail.from(CAROL, "Carol").subject("Right after the sign-in")
                .textBody("Hello"));
        String received = "Received mail from " + CAROL + ": 'Right after the sign-in'";
        await().atMost(Duration.ofSeconds(60)).until(() -> log.linesContaining(received).size() == 1);
        long polls = sim.countRequests("GET", "/messages/delta");
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.countRequests("GET", "/messages/delta") >= polls + 2);
        assertEquals(1, log.linesContaining(received).size(), "once");

        await().atMost(Duration.ofSeconds(60)).until(() -> !log.linesContaining("CONNECTED: the Outlook 365").isEmpty());
        assertTrue(log.linesContaining("CONNECTED: the Outlook 365").get(0).contains("(first sign-in as "
                                                                                   + StandaloneExample.SIMULATED_MAILBOX
                                                                                   + "); its triggers start watching now"));
        assertEquals(1, log.linesContaining(" is CONNECTED (was BROKEN): first sign-in as "
                                            + StandaloneExample.SIMULATED_MAILBOX).size());
        assertEquals(1, log.linesContaining("outlook365:mail/received watches 'inbox' of "
                                            + StandaloneExample.SIMULATED_MAILBOX + " from ").size());
        assertEquals(200, browser.get("http://localhost:" + port + "/observe/health").statusCode());

        // and the log a first-time user reads holds no failure, no stack trace, no secret and no live state
        String all = String.join("\n", log.lines());
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "first-start.log"), all);
        assertFalse(all.contains("resuming from its stored cursor"), "nothing to resume on a first start");
        assertEquals(1, log.linesContaining("/provisioning_/signin?setupToken=").size(),
                "the setup token is printed once, not again after the sign-in spent it");
        assertFalse(all.contains("\tat "), "no stack trace");
        assertFalse(all.contains(" is BROKEN (was "), "a first start is not reported as a failure");
        assertFalse(all.contains(example.simulatedClientSecret()), "no client secret");
        assertFalse(all.contains("oauth2/v2.0/authorize?"), "no live authorize URL in the log");
        assertFalse(java.util.regex.Pattern.compile("eyJ[A-Za-z0-9_-]+\\.eyJ").matcher(all).find()
                    || all.contains("refresh_token"), "no token");
    }

    @Test
    void theCallbackPageEscapesTheUserNameAndItsErrorsForgeNoLogLine() throws Exception {
        // given a user whose name is markup
        String marked = "x<img src=y onerror=alert(1)>@contoso.onmicrosoft.com";
        sim.createMailbox(StandaloneExample.SIMULATED_TENANT, marked, "Mark Up");
        example.main().start();
        SimulatedBrowser browser = new SimulatedBrowser(sim);

        // when they sign in, the page shows the name as text
        await().atMost(Duration.ofSeconds(30)).until(() -> !log.linesContaining("setupToken=").isEmpty());
        HttpResponse<String> start = browser.get("http://localhost:" + port + "/provisioning_/signin?setupToken="
                                                  + SimulatedBrowser.setupToken(log));
        SimulatedBrowser.Callback callback = browser.signInAtMicrosoft(start.headers().firstValue("Location").orElseThrow(), marked);
        HttpResponse<String> page = browser.comeBack(callback);
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("Signed in as x&lt;img src=y onerror=alert(1)&gt;@contoso.onmicrosoft.com"),
                page.body());
        assertFalse(page.body().contains("<img"), page.body());

        // when a callback brings an error and a description with line breaks, the log line stays one line
        HttpResponse<String> forged = browser.get("http://localhost:" + port + "/provisioning_/callback?error="
                                                   + URLEncoder.encode("access_denied\r\nERROR forged line",
                                                           StandardCharsets.UTF_8)
                                                   + "&error_description=" + URLEncoder.encode("declined\u2028more",
                                                           StandardCharsets.UTF_8));
        assertEquals(400, forged.statusCode(), forged.body());
        assertEquals(List.of("text/plain; charset=utf-8"), forged.headers().allValues("Content-Type"));
        List<String> warned = log.linesContaining("the sign-in did not complete");
        assertEquals(1, warned.size(), String.join("\n", warned));
        assertTrue(warned.get(0).contains("Entra ID answered access_denied  ERROR forged line (declined more)"),
                warned.get(0));
        assertFalse(warned.get(0).contains("\n") || warned.get(0).contains("\r") || warned.get(0).contains("\u2028"));
    }

    @Test
    void theReturnFromTheAdminConsentPageSaysWhatComesNextInsteadOfRefusingASignIn() throws Exception {
        example.main().start();
        SimulatedBrowser browser = new SimulatedBrowser(sim);

        // when Entra ID sends the admin back from the consent page the example links (/provisioning_/adminconsent)
        HttpResponse<String> back = browser.get("http://localhost:" + port + "/provisioning_/callback?admin_consent=True"
                                                + "&tenant=" + StandaloneExample.SIMULATED_TENANT);

        // then the page says where to go next, and nothing is logged as a refused sign-in; nor above DEBUG at all, as
        // anyone can send this request as often as they like (LogFloodExampleTest)
        assertEquals(200, back.statusCode(), back.body());
        assertEquals(List.of("text/plain; charset=utf-8"), back.headers().allValues("Content-Type"));
        assertTrue(back.body().startsWith("Back from Microsoft's admin consent page."), back.body());
        assertTrue(back.body().contains("/provisioning_/signin?setupToken="), back.body());
        assertEquals(List.of(), log.linesContaining("sign-in refused"));
        assertEquals(List.of(), log.linesContaining("Refused a sign-in"));
        assertEquals(List.of(), log.linesContaining("admin consent page returned to the callback"));
        assertEquals(0, sim.tokenRequests());
    }
}

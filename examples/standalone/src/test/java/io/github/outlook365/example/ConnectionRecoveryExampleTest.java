package io.github.outlook365.example;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The walk-through of docs/lifecycle.md, end to end through the YAML routes of the running example
 * (authMode=authorizationCode on the embedded simulator): mail keeps arriving; the simulator's control API revokes the
 * user's sign-in; the connection turns BROKEN, /observe/health says DOWN with the reason and
 * routes/refresh-recovery.camel.yaml logs an alert with the sign-in page's link; the page is opened with the setup
 * token from the log, in a browser that keeps cookies, and the user signs in on the simulator's page;
 * routes/connection-setup.camel.yaml's callback completes the sign-in for that browser only; the connection is
 * CONNECTED and every mail that arrived meanwhile is delivered exactly once.
 */
class ConnectionRecoveryExampleTest {

    private static final Pattern LINK = Pattern.compile("Fix it here:\\s+(\\S+)");

    private final StandaloneExample example = new StandaloneExample();
    private final List<String> subjects = new CopyOnWriteArrayList<>();
    private final List<String> ids = new CopyOnWriteArrayList<>();
    private final List<String> alerts = new CopyOnWriteArrayList<>();
    private final List<String> states = new CopyOnWriteArrayList<>();

    private final CapturedLogs log = CapturedLogs.capture();

    @AfterEach
    void tearDown() {
        example.main().stop();
        example.close();
        log.close();
    }

    @Test
    void revokedSignInAlertsWithALinkAndSigningInAgainResumesEveryTriggerWithNothingLostOrRepeated() throws Exception {
        // given the example in authorizationCode mode, receiving its own demo mails
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        example.httpPort(port);
        example.configure(null, "authorizationCode");
        example.main().addOverrideProperty("outlook365.example.pollDelay", "200");
        example.main().addOverrideProperty("outlook365.example.sendEvery", "500");
        example.main().addOverrideProperty("camel.component.outlook365.reconnectDelay", "300");
        example.main().addOverrideProperty("camel.component.outlook365.reconnectMaxDelay", "1500");
        example.main().addOverrideProperty("camel.health.exposureLevel", "full");
        example.main().start();
        CamelContext context = example.main().getCamelContext();
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeCompletedEvent done) {
                    var message = done.getExchange().getMessage();
                    if ("log-received-mail".equals(done.getExchange().getFromRouteId())) {
                        ids.add(message.getHeader("CamelOutlook365MessageId", String.class));
                        subjects.add(message.getHeader("CamelOutlook365Subject", String.class));
                    } else if ("connection-recovery".equals(done.getExchange().getFromRouteId())) {
                        states.add(message.getHeader("CamelOutlook365ConnectionState", String.class));
                        if ("BROKEN".equals(message.getHeader("CamelOutlook365ConnectionState"))) {
                            alerts.add(message.getBody(String.class));
                        }
                    }
                }
            }
        });
        Outlook365Simulator sim = example.simulator();
        await().atMost(Duration.ofSeconds(30)).until(() -> subjects.size() >= 2);
        // a healthy start warns of nothing: the demo's tokens are in an encrypted store, as the README recommends
        assertEquals(List.of(), log.linesContaining("No tokenStore is set"));
        // a browser: it keeps the cookies the application sets
        SimulatedBrowser browser = new SimulatedBrowser(sim);
        assertEquals(200, browser.get("http://localhost:" + port + "/observe/health").statusCode());

        // when an admin revokes the user's sign-in sessions through the simulator's control API
        HttpResponse<String> revoked = browser.http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_simulator/tokens/revoke"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tenantId\":\"" + StandaloneExample.SIMULATED_TENANT
                                                          + "\",\"upn\":\"" + StandaloneExample.SIMULATED_MAILBOX + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, revoked.statusCode());
        // and mail keeps arriving while the connection cannot read it
        List<String> outage = List.of("during the outage 1", "during the outage 2", "during the outage 3");
        for (String subject : outage) {
            sim.deliver(StandaloneExample.SIMULATED_MAILBOX,
                    SimMail.from("carol@fabrikam.example", "Carol").to(StandaloneExample.SIMULATED_MAILBOX)
                            .subject(subject).textBody("hi"));
        }

        // then the recovery route alerts with the sign-in page's link (no live state in it), and the health endpoint
        // is DOWN with the reason and the same link
        await().atMost(Duration.ofSeconds(30)).until(() -> !alerts.isEmpty());
        String alert = alerts.get(0);
        assertTrue(alert.contains("is BROKEN"), alert);
        assertTrue(alert.contains("sign-in sessions were revoked"), alert);
        Matcher link = LINK.matcher(alert);
        assertTrue(link.find(), alert);
        String signInPage = "http://localhost:" + port + "/provisioning_/signin";
        assertEquals(signInPage, link.group(1));
        // and docs/lifecycle.md's walk-through shows the alert as it is
        String reason = alert.substring(alert.indexOf("Z: ") + 3, alert.indexOf(" Fix it here:"));
        String walkThrough = Files.readString(Path.of("..", "..", "docs", "lifecycle.md")).replaceAll("\\s+", " ");
        assertTrue(walkThrough.contains(reason.replaceAll("\\s+", " ")), "docs/lifecycle.md should show: " + reason);
        HttpResponse<String> health = browser.get("http://localhost:" + port + "/observe/health");
        assertEquals(503, health.statusCode(), health.body());
        assertTrue(health.body().contains("DOWN") && health.body().contains("sign-in sessions were revoked"),
                health.body());
        // (the health JSON escapes the slashes of the link)
        String shown = health.body().replace("\\", "");
        assertTrue(shown.contains("fix it here: " + signInPage) && !shown.contains("state="), health.body());
        assertFalse(health.body().contains(example.simulatedClientSecret()));
        for (String subject : outage) {
            assertFalse(subjects.contains(subject), "nothing is delivered while BROKEN");
        }

        // when the person opens the link without the setup token, the page says where to find it
        HttpResponse<String> withoutToken = browser.get(signInPage);
        assertEquals(403, withoutToken.statusCode(), withoutToken.body());
        assertTrue(withoutToken.body().startsWith("The sign-in did not start: this sign-in page needs the setup token"),
                withoutToken.body());

        // when they open it with the token from the log, sign in and are sent back to the callback route
        HttpResponse<String> start = browser.get(signInPage + "?setupToken=" + SimulatedBrowser.setupToken(log));
        assertEquals(302, start.statusCode(), start.body());
        String cookie = start.headers().firstValue("Set-Cookie").orElseThrow();
        // (http://localhost: no Secure, and no SameSite, so that browsers send it on Entra's form POST)
        assertTrue(cookie.matches("outlook365_signin_[0-9a-f]{16}=[A-Za-z0-9_-]{43}; Path=/provisioning_/;"
                                  + " Max-Age=600; HttpOnly"), cookie);
        SimulatedBrowser.Callback callback = browser.signInAtMicrosoft(
                start.headers().firstValue("Location").orElseThrow(), StandaloneExample.SIMULATED_MAILBOX);
        assertEquals(URI.create("http://localhost:" + port + "/provisioning_/callback"), callback.target());

        // then another browser (no cookie of this sign-in) cannot complete it
        HttpResponse<String> stolen = new SimulatedBrowser(sim).comeBack(callback);
        assertEquals(400, stolen.statusCode(), stolen.body());
        assertTrue(stolen.body().contains("came from another browser than the one that started this sign-in"),
                stolen.body());
        assertEquals(List.of("text/plain; charset=utf-8"), stolen.headers().allValues("Content-Type"));

        // and the browser that started it can
        HttpResponse<String> confirmation = browser.comeBack(callback);

        // then the callback confirms, the connection is CONNECTED again and the triggers resume
        assertEquals(200, confirmation.statusCode(), confirmation.body());
        assertTrue(confirmation.body().contains("Signed in as " + StandaloneExample.SIMULATED_MAILBOX), confirmation.body());
        await().atMost(Duration.ofSeconds(30)).until(() -> states.contains("CONNECTED"));
        await().atMost(Duration.ofSeconds(30)).until(() -> subjects.containsAll(outage));
        assertEquals(200, browser.get("http://localhost:" + port + "/observe/health").statusCode());

        // and every mail was delivered exactly once: the outage's mails once each, none before repeated
        for (String subject : outage) {
            assertEquals(1, subjects.stream().filter(subject::equals).count(), subject);
        }
        assertEquals(ids.size(), ids.stream().distinct().count(), "no mail fired twice: " + subjects);
        assertEquals(List.of("BROKEN", "CONNECTED"), states.stream().distinct().toList());

        // and the setup page starts a new sign-in with the next setup token (the last one is spent), which the log
        // shows when an operator asks for it (JMX operation inviteSignIn; a sign-in does not print it): the same user
        // signs in again
        assertEquals(403, browser.get(start.request().uri().toString()).statusCode(), "a spent setup token");
        String spent = SimulatedBrowser.setupToken(log);
        javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        javax.management.ObjectName connection = jmx.queryNames(
                new javax.management.ObjectName("org.apache.camel:type=outlook365,*"), null).iterator().next();
        String answer = String.valueOf(jmx.invoke(connection, "inviteSignIn", null, null));
        assertEquals("the sign-in link with its setup token is in the application's log (logger outlook365.setup)",
                answer);
        String next = SimulatedBrowser.setupToken(log);
        assertFalse(next.equals(spent), "a new setup token");
        HttpResponse<String> again = browser.get(signInPage + "?setupToken=" + next);
        assertEquals(302, again.statusCode(), again.body());
        String signInUrl = again.headers().firstValue("Location").orElseThrow();
        assertTrue(signInUrl.startsWith(sim.baseUrl() + "/" + StandaloneExample.SIMULATED_TENANT + "/oauth2/v2.0/authorize?"),
                signInUrl);
        HttpResponse<String> renewed = browser.comeBack(browser.signInAtMicrosoft(signInUrl,
                StandaloneExample.SIMULATED_MAILBOX));
        assertEquals(200, renewed.statusCode(), renewed.body());
        assertTrue(renewed.body().contains("Signed in as " + StandaloneExample.SIMULATED_MAILBOX), renewed.body());

        // and a callback that is not the answer to a sign-in this browser started sends the person back to the
        // sign-in page
        HttpResponse<String> stale = browser.get("http://localhost:" + port + "/provisioning_/callback?code=x&state=stale");
        assertEquals(400, stale.statusCode(), stale.body());
        assertTrue(stale.body().contains("start again at the sign-in page (/provisioning_/signin)"), stale.body());
    }

}

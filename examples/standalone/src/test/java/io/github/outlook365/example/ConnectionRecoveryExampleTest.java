package io.github.outlook365.example;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * routes/refresh-recovery.camel.yaml logs an alert with a link; the link is opened and the user signs in on the
 * simulator's page; routes/connection-setup.camel.yaml's callback completes the sign-in; the connection is CONNECTED
 * and every mail that arrived meanwhile is delivered exactly once.
 */
class ConnectionRecoveryExampleTest {

    private static final Pattern FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\">");
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");
    private static final Pattern LINK = Pattern.compile("Fix it here:\\s+(\\S+)");

    private final StandaloneExample example = new StandaloneExample();
    private final List<String> subjects = new CopyOnWriteArrayList<>();
    private final List<String> ids = new CopyOnWriteArrayList<>();
    private final List<String> alerts = new CopyOnWriteArrayList<>();
    private final List<String> states = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        example.main().stop();
        example.close();
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
        HttpClient http = HttpClient.newBuilder().sslContext(sim.clientSslContext())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        assertEquals(200, get(http, "http://localhost:" + port + "/observe/health").statusCode());

        // when an admin revokes the user's sign-in sessions through the simulator's control API
        HttpResponse<String> revoked = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/_simulator/tokens/revoke"))
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

        // then the recovery route alerts with a sign-in link, and the health endpoint is DOWN with the reason
        await().atMost(Duration.ofSeconds(30)).until(() -> !alerts.isEmpty());
        String alert = alerts.get(0);
        assertTrue(alert.contains("is BROKEN"), alert);
        assertTrue(alert.contains("sign-in sessions were revoked"), alert);
        Matcher link = LINK.matcher(alert);
        assertTrue(link.find(), alert);
        String consentUrl = link.group(1);
        assertTrue(consentUrl.startsWith(sim.baseUrl() + "/" + StandaloneExample.SIMULATED_TENANT
                                         + "/oauth2/v2.0/authorize?"), consentUrl);
        HttpResponse<String> health = get(http, "http://localhost:" + port + "/observe/health");
        assertEquals(503, health.statusCode(), health.body());
        assertTrue(health.body().contains("DOWN") && health.body().contains("sign-in sessions were revoked"),
                health.body());
        assertFalse(health.body().contains(example.simulatedClientSecret()));
        for (String subject : outage) {
            assertFalse(subjects.contains(subject), "nothing is delivered while BROKEN");
        }

        // when the person opens the link, signs in and is sent back to the callback route
        URI callback = signIn(http, sim, consentUrl, StandaloneExample.SIMULATED_MAILBOX);
        assertTrue(callback.toString().startsWith("http://localhost:" + port + "/provisioning_/callback?"), callback.toString());
        HttpResponse<String> confirmation = get(http, callback.toString());

        // then the callback confirms, the connection is CONNECTED again and the triggers resume
        assertEquals(200, confirmation.statusCode(), confirmation.body());
        assertTrue(confirmation.body().contains("Signed in as " + StandaloneExample.SIMULATED_MAILBOX), confirmation.body());
        await().atMost(Duration.ofSeconds(30)).until(() -> states.contains("CONNECTED"));
        await().atMost(Duration.ofSeconds(30)).until(() -> subjects.containsAll(outage));
        assertEquals(200, get(http, "http://localhost:" + port + "/observe/health").statusCode());

        // and every mail was delivered exactly once: the outage's mails once each, none before repeated
        for (String subject : outage) {
            assertEquals(1, subjects.stream().filter(subject::equals).count(), subject);
        }
        assertEquals(ids.size(), ids.stream().distinct().count(), "no mail fired twice: " + subjects);
        assertEquals(List.of("BROKEN", "CONNECTED"), states.stream().distinct().toList());

        // and the setup page starts a new sign-in whose answer may also come back as a form POST (Entra's
        // response_mode=form_post, which MSAL4J now asks for)
        HttpResponse<String> start = get(http, "http://localhost:" + port + "/provisioning_/signin");
        assertEquals(302, start.statusCode(), start.body());
        String signInUrl = start.headers().firstValue("Location").orElseThrow();
        assertTrue(signInUrl.startsWith(sim.baseUrl() + "/" + StandaloneExample.SIMULATED_TENANT + "/oauth2/v2.0/authorize?"),
                signInUrl);
        URI again = signIn(http, sim, signInUrl, StandaloneExample.SIMULATED_MAILBOX);
        HttpResponse<String> posted = http.send(HttpRequest.newBuilder(URI.create(again.toString().substring(0,
                again.toString().indexOf('?'))))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(again.getRawQuery())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, posted.statusCode(), posted.body());
        assertTrue(posted.body().contains("Signed in as " + StandaloneExample.SIMULATED_MAILBOX), posted.body());
    }

    private static HttpResponse<String> get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** What a person does in the browser: open the link, pick the account, accept; returns where Entra redirects. */
    private static URI signIn(HttpClient http, Outlook365Simulator sim, String url, String user) throws Exception {
        HttpResponse<String> page = get(http, url);
        assertEquals(200, page.statusCode(), page.body());
        Matcher form = FORM.matcher(page.body());
        assertTrue(form.find(), page.body());
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = HIDDEN.matcher(page.body());
        while (hidden.find()) {
            fields.put(unescape(hidden.group(1)), unescape(hidden.group(2)));
        }
        fields.put("login", user);
        fields.put("consent", "accept");
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + unescape(form.group(1))))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, answer.statusCode(), answer.body());
        return URI.create(answer.headers().firstValue("Location").orElseThrow());
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}

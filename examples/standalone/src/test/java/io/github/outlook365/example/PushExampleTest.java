package io.github.outlook365.example;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/mail.md's "Push" section, end to end in the running example: with outlook365.notifications.enabled=true and
 * outlook365.notifications.mode=webhook, routes/graph-notifications.camel.yaml answers the simulator's validation
 * request, log-received-mail subscribes, and a mail fires through a notification although the trigger polls only every
 * ten minutes; a forged notification is answered 202 and fires nothing.
 */
class PushExampleTest {

    private final StandaloneExample example = new StandaloneExample();
    private final List<String> subjects = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() {
        example.main().stop();
        example.close();
    }

    @Test
    void aMailFiresThroughItsNotificationAndAForgedOneFiresNothing() throws Exception {
        // given the example with push on, its trigger polling every 10 minutes, no demo mail
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String url = "http://localhost:" + port + "/outlook365/notifications";
        example.httpPort(port);
        example.configure(null);
        example.main().addOverrideProperty("outlook365.example.selfMail", "false");
        example.main().addOverrideProperty("outlook365.example.pollDelay", "600000");
        example.main().addOverrideProperty("outlook365.notifications.enabled", "true");
        example.main().addOverrideProperty("outlook365.notifications.mode", "webhook");
        example.main().addOverrideProperty("camel.component.outlook365.notificationUrl", url);
        example.main().start();
        CamelContext context = example.main().getCamelContext();
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.ExchangeCompletedEvent done
                    && "log-received-mail".equals(done.getExchange().getFromRouteId())) {
                    subjects.add(done.getExchange().getMessage().getHeader("CamelOutlook365Subject", String.class));
                }
            }
        });
        Outlook365Simulator sim = example.simulator();

        // then the trigger subscribed, through the notifications route's validation answer
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.subscriptions().size() == 1);
        ObjectNode subscription = sim.subscriptions().get(0);
        assertEquals(url, subscription.path("notificationUrl").asText());

        // when a mail arrives
        sim.deliver(StandaloneExample.SIMULATED_MAILBOX, SimMail.from("carol@fabrikam.example", "Carol")
                .to(StandaloneExample.SIMULATED_MAILBOX).subject("pushed to the example").textBody("hi"));

        // then it fires long before the next poll
        await().atMost(Duration.ofSeconds(60)).until(() -> subjects.contains("pushed to the example"));

        // when someone else posts a notification of that subscription
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"value\":[{\"subscriptionId\":\""
                                                          + subscription.path("id").asText()
                                                          + "\",\"clientState\":\"guess\",\"changeType\":\"created\"}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        // then it is answered as Graph expects, and nothing more fires
        assertEquals(202, forged.statusCode());
        int fired = subjects.size();
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() -> subjects.size() == fired);

        // and the validation handshake answers the token as text
        HttpResponse<String> validation = http.send(HttpRequest.newBuilder(URI.create(url + "?validationToken=abc%20123"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, validation.statusCode());
        assertEquals("abc 123", validation.body());
        assertTrue(validation.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"),
                validation.headers().toString());
    }
}

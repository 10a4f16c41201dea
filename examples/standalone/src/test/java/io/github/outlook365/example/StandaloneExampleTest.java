package io.github.outlook365.example;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs the example as a user does (no OUTLOOK365_CLIENT_ID: the embedded simulator) and checks that the mails it
 * sends itself come back through the trigger, each once.
 */
class StandaloneExampleTest {

    @Test
    void theExampleReceivesTheMailItSendsItself() throws Exception {
        runs(null);
    }

    @Test
    void theExampleRunsWithACertificateByChangingTheAuthModeOnly() throws Exception {
        runs("clientCertificate");
    }

    private void runs(String authMode) throws Exception {
        StandaloneExample example = new StandaloneExample();
        example.configure(null, authMode);
        example.main().addOverrideProperty("outlook365.example.pollDelay", "200");
        example.main().addOverrideProperty("outlook365.example.sendEvery", "300");
        List<String> receivedIds = new CopyOnWriteArrayList<>();
        example.main().start();
        try {
            CamelContext context = example.main().getCamelContext();
            context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
                @Override
                public void notify(CamelEvent event) {
                    if (event instanceof CamelEvent.ExchangeCompletedEvent done
                            && "log-received-mail".equals(done.getExchange().getFromRouteId())) {
                        receivedIds.add(done.getExchange().getMessage().getHeader("CamelOutlook365MessageId", String.class));
                    }
                }
            });
            await().atMost(Duration.ofSeconds(60)).until(() -> receivedIds.size() >= 3);
            assertEquals(receivedIds.size(), receivedIds.stream().distinct().count(), "no mail fired twice");
            assertTrue(example.simulator().countRequests("POST", "/sendMail") >= 3);
            boolean assertion = example.simulator().requests().stream()
                    .anyMatch(r -> r.path().endsWith("/oauth2/v2.0/token") && r.body().contains("client_assertion="));
            assertEquals("clientCertificate".equals(authMode), assertion);
        } finally {
            example.main().stop();
            example.close();
        }
    }
}

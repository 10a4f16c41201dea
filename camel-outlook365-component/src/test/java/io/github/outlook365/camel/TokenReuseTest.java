package io.github.outlook365.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TokenReuseTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    @Test
    void manyPollsAndSendsWithinATokensLifetimeCostOneTokenRequest() throws Exception {
        // given a trigger polling every 50 ms and an action on the same connection
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        CamelContext context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=50&initialDelay=0").to("log:received?level=DEBUG");
            }
        });
        context.start();
        try {
            ProducerTemplate template = context.createProducerTemplate();

            // when it polls 40 times and sends 20 mails
            for (int i = 0; i < 20; i++) {
                template.sendBodyAndHeader("outlook365:mail/send", "n" + i, Outlook365Constants.TO, SimulatedTenant.BOB);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> sim.countRequests("GET", "/messages/delta") >= 40);

            // then Entra ID saw one token request
            assertEquals(20, sim.countRequests("POST", "/sendMail"));
            assertEquals(1, sim.tokenRequests());
        } finally {
            context.stop();
        }
    }

    @Test
    void aTokenCloseToExpiryIsReplacedBeforeGraphRefusesIt() throws Exception {
        // given tokens that live only as long as the refresh margin (5 minutes)
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        sim.setTokenLifetime(Duration.ofMinutes(5));
        CamelContext context = tenant.context(null);
        context.start();
        try {
            ProducerTemplate template = context.createProducerTemplate();
            // when three mails are sent
            for (int i = 0; i < 3; i++) {
                template.sendBodyAndHeaders("outlook365:mail/send", "n" + i, Map.of(Outlook365Constants.TO, SimulatedTenant.BOB));
            }
            // then each needed a fresh token (plus the one the start-time permission check read), and Graph never
            // answered 401
            assertEquals(1 + 3, sim.tokenRequests());
            assertEquals(0, sim.requests().stream().filter(r -> r.status() == 401).count());
        } finally {
            context.stop();
        }
    }
}

package io.github.outlook365.camel.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.outlook365.camel.SimulatedTenant;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;

/**
 * What the mail trigger costs in requests: Graph requests per delivered message, and token requests per hour of
 * polling. Prints counts and ratios; asserts nothing about time. Run with
 * {@code mvn -B -pl camel-outlook365-component -am test -Dgroups=benchmark -DexcludedTestGroups=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
class TriggerCostBenchmark {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    @Test
    void requestsPerMessageAndTokenRequestsPerHour() throws Exception {
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        AtomicInteger delivered = new AtomicInteger();
        CamelContext context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=20&initialDelay=0&pageSize=50").process(e -> delivered.incrementAndGet());
            }
        });
        context.start();
        try {
            // an hour of polling at the default 60 s delay is 60 polls: run them with no mail
            long deltaBefore = sim.countRequests("GET", "/messages/delta");
            await().atMost(Duration.ofSeconds(60)).until(() -> sim.countRequests("GET", "/messages/delta") >= deltaBefore + 60);
            long idlePolls = sim.countRequests("GET", "/messages/delta") - deltaBefore;
            long tokensPerHour = sim.tokenRequests();

            // then 500 messages in bursts of 25
            sim.clearRequests();
            int messages = 500;
            for (int i = 0; i < messages; i++) {
                sim.deliver(SimulatedTenant.ADA, SimMail.from("load@fabrikam.example", "Load").to(SimulatedTenant.ADA)
                        .subject("m" + i).textBody("x"));
                if (i % 25 == 24) {
                    int expected = i + 1;
                    await().atMost(Duration.ofSeconds(60)).until(() -> delivered.get() >= expected);
                }
            }
            long graphRequests = sim.requests().stream().filter(r -> r.path().startsWith("/v1.0/")).count();
            long deltaRequests = sim.countRequests("GET", "/messages/delta");

            System.out.printf("%n=== outlook365 mail/received cost ===%n");
            System.out.printf("idle polls: %d, token requests during them: %d (token requests per hour at delay=60s: %d)%n",
                    idlePolls, tokensPerHour, tokensPerHour);
            System.out.printf("messages delivered: %d (fired %d)%n", messages, delivered.get());
            System.out.printf("Graph requests while delivering: %d (delta: %d) -> %.3f requests per message%n",
                    graphRequests, deltaRequests, (double) graphRequests / messages);
            System.out.printf("token requests while delivering: %d%n%n", sim.tokenRequests());
        } finally {
            context.stop();
        }
    }
}

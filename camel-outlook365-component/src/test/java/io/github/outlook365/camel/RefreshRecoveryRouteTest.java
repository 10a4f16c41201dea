package io.github.outlook365.camel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs routes/refresh-recovery.camel.yaml as users copy it: the ALERT with the fixing link goes to the log, and, with
 * outlook365.recovery.alertUri set, as a mail through another connection (a connection=#bean of an ops app).
 */
class RefreshRecoveryRouteTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    private static final String OPS_CLIENT = "44444444-5555-6666-7777-888888888888";
    private static final String OPS_SECRET = "0ps~Secret.DoNotLog";

    @TempDir
    Path work;

    private CamelContext context;

    @AfterEach
    void tearDown() {
        if (context != null) {
            context.stop();
        }
    }

    @Test
    void aBrokenConnectionIsAlertedInTheLogAndByMailThroughAnotherConnectionThenConfirmed() throws Exception {
        // given the recovery route, alerting bob by mail through the ops app's connection, and a running trigger
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        sim.registerApp(SimulatedTenant.TENANT, OPS_CLIENT, OPS_SECRET);
        context = tenant.context(null, c -> c.setReconnectDelay(200));
        Outlook365ConnectionOptions ops = new Outlook365ConnectionOptions();
        Outlook365Configuration defaults = tenant.configuration();
        ops.setAuthorityHost(defaults.getAuthorityHost());
        ops.setGraphEndpoint(defaults.getGraphEndpoint());
        ops.setSslContextParameters(defaults.getSslContextParameters());
        ops.setTenantId(SimulatedTenant.TENANT);
        ops.setClientId(OPS_CLIENT);
        ops.setClientSecret(OPS_SECRET);
        ops.setAccount(SimulatedTenant.BOB);
        context.getRegistry().bind("ops", ops);
        Properties properties = new Properties();
        properties.setProperty("outlook365.recovery.alertUri", "outlook365:mail/send?connection=#ops");
        properties.setProperty("outlook365.recovery.alertTo", SimulatedTenant.BOB);
        context.getPropertiesComponent().setInitialProperties(properties);
        Path route = Path.of("..", "routes", "refresh-recovery.camel.yaml");
        Resource resource = ResourceHelper.fromString("refresh-recovery.camel.yaml", Files.readString(route));
        PluginHelper.getRoutesLoader(context).loadRoutes(resource);
        context.addRoutes(new org.apache.camel.builder.RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=100").routeId("mail").log("${header.CamelOutlook365Subject}");
            }
        });

        try (CapturedLogs logs = CapturedLogs.capture()) {
            context.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> sim.countRequests("GET", "/messages/delta") >= 2);

            // when the component's client secret expires
            sim.registerApp(SimulatedTenant.TENANT, SimulatedTenant.CLIENT_ID, SimulatedTenant.CLIENT_SECRET,
                    Instant.now().minusSeconds(1));
            sim.revokeTokens(SimulatedTenant.TENANT, SimulatedTenant.CLIENT_ID);

            // then the log has the ALERT with the reason and the admin consent link
            await().atMost(Duration.ofSeconds(10)).until(() -> !logs.linesContaining("ALERT: the Outlook 365 connection").isEmpty());
            String alert = logs.linesContaining("ALERT: the Outlook 365 connection").get(0);
            assertTrue(alert.startsWith("outlook365.recovery "), alert);
            assertTrue(alert.contains("client secret has expired"), alert);
            assertTrue(alert.contains("Fix it here: " + sim.baseUrl() + "/" + SimulatedTenant.TENANT
                                      + "/adminconsent?client_id=" + SimulatedTenant.CLIENT_ID), alert);

            // and bob got it by mail through the ops connection, which Graph saw sent by the ops app
            await().atMost(Duration.ofSeconds(10)).until(() -> !sim.messages(SimulatedTenant.BOB, "inbox").isEmpty());
            List<ObjectNode> inbox = sim.messages(SimulatedTenant.BOB, "inbox");
            assertEquals(1, inbox.size());
            assertTrue(inbox.get(0).path("subject").asText().contains("needs you"), inbox.get(0).toString());
            assertTrue(inbox.get(0).at("/body/content").asText().contains("client secret has expired"));
            assertEquals(1, sim.countRequests("POST", "/users/" + SimulatedTenant.BOB + "/sendMail"));

            // when the secret is valid again (an admin extended it) and the backoff's next attempt gets a token
            sim.registerApp(SimulatedTenant.TENANT, SimulatedTenant.CLIENT_ID, SimulatedTenant.CLIENT_SECRET);

            // then the route confirms
            await().atMost(Duration.ofSeconds(10)).until(() -> !logs.linesContaining("RESOLVED: the Outlook 365").isEmpty());
            assertTrue(logs.linesContaining("RESOLVED: the Outlook 365").get(0).contains("is CONNECTED again"));
            assertFalse(String.join("\n", logs.lines()).contains(SimulatedTenant.CLIENT_SECRET));
            assertFalse(String.join("\n", logs.lines()).contains(OPS_SECRET));
        }
    }
}

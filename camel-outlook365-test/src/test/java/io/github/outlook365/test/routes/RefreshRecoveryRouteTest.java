package io.github.outlook365.test.routes;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import io.github.outlook365.camel.Outlook365ConnectionOptions;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.test.Outlook365TestKit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.outlook365.test.routes.MailJobRoutesTest.ADA;
import static io.github.outlook365.test.routes.MailJobRoutesTest.BOB;
import static io.github.outlook365.test.routes.MailJobRoutesTest.ROUTES;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs routes/refresh-recovery.camel.yaml as users copy it: the ALERT with the fixing link goes to the log, and, with
 * outlook365.recovery.alertUri set, as a mail through another connection (a connection=#bean of an ops app).
 */
class RefreshRecoveryRouteTest extends CamelTestSupport {

    private static final String OPS_CLIENT = "44444444-5555-6666-7777-888888888888";
    private static final String OPS_SECRET = "0ps~Secret.DoNotLog";

    @RegisterExtension
    static final Outlook365TestKit OUTLOOK = Outlook365TestKit.clientCredentials()
            .mailbox(ADA, "Ada Lovelace")
            .mailbox(BOB, "Bob Babbage")
            .option("reconnectDelay", "200")
            .option("maxRetryDelay", "2000");

    RefreshRecoveryRouteTest() {
        // the context starts inside the test, while its log is captured
        testConfiguration().withUseRouteBuilder(false);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return OUTLOOK.configure(super.createCamelContext());
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        Outlook365ConnectionOptions ops = new Outlook365ConnectionOptions();
        ops.setAuthorityHost(OUTLOOK.simulator().baseUrl());
        ops.setGraphEndpoint(OUTLOOK.simulator().baseUrl());
        ops.setSslContextParameters(OUTLOOK.trust());
        ops.setTenantId(OUTLOOK.tenantId());
        ops.setClientId(OPS_CLIENT);
        ops.setClientSecret(OPS_SECRET);
        ops.setAccount(BOB);
        registry.bind("ops", ops);
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties properties = new Properties();
        properties.setProperty("outlook365.recovery.alertUri", "outlook365:mail/send?connection=#ops");
        properties.setProperty("outlook365.recovery.alertTo", BOB);
        return properties;
    }

    @Test
    void aBrokenConnectionIsAlertedInTheLogAndByMailThroughAnotherConnectionThenConfirmed() throws Exception {
        // given the recovery route, alerting bob by mail through the ops app's connection, and a running trigger
        Outlook365Simulator sim = OUTLOOK.simulator();
        sim.registerApp(OUTLOOK.tenantId(), OPS_CLIENT, OPS_SECRET);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context,
                "file:" + ROUTES.resolve("refresh-recovery.camel.yaml")));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=100").routeId("mail").log("${header.CamelOutlook365Subject}");
            }
        });

        try (CapturedLogs logs = CapturedLogs.capture()) {
            context.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> sim.countRequests("GET", "/messages/delta") >= 2);

            // when the component's client secret expires
            OUTLOOK.expireClientSecret();

            // then the log has the ALERT with the reason and the admin consent link
            await().atMost(Duration.ofSeconds(10)).until(() -> !logs.linesContaining("ALERT: the Outlook 365 connection").isEmpty());
            String alert = logs.linesContaining("ALERT: the Outlook 365 connection").get(0);
            assertTrue(alert.startsWith("outlook365.recovery "), alert);
            assertTrue(alert.contains("client secret has expired"), alert);
            assertTrue(alert.contains("Fix it here: " + sim.baseUrl() + "/" + OUTLOOK.tenantId()
                                      + "/adminconsent?client_id=" + OUTLOOK.clientId()), alert);

            // and bob got it by mail through the ops connection, which Graph saw sent by the ops app
            await().atMost(Duration.ofSeconds(10)).until(() -> !OUTLOOK.mailbox(BOB).inbox().isEmpty());
            List<Message> inbox = OUTLOOK.mailbox(BOB).inbox();
            assertEquals(1, inbox.size());
            assertTrue(inbox.get(0).subject().contains("needs you"), inbox.get(0).toString());
            assertTrue(inbox.get(0).body().content().contains("client secret has expired"));
            assertEquals(1, sim.countRequests("POST", "/users/" + BOB + "/sendMail"));

            // when the secret is valid again (an admin extended it) and the backoff's next attempt gets a token
            OUTLOOK.renewClientSecret();

            // then the route confirms
            await().atMost(Duration.ofSeconds(10)).until(() -> !logs.linesContaining("RESOLVED: the Outlook 365").isEmpty());
            assertTrue(logs.linesContaining("RESOLVED: the Outlook 365").get(0).contains("is CONNECTED again"));
            assertFalse(String.join("\n", logs.lines()).contains(OUTLOOK.clientSecret()));
            assertFalse(String.join("\n", logs.lines()).contains(OPS_SECRET));
        }
    }
}

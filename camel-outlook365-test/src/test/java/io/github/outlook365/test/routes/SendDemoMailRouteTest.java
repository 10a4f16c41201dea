package io.github.outlook365.test.routes;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.test.Outlook365TestKit;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static io.github.outlook365.test.routes.MailJobRoutesTest.ADA;
import static io.github.outlook365.test.routes.MailJobRoutesTest.ROUTES;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs routes/send-demo-mail.camel.yaml as the example loads it: off unless asked; asked, it mails the mailbox itself,
 * and while the connection is BROKEN it says why once per outage, then each skipped mail in a few words (the
 * link that fixes it is in the ALERT of refresh-recovery.camel.yaml).
 */
class SendDemoMailRouteTest extends CamelTestSupport {

    @RegisterExtension
    static final Outlook365TestKit OUTLOOK = Outlook365TestKit.clientCredentials()
            .mailbox(ADA, "Ada Lovelace")
            .option("reconnectDelay", "200")
            .option("reconnectMaxDelay", "200");

    private final Properties switches = new Properties();

    SendDemoMailRouteTest() {
        // each test loads the route with its own switches, then starts the context
        testConfiguration().withUseRouteBuilder(false);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return OUTLOOK.configure(super.createCamelContext());
    }

    private void load(String... properties) throws Exception {
        switches.setProperty("camel.component.outlook365.account", ADA);
        switches.setProperty("outlook365.example.sendEvery", "100");
        for (int i = 0; i < properties.length; i += 2) {
            switches.setProperty(properties[i], properties[i + 1]);
        }
        context.getPropertiesComponent().setOverrideProperties(switches);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.resolveMandatoryResource(context,
                "file:" + ROUTES.resolve("send-demo-mail.camel.yaml")));
        context.start();
    }

    private static List<String> notSent(CapturedLogs logs) {
        return logs.linesContaining("send-demo-mail Not sent 'Demo mail #");
    }

    @Test
    void itSendsNothingUnlessAsked() throws Exception {
        load();

        assertEquals(ServiceStatus.Stopped, context.getRouteController().getRouteStatus("send-demo-mail"));
        assertEquals(0, OUTLOOK.simulator().countRequests("POST", "/sendMail"));
    }

    @Test
    void whileBrokenItSaysWhyOnceThenEachSkippedMailBriefly() throws Exception {
        // given the demo mail switched on and sending
        load("outlook365.example.selfMail", "true");
        await().atMost(Duration.ofSeconds(10)).until(() -> OUTLOOK.simulator().countRequests("POST", "/sendMail") >= 2);

        try (CapturedLogs logs = CapturedLogs.capture()) {
            // when the client secret expires, for several ticks of the timer
            OUTLOOK.expireClientSecret();
            await().atMost(Duration.ofSeconds(10)).until(() -> notSent(logs).size() >= 5);

            // then the first skipped mail says why (the ALERT of refresh-recovery has the link), the next ones only the
            // state, and no stack trace is logged
            List<String> skipped = notSent(logs);
            String first = skipped.get(0);
            assertTrue(first.contains("client secret has expired") && first.contains("AADSTS7000222"), first);
            for (String brief : skipped.subList(1, skipped.size())) {
                assertTrue(brief.matches("send-demo-mail Not sent 'Demo mail #\\d+': the connection is still unavailable"),
                        brief);
            }
            assertEquals(List.of(), logs.linesContaining("\n\tat "));

            // when the secret works again, then mail goes out again
            int sentBefore = logs.linesContaining("send-demo-mail Sent 'Demo").size();
            OUTLOOK.renewClientSecret();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> logs.linesContaining("send-demo-mail Sent 'Demo").size() > sentBefore);

            // and a later outage is said in full again, once
            int before = notSent(logs).size();
            OUTLOOK.expireClientSecret();
            await().atMost(Duration.ofSeconds(10)).until(() -> notSent(logs).size() >= before + 4);
            List<String> again = notSent(logs).subList(before, notSent(logs).size());
            assertEquals(1, again.stream().filter(l -> l.contains("client secret has expired")).count(),
                    String.join("\n", again));
            assertTrue(again.get(0).contains("client secret has expired"), again.get(0));
            assertEquals(List.of(), logs.linesContaining("\n\tat "));
            assertTrue(String.join("\n", logs.lines()).indexOf(OUTLOOK.clientSecret()) < 0);
        }
    }
}

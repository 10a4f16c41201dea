package io.github.outlook365.test.routes;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Properties;

import io.github.outlook365.test.Outlook365TestKit;
import io.github.outlook365.test.SimulatedMailbox;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
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

/** Runs routes/auto-accept-invitations.camel.yaml, as users copy it, in a camel-test-junit5 test on the test kit. */
class AutoAcceptInvitationsRouteTest extends CamelTestSupport {

    private static final String EVE = "eve@fabrikam.example";

    @RegisterExtension
    static final Outlook365TestKit OUTLOOK = Outlook365TestKit.clientCredentials()
            .mailbox(ADA, "Ada Lovelace")
            .mailbox(BOB, "Bob Babbage")
            .mailbox(EVE, "Eve")
            .account(BOB);

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return OUTLOOK.configure(super.createCamelContext());
    }

    @Override
    protected RoutesBuilder createRouteBuilder() throws Exception {
        return PluginHelper.getRoutesLoader(context).findRoutesBuilders(ResourceHelper.resolveMandatoryResource(context,
                "file:" + ROUTES.resolve("auto-accept-invitations.camel.yaml"))).iterator().next();
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties properties = new Properties();
        properties.setProperty("outlook365.jobs.autoAcceptInvitations", "true");
        properties.setProperty("outlook365.autoAccept.pollDelay", "100");
        properties.setProperty("outlook365.autoAccept.domain", "contoso.onmicrosoft.com");
        return properties;
    }

    private static ZonedDateTime inTwoDaysAt(int hour) {
        return LocalDate.now(ZoneOffset.UTC).plusDays(2).atTime(hour, 0).atZone(ZoneOffset.UTC);
    }

    @Test
    void invitationsFromTheDomainAreAcceptedAndOthersAreLeft() {
        SimulatedMailbox ada = OUTLOOK.mailbox(ADA);
        SimulatedMailbox eve = OUTLOOK.mailbox(EVE);
        await().atMost(Duration.ofSeconds(20)).until(() -> OUTLOOK.simulator().countRequests("GET", "/messages/delta") >= 2);
        String fromAda = ada.sendMeetingRequest("From a colleague", inTwoDaysAt(9), inTwoDaysAt(10), BOB);
        String fromEve = eve.sendMeetingRequest("From outside", inTwoDaysAt(9), inTwoDaysAt(10), BOB);

        await().atMost(Duration.ofSeconds(20)).until(
                () -> "accepted".equals(ada.event(fromAda).attendees().get(0).status().response()));
        await().atMost(Duration.ofSeconds(20)).until(() -> OUTLOOK.simulator().countRequests("GET", "/messages/delta") >= 10);
        assertEquals(1, OUTLOOK.simulator().countRequests("POST", "/accept$"));
        assertEquals("none", eve.event(fromEve).attendees().get(0).status().response());
        assertEquals("Accepted automatically.", ada.inbox().get(0).body().content());
    }
}

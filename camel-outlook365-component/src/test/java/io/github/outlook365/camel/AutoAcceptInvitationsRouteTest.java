package io.github.outlook365.camel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Properties;

import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.github.outlook365.camel.SimulatedTenant.ADA;
import static io.github.outlook365.camel.SimulatedTenant.BOB;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs routes/auto-accept-invitations.camel.yaml, as users copy it, against the simulator. */
class AutoAcceptInvitationsRouteTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    private Outlook365Simulator sim;
    private CamelContext context;

    @BeforeEach
    void setUp() throws Exception {
        sim = SIMULATOR.simulator();
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        sim.createMailbox(SimulatedTenant.TENANT, "eve@fabrikam.example", "Eve");
        context = tenant.context(null, c -> c.setAccount(BOB));
        Properties properties = new Properties();
        properties.setProperty("outlook365.autoAccept.pollDelay", "100");
        properties.setProperty("outlook365.autoAccept.domain", "contoso.onmicrosoft.com");
        context.getPropertiesComponent().setInitialProperties(properties);
        Path route = Path.of("..", "routes", "auto-accept-invitations.camel.yaml");
        Resource resource = ResourceHelper.fromString("auto-accept-invitations.camel.yaml", Files.readString(route));
        PluginHelper.getRoutesLoader(context).loadRoutes(resource);
        context.start();
    }

    @AfterEach
    void tearDown() {
        context.stop();
    }

    private static String meeting(String subject) {
        String day = LocalDate.now(ZoneOffset.UTC).plusDays(2).toString();
        return "{\"subject\":\"" + subject + "\",\"start\":{\"dateTime\":\"" + day + "T09:00:00\",\"timeZone\":\"UTC\"},"
               + "\"end\":{\"dateTime\":\"" + day + "T10:00:00\",\"timeZone\":\"UTC\"},\"attendees\":[{\"type\":"
               + "\"required\",\"emailAddress\":{\"address\":\"" + BOB + "\"}}]}";
    }

    @Test
    void invitationsFromTheDomainAreAcceptedAndOthersAreLeft() {
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.countRequests("GET", "/messages/delta") >= 2);
        String fromAda = sim.calendars().createEvent(ADA, meeting("From a colleague"));
        String fromEve = sim.calendars().createEvent("eve@fabrikam.example", meeting("From outside"));

        await().atMost(Duration.ofSeconds(20)).until(
                () -> "accepted".equals(sim.calendars().event(ADA, fromAda).at("/attendees/0/status/response").asText()));
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.countRequests("GET", "/messages/delta") >= 10);
        assertEquals(1, sim.countRequests("POST", "/accept$"));
        assertEquals("none", sim.calendars().event("eve@fabrikam.example", fromEve)
                .at("/attendees/0/status/response").asText());
        assertEquals("Accepted automatically.", sim.messages(ADA, "inbox").get(0).at("/body/content").asText());
    }
}

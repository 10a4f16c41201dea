package io.github.outlook365.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.outlook365.camel.auth.CloudEnvironment;
import io.github.outlook365.camel.auth.Permissions;
import io.github.outlook365.camel.connection.ConnectionSettings;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.RecordedRequest;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each national cloud decides the hosts and scopes; in the China cloud mail/received polls by receivedDateTime. */
class NationalCloudsTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    private Outlook365Simulator sim;
    private SimulatedTenant tenant;
    private CamelContext context;
    private final List<Message> received = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        sim = SIMULATOR.simulator();
        tenant = new SimulatedTenant(sim, work);
    }

    @AfterEach
    void tearDown() {
        if (context != null) {
            context.stop();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "office365, https://login.microsoftonline.com, https://graph.microsoft.com",
            "usGovL4, https://login.microsoftonline.us, https://graph.microsoft.us",
            "usGovL5, https://login.microsoftonline.us, https://dod-graph.microsoft.us",
            "china, https://login.partner.microsoftonline.cn, https://microsoftgraph.chinacloudapi.cn" })
    void eachEnvironmentDecidesAuthorityGraphAndScope(CloudEnvironment environment, String authority, String graph) {
        Outlook365Configuration c = tenant.configuration();
        c.setEnvironment(environment);
        c.setAuthorityHost(null);
        c.setGraphEndpoint(null);

        ConnectionSettings settings = ConnectionSettings.of(c);

        assertEquals(authority, settings.auth().authorityHost());
        assertEquals(graph, settings.auth().graphEndpoint());
        assertEquals(graph + "/.default", settings.auth().appOnlyScope());
        assertEquals(authority + "/" + SimulatedTenant.TENANT + "/adminconsent?client_id=" + SimulatedTenant.CLIENT_ID,
                Permissions.adminConsentUrl(settings.auth()));
    }

    @Test
    void overridesWinOverTheEnvironment() {
        Outlook365Configuration c = tenant.configuration();
        c.setEnvironment(CloudEnvironment.china);
        c.setAuthorityHost("https://login.proxy.example");
        c.setGraphEndpoint("https://graph.proxy.example");

        ConnectionSettings settings = ConnectionSettings.of(c);

        assertEquals("https://login.proxy.example", settings.auth().authorityHost());
        assertEquals("https://graph.proxy.example/.default", settings.auth().appOnlyScope());
    }

    private void startChinaTrigger(AtomicBoolean failOnce) throws Exception {
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=100&initialDelay=0&pageSize=2").routeId("received")
                        .process(e -> {
                            Message m = e.getMessage().getBody(Message.class);
                            if (m.subject().equals("fails once") && failOnce.compareAndSet(true, false)) {
                                throw new IllegalStateException("route failure");
                            }
                            received.add(m);
                        });
            }
        }, c -> c.setEnvironment(CloudEnvironment.china));
        context.start();
    }

    private static SimMail mail(String subject) {
        return SimMail.from("carol@fabrikam.example", "Carol").to(SimulatedTenant.ADA).subject(subject).textBody("hi");
    }

    @Test
    void inTheChinaCloudMailReceivedPollsByReceivedDateTimeAndFiresOnce() throws Exception {
        // given mail already there, and the trigger started in the China cloud
        sim.deliver(SimulatedTenant.ADA, mail("old"));
        AtomicBoolean failOnce = new AtomicBoolean(true);
        startChinaTrigger(failOnce);

        // when five arrive (pages of two), one of which the route fails on once
        for (String subject : List.of("one", "two", "fails once", "four", "five")) {
            sim.deliver(SimulatedTenant.ADA, mail(subject));
        }

        // then each new one fired once, in order of arrival, and the failed one again after its replay
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 5);
        long polls = sim.countRequests("GET", "/mailFolders/[^/]+/messages$");
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.countRequests("GET", "/mailFolders/[^/]+/messages$")
                                                            >= polls + 3);
        assertEquals(List.of("one", "two", "fails once", "four", "five"), received.stream().map(Message::subject).toList());

        // and no delta was asked for: Graph's list with a receivedDateTime filter, oldest first
        assertEquals(0, sim.countRequests("GET", "/delta"));
        RecordedRequest list = sim.requests().stream().filter(r -> r.path().endsWith("/messages")).reduce((a, b) -> b)
                .orElseThrow();
        assertTrue(list.path().startsWith("/v1.0/users/" + SimulatedTenant.ADA + "/mailFolders/"), list.path());
        assertTrue(list.query().contains("$filter=receivedDateTime ge "), list.query());
        assertTrue(list.query().contains("$orderby=receivedDateTime asc"), list.query());
        assertTrue(list.query().contains("$top=2"), list.query());
    }

    @Test
    void inTheChinaCloudARestartResumesWithNothingTwice() throws Exception {
        startChinaTrigger(new AtomicBoolean(false));
        sim.deliver(SimulatedTenant.ADA, mail("before restart"));
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        context.stop();

        sim.deliver(SimulatedTenant.ADA, mail("while stopped"));
        startChinaTrigger(new AtomicBoolean(false));
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 2);
        long polls = sim.countRequests("GET", "/mailFolders/[^/]+/messages$");
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.countRequests("GET", "/mailFolders/[^/]+/messages$")
                                                            >= polls + 3);

        assertEquals(List.of("before restart", "while stopped"), received.stream().map(Message::subject).toList());
    }
}

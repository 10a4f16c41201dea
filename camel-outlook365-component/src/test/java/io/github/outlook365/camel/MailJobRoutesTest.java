package io.github.outlook365.camel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.SimMail;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The YAML routes of the project's routes/ folder for common jobs, loaded as a user loads them, against the simulator. */
class MailJobRoutesTest {

    private static final Path ROUTES = Path.of("").toAbsolutePath().getParent().resolve("routes");
    private static final String CAROL = "carol@fabrikam.example";

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    private Outlook365Simulator sim;
    private CamelContext context;

    @BeforeEach
    void setUp() throws Exception {
        sim = SIMULATOR.simulator();
        context = new SimulatedTenant(sim, work).context(null);
    }

    @AfterEach
    void tearDown() throws Exception {
        context.stop();
    }

    private void load(String file, String... properties) throws Exception {
        Properties p = new Properties();
        p.setProperty("outlook365.jobs.pollDelay", "100");
        for (int i = 0; i < properties.length; i += 2) {
            p.setProperty(properties[i], properties[i + 1]);
        }
        context.getPropertiesComponent().setOverrideProperties(p);
        Resource resource = ResourceHelper.resolveMandatoryResource(context, "file:" + ROUTES.resolve(file));
        PluginHelper.getRoutesLoader(context).loadRoutes(resource);
        context.start();
        long before = sim.countRequests("GET", "/messages/delta");
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.countRequests("GET", "/messages/delta") > before);
    }

    private void awaitPolls(int rounds) {
        long before = sim.countRequests("GET", "/messages/delta");
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.countRequests("GET", "/messages/delta") >= before + rounds);
    }

    private static List<String> subjects(List<ObjectNode> messages) {
        return messages.stream().map(m -> m.get("subject").asText()).toList();
    }

    @Test
    void theJobRoutesAreInTheRoutesFolderAndOffByDefault() throws Exception {
        for (String file : List.of("auto-reply-invoices.camel.yaml", "archive-newsletters.camel.yaml",
                "forward-flagged.camel.yaml")) {
            String yaml = Files.readString(ROUTES.resolve(file), StandardCharsets.UTF_8);
            assertTrue(yaml.contains("autoStartup: \"{{outlook365.jobs."), file + " must be off unless switched on");
            assertTrue(yaml.contains("stateKey: job-"), file + " must keep its own cursor");
        }
    }

    @Test
    void autoReplyToInvoicesWithAttachments() throws Exception {
        String invoices = sim.createFolder(ADA, "inbox", "Invoices");
        load("auto-reply-invoices.camel.yaml", "outlook365.jobs.autoReplyInvoices", "true");

        sim.deliver(ADA, SimMail.from(BOB, "Bob Babbage").subject("Invoice 2026-17").textBody("see attached")
                .attachment("invoice.pdf", "application/pdf", "%PDF".getBytes(StandardCharsets.US_ASCII)));
        sim.deliver(ADA, SimMail.from(BOB, "Bob Babbage").subject("Invoice without file").textBody("oops"));
        sim.deliver(ADA, SimMail.from(BOB, "Bob Babbage").subject("Lunch?").textBody("12:30")
                .attachment("menu.pdf", "application/pdf", "%PDF".getBytes(StandardCharsets.US_ASCII)));

        await().atMost(Duration.ofSeconds(20)).until(() -> sim.messages(BOB, "inbox").size() == 1);
        awaitPolls(2);
        List<ObjectNode> replies = sim.messages(BOB, "inbox");
        assertEquals(List.of("RE: Invoice 2026-17"), subjects(replies));
        assertTrue(replies.get(0).at("/body/content").asText().contains("we received your invoice"));
        assertEquals(List.of("Invoice 2026-17"), subjects(sim.messages(ADA, invoices)));
        assertEquals(List.of("Invoice without file", "Lunch?"), subjects(sim.messages(ADA, "inbox")));
    }

    @Test
    void archiveNewsletters() throws Exception {
        load("archive-newsletters.camel.yaml", "outlook365.jobs.archiveNewsletters", "true",
                "outlook365.jobs.newsletterSenders", "news@fabrikam.example;digest@contoso.example");

        sim.deliver(ADA, SimMail.from("news@fabrikam.example", "Fabrikam News").subject("Weekly news").textBody("x"));
        sim.deliver(ADA, SimMail.from("digest@contoso.example", "Digest").subject("Daily digest").textBody("x"));
        sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Real mail").textBody("x"));

        await().atMost(Duration.ofSeconds(20)).until(() -> sim.messages(ADA, "archive").size() == 2);
        awaitPolls(2);
        List<ObjectNode> archived = sim.messages(ADA, "archive");
        assertEquals(List.of("Weekly news", "Daily digest"), subjects(archived));
        assertTrue(archived.stream().allMatch(m -> m.get("isRead").asBoolean()));
        assertEquals(List.of("Real mail"), subjects(sim.messages(ADA, "inbox")));
    }

    @Test
    void forwardFlaggedMail() throws Exception {
        String id = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Contract renewal").textBody("please check"));
        sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Not flagged").textBody("x"));
        load("forward-flagged.camel.yaml", "outlook365.jobs.forwardFlagged", "true", "outlook365.jobs.forwardFlaggedTo", BOB);

        sim.setFlag(ADA, id, "flagged");

        await().atMost(Duration.ofSeconds(20)).until(() -> sim.messages(BOB, "inbox").size() == 1);
        awaitPolls(2);
        ObjectNode forwarded = sim.messages(BOB, "inbox").get(0);
        assertEquals("FW: Contract renewal", forwarded.get("subject").asText());
        assertTrue(forwarded.at("/body/content").asText().contains("Flagged for follow-up"));
        assertEquals(1, sim.messages(BOB, "inbox").size());
    }
}

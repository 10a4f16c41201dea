package io.github.outlook365.test.routes;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

import io.github.outlook365.camel.Outlook365Operations;
import io.github.outlook365.camel.auth.Permissions;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.simulator.SimMail;
import io.github.outlook365.test.Outlook365TestKit;
import io.github.outlook365.test.SimulatedMailbox;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.model.ToDynamicDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The YAML routes of the project's routes/ folder for common jobs, loaded as a user loads them into a
 * camel-test-junit5 test, against the test kit's tenant.
 */
class MailJobRoutesTest extends CamelTestSupport {

    static final Path ROUTES = Path.of("").toAbsolutePath().getParent().resolve("routes");
    static final String ADA = "ada@contoso.onmicrosoft.com";
    static final String BOB = "bob@contoso.onmicrosoft.com";
    private static final String CAROL = "carol@fabrikam.example";

    @RegisterExtension
    static final Outlook365TestKit OUTLOOK = Outlook365TestKit.clientCredentials()
            .mailbox(ADA, "Ada Lovelace")
            .mailbox(BOB, "Bob Babbage");

    private final SimulatedMailbox ada = OUTLOOK.mailbox(ADA);
    private final SimulatedMailbox bob = OUTLOOK.mailbox(BOB);

    MailJobRoutesTest() {
        // each test loads its own route file with its own switches, then starts the context
        testConfiguration().withUseRouteBuilder(false);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return OUTLOOK.configure(super.createCamelContext());
    }

    private void load(String file, String... properties) throws Exception {
        Properties p = new Properties();
        p.setProperty("outlook365.jobs.pollDelay", "100");
        for (int i = 0; i < properties.length; i += 2) {
            p.setProperty(properties[i], properties[i + 1]);
        }
        context.getPropertiesComponent().setOverrideProperties(p);
        PluginHelper.getRoutesLoader(context).loadRoutes(
                ResourceHelper.resolveMandatoryResource(context, "file:" + ROUTES.resolve(file)));
        context.start();
        awaitPolls(1);
    }

    private void awaitPolls(int rounds) {
        long before = OUTLOOK.simulator().countRequests("GET", "/messages/delta");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> OUTLOOK.simulator().countRequests("GET", "/messages/delta") >= before + rounds);
    }

    private static List<String> subjects(List<Message> messages) {
        return messages.stream().map(Message::subject).toList();
    }

    @Test
    void everyReadyMadeRouteThatChangesMailOrCalendarsIsOffUnlessItsPropertyTurnsItOn() throws Exception {
        // given every route of the routes/ folder, loaded with no property set (what a user gets by default)
        DefaultCamelContext defaults = new DefaultCamelContext();
        try (Stream<Path> files = Files.list(ROUTES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList()) {
                PluginHelper.getRoutesLoader(defaults).loadRoutes(
                        ResourceHelper.fromString(file.getFileName().toString(), Files.readString(file)));
            }
        }

        // then each route with an action that changes something (its Graph permission is not a read) is off, by a
        // property of its own
        Map<String, List<String>> changing = new TreeMap<>();
        for (RouteDefinition route : defaults.getRouteDefinitions()) {
            List<String> writes = outlook365Operations(defaults, route).stream()
                    .filter(op -> Permissions.needed(op, Outlook365Operations.find(op).permission(), false, false)
                            .stream().anyMatch(n -> !n.permission().endsWith(".Read")))
                    .toList();
            if (writes.isEmpty()) {
                continue;
            }
            changing.put(route.getRouteId(), writes);
            String autoStartup = route.getAutoStartup() == null ? "true" : route.getAutoStartup();
            assertTrue(autoStartup.matches("\\{\\{outlook365\\.[A-Za-z.]+:false}}"),
                    route.getRouteId() + " " + writes + " must be switched on by a property: " + autoStartup);
            assertEquals("false", defaults.resolvePropertyPlaceholders(autoStartup), route.getRouteId());
        }
        assertEquals(Map.of("archive-newsletters", List.of("mail/markRead", "mail/archive"),
                "auto-accept-invitations", List.of("calendar/respond"),
                "auto-reply-invoices", List.of("mail/reply", "mail/move"),
                "forward-flagged", List.of("mail/forward"),
                "send-demo-mail", List.of("mail/send")), changing);

        // and the job routes keep their own cursor, so each sees every mail whatever other routes watch the inbox
        for (String file : List.of("auto-reply-invoices.camel.yaml", "archive-newsletters.camel.yaml",
                "forward-flagged.camel.yaml")) {
            assertTrue(Files.readString(ROUTES.resolve(file), StandardCharsets.UTF_8).contains("stateKey: job-"), file);
        }
    }

    /** The outlook365 operations a route's static steps call (mail/send, ...), placeholders resolved. */
    private static List<String> outlook365Operations(CamelContext context, RouteDefinition route) {
        List<String> uris = new ArrayList<>();
        ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), SendDefinition.class)
                .forEach(send -> uris.add(send.getEndpointUri()));
        ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(), ToDynamicDefinition.class)
                .forEach(toD -> uris.add(toD.getUri()));
        return uris.stream().map(context::resolvePropertyPlaceholders).filter(u -> u.startsWith("outlook365:"))
                .map(u -> u.substring("outlook365:".length()).replaceFirst("\\?.*$", "")).toList();
    }

    @Test
    void autoReplyToInvoicesWithAttachments() throws Exception {
        ada.createFolder("Inbox/Invoices");
        load("auto-reply-invoices.camel.yaml", "outlook365.jobs.autoReplyInvoices", "true");

        ada.deliver(SimMail.from(BOB, "Bob Babbage").subject("Invoice 2026-17").textBody("see attached")
                .attachment("invoice.pdf", "application/pdf", "%PDF".getBytes(StandardCharsets.US_ASCII)));
        ada.deliver(SimMail.from(BOB, "Bob Babbage").subject("Invoice without file").textBody("oops"));
        ada.deliver(SimMail.from(BOB, "Bob Babbage").subject("Lunch?").textBody("12:30")
                .attachment("menu.pdf", "application/pdf", "%PDF".getBytes(StandardCharsets.US_ASCII)));

        await().atMost(Duration.ofSeconds(20)).until(() -> bob.inbox().size() == 1);
        awaitPolls(2);
        List<Message> replies = bob.inbox();
        assertEquals(List.of("RE: Invoice 2026-17"), subjects(replies));
        assertTrue(replies.get(0).body().content().contains("we received your invoice"));
        assertEquals(List.of("Invoice 2026-17"), subjects(ada.folder("Inbox/Invoices")));
        assertEquals(List.of("Invoice without file", "Lunch?"), subjects(ada.inbox()));
    }

    @Test
    void archiveNewsletters() throws Exception {
        load("archive-newsletters.camel.yaml", "outlook365.jobs.archiveNewsletters", "true",
                "outlook365.jobs.newsletterSenders", "news@fabrikam.example;digest@contoso.example");

        ada.deliver(SimMail.from("news@fabrikam.example", "Fabrikam News").subject("Weekly news").textBody("x"));
        ada.deliver(SimMail.from("digest@contoso.example", "Digest").subject("Daily digest").textBody("x"));
        ada.deliver(SimMail.from(CAROL, "Carol").subject("Real mail").textBody("x"));

        await().atMost(Duration.ofSeconds(20)).until(() -> ada.folder("archive").size() == 2);
        awaitPolls(2);
        List<Message> archived = ada.folder("archive");
        assertEquals(List.of("Weekly news", "Daily digest"), subjects(archived));
        assertTrue(archived.stream().allMatch(Message::isRead));
        assertEquals(List.of("Real mail"), subjects(ada.inbox()));
    }

    @Test
    void forwardFlaggedMail() throws Exception {
        String id = ada.deliver(SimMail.from(CAROL, "Carol").subject("Contract renewal").textBody("please check"));
        ada.deliver(SimMail.from(CAROL, "Carol").subject("Not flagged").textBody("x"));
        load("forward-flagged.camel.yaml", "outlook365.jobs.forwardFlagged", "true", "outlook365.jobs.forwardFlaggedTo", BOB);

        ada.flag(id);

        await().atMost(Duration.ofSeconds(20)).until(() -> bob.inbox().size() == 1);
        awaitPolls(2);
        Message forwarded = bob.inbox().get(0);
        assertEquals("FW: Contract renewal", forwarded.subject());
        assertTrue(forwarded.body().content().contains("Flagged for follow-up"));
        assertEquals(1, bob.inbox().size());
    }
}

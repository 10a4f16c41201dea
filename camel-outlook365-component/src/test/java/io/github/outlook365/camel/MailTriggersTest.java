package io.github.outlook365.camel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.github.outlook365.camel.model.Message;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.RecordedRequest;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.github.outlook365.camel.SimulatedTenant.ADA;
import static io.github.outlook365.camel.SimulatedTenant.BOB;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The filters of the mail triggers, mail/sent, mail/flagged, and each trigger on a shared mailbox. */
class MailTriggersTest {

    private static final String CAROL = "carol@fabrikam.example";
    private static final String DAVE = "dave@fabrikam.example";
    private static final String ERIN = "erin@fabrikam.example";
    private static final String SHARED = "invoices@contoso.onmicrosoft.com";

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    private Outlook365Simulator sim;
    private SimulatedTenant tenant;
    private CamelContext context;
    private final List<Exchange> fired = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        sim = SIMULATOR.simulator();
        tenant = new SimulatedTenant(sim, work);
        sim.createMailbox(SimulatedTenant.TENANT, SHARED, "Invoices (shared)");
        context = tenant.context(null);
        context.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        context.stop();
    }

    private void start(String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri + (uri.contains("?") ? "&" : "?") + "delay=100&initialDelay=0").process(e -> fired.add(e.copy()));
            }
        });
        awaitPolls(1);
    }

    /** Waits for {@code rounds} more delta requests: what could fire has fired. */
    private void awaitPolls(int rounds) {
        long before = sim.countRequests("GET", "/messages/delta");
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.countRequests("GET", "/messages/delta") >= before + rounds);
    }

    private List<String> subjects() {
        return fired.stream().map(e -> e.getMessage().getBody(Message.class).subject()).toList();
    }

    // ---------------------------------------------------------------- filters of mail/received

    static Stream<Arguments> filters() {
        return Stream.of(
                Arguments.of("from", "from=" + CAROL, List.of("Invoice 1")),
                Arguments.of("from, a ; list", "from=" + DAVE + ";" + BOB, List.of("Lunch", "invoice 2")),
                Arguments.of("to", "to=" + ERIN, List.of("invoice 2")),
                Arguments.of("cc", "cc=" + ERIN + ";" + BOB, List.of("Lunch")),
                Arguments.of("subjectContains", "subjectContains=INVOICE", List.of("Invoice 1", "invoice 2")),
                Arguments.of("importance", "importance=high", List.of("Invoice 1")),
                Arguments.of("onlyWithAttachments", "onlyWithAttachments=true", List.of("Invoice 1")),
                Arguments.of("unreadOnly", "unreadOnly=true", List.of("Invoice 1", "invoice 2")),
                Arguments.of("filter (OData)", "filter=importance eq 'low' or contains(subject,'lunch')",
                        List.of("Lunch", "invoice 2")),
                Arguments.of("filter on a collection", "filter=toRecipients/any(r:r/emailAddress/address eq '" + ERIN
                                                       + "') and not hasAttachments",
                        List.of("invoice 2")),
                Arguments.of("a combination", "subjectContains=invoice&unreadOnly=true&from=" + BOB + ";" + CAROL
                                              + "&importance=low",
                        List.of("invoice 2")),
                Arguments.of("no filter", "", List.of("Invoice 1", "Lunch", "invoice 2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void eachFilterLetsOnlyItsMessagesFire(String name, String options, List<String> expected) throws Exception {
        start("outlook365:mail/received" + (options.isEmpty() ? "" : "?" + options.replace(" ", "%20")
                .replace("'", "%27")));
        java.time.Instant t = java.time.Instant.now();
        sim.deliver(ADA, SimMail.from(CAROL, "Carol").to(ADA).subject("Invoice 1").textBody("x").importance("high")
                .attachment("invoice.pdf", "application/pdf", "%PDF".getBytes(StandardCharsets.US_ASCII))
                .receivedAt(t.plusSeconds(1)));
        String lunch = sim.deliver(ADA, SimMail.from(DAVE, "Dave").to(ADA).cc(BOB).subject("Lunch").textBody("x")
                .read(true).receivedAt(t.plusSeconds(2)));
        sim.deliver(ADA, SimMail.from(BOB, "Bob").to(ADA, ERIN).subject("invoice 2").textBody("x").importance("low")
                .receivedAt(t.plusSeconds(3)));
        awaitPolls(3);
        assertEquals(expected, subjects());

        // a message the filters turned away does not fire later when it changes
        sim.markRead(ADA, lunch, false);
        awaitPolls(2);
        assertEquals(expected, subjects());
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of("filter=importance eq", "option filter='importance eq' is not an OData filter"),
                Arguments.of("filter=contains(subject,'x'", "expected ')' but the expression ended"),
                Arguments.of("from=carol at fabrikam", "'carol at fabrikam' in option from is not an email address"),
                Arguments.of("importance=urgent", "option importance='urgent' is not known"),
                Arguments.of("bodyContentType=markdown", "option bodyContentType='markdown' is not known"),
                Arguments.of("folder=Inbox/Nowhere", "no folder 'Nowhere' there"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void badTriggerOptionsFailTheRouteStart(String options, String expected) {
        Exception e = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?" + options.replace(" ", "%20").replace("'", "%27")).to("log:x");
            }
        }));
        Throwable root = e;
        while (root.getCause() != null && !root.getMessage().contains(expected)) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains(expected), root.getMessage());
    }

    @Test
    void bodyContentTypeAsksGraphToConvert() throws Exception {
        start("outlook365:mail/received?bodyContentType=text");
        sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("html").htmlBody("<p>Hello <b>Ada</b></p>"));
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.size() == 1);

        Message message = fired.get(0).getMessage().getBody(Message.class);
        assertEquals("text", message.body().contentType());
        assertEquals("Hello Ada", message.body().content());
        RecordedRequest delta = sim.requests().stream().filter(r -> r.path().endsWith("/messages/delta")).findFirst()
                .orElseThrow();
        assertEquals("odata.maxpagesize=100, outlook.body-content-type=\"text\"", delta.header("Prefer"));
    }

    @Test
    void markAsReadAfterTheRouteSucceededOnly() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=100&initialDelay=0&markAsRead=true")
                        .process(e -> {
                            if (e.getMessage().getBody(Message.class).subject().equals("fails")) {
                                throw new IllegalStateException("downstream is down");
                            }
                            fired.add(e.copy());
                        });
            }
        });
        awaitPolls(1);
        String ok = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("works").textBody("x"));
        String failing = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("fails").textBody("x"));

        await().atMost(Duration.ofSeconds(20)).until(() -> sim.message(ADA, ok).get("isRead").asBoolean());
        awaitPolls(2);
        assertFalse(sim.message(ADA, failing).get("isRead").asBoolean());
        RecordedRequest patch = sim.requests().stream().filter(r -> r.method().equals("PATCH")).findFirst().orElseThrow();
        assertEquals("/v1.0/users/" + ADA + "/messages/" + ok, patch.path());
        assertEquals("{\"isRead\":true}", patch.body());
        assertEquals(1, sim.countRequests("PATCH", "/messages/"));
    }

    @Test
    void aFolderByItsDisplayNamePath() throws Exception {
        String invoices = sim.createFolder(ADA, "inbox", "Invoices");
        start("outlook365:mail/received?folder=Inbox/Invoices");
        sim.deliver(ADA, invoices, SimMail.from(CAROL, "Carol").subject("in Invoices").textBody("x"));
        sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("in Inbox").textBody("x"));

        await().atMost(Duration.ofSeconds(20)).until(() -> fired.size() == 1);
        awaitPolls(2);
        assertEquals(List.of("in Invoices"), subjects());
        assertEquals(invoices, fired.get(0).getMessage().getHeader(Outlook365Constants.FOLDER_ID));
        assertTrue(sim.requests().stream().anyMatch(r -> r.path().equals("/v1.0/users/" + ADA + "/mailFolders/"
                                                                         + invoices + "/messages/delta")));
    }

    // ---------------------------------------------------------------- mail/sent, mail/flagged

    @Test
    void sentFiresForMailLeavingTheMailbox() throws Exception {
        start("outlook365:mail/sent");
        sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("incoming").textBody("x"));
        context.createProducerTemplate().sendBodyAndHeaders("outlook365:mail/send", "hello",
                Map.of(Outlook365Constants.TO, BOB, Outlook365Constants.SUBJECT, "outgoing"));

        await().atMost(Duration.ofSeconds(20)).until(() -> fired.size() == 1);
        awaitPolls(2);
        assertEquals(List.of("outgoing"), subjects());
        assertTrue(sim.requests().stream().anyMatch(r -> r.path().equals("/v1.0/users/" + ADA + "/mailFolders/"
                                                                         + sim.folderId(ADA, "sentitems")
                                                                         + "/messages/delta")));
    }

    @Test
    void flaggedFiresOncePerFlagging() throws Exception {
        String old = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("old").textBody("x")
                .receivedAt(java.time.Instant.now().minusSeconds(30 * 86400)));
        String already = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("already flagged").textBody("x"));
        sim.setFlag(ADA, already, "flagged");
        start("outlook365:mail/flagged");

        // an old message flagged now fires, once, however often it changes while flagged
        sim.setFlag(ADA, old, "flagged");
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.size() == 1);
        sim.markRead(ADA, old, true);
        awaitPolls(2);
        assertEquals(List.of("old"), subjects());

        // unflagged, then flagged again: fires again
        sim.setFlag(ADA, old, "complete");
        awaitPolls(2);
        sim.setFlag(ADA, old, "flagged");
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.size() == 2);
        awaitPolls(2);
        assertEquals(List.of("old", "old"), subjects());
        RecordedRequest first = sim.requests().stream().filter(r -> r.path().endsWith("/messages/delta")).findFirst()
                .orElseThrow();
        assertFalse(first.query().contains("$filter"), "the flagged trigger watches the whole folder: " + first.query());
    }

    // ---------------------------------------------------------------- shared mailbox

    @ParameterizedTest
    @ValueSource(strings = { "received", "sent", "flagged" })
    void eachTriggerWorksOnASharedMailbox(String trigger) throws Exception {
        start("outlook365:mail/" + trigger + "?account=" + SHARED);
        switch (trigger) {
            case "received" -> sim.deliver(SHARED, SimMail.from(CAROL, "Carol").to(SHARED).subject("to shared")
                    .textBody("x"));
            case "sent" -> context.createProducerTemplate().sendBodyAndHeaders("outlook365:mail/send?account=" + SHARED,
                    "x", Map.of(Outlook365Constants.TO, CAROL, Outlook365Constants.SUBJECT, "from shared"));
            default -> {
                String id = sim.deliver(SHARED, SimMail.from(CAROL, "Carol").to(SHARED).subject("flag in shared")
                        .textBody("x"));
                awaitPolls(1);
                sim.setFlag(SHARED, id, "flagged");
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> fired.size() == 1);
        assertEquals(SHARED, fired.get(0).getMessage().getHeader(Outlook365Constants.ACCOUNT));
        assertTrue(sim.requests().stream().filter(r -> r.path().endsWith("/messages/delta"))
                .allMatch(r -> r.path().startsWith("/v1.0/users/" + SHARED + "/")));
        assertTrue(sim.messages(ADA, "inbox").isEmpty());
    }
}

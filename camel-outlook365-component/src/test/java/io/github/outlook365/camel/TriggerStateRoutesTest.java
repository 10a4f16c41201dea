package io.github.outlook365.camel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

import io.github.outlook365.camel.model.Message;
import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.RecordedRequest;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.support.processor.idempotent.FileIdempotentRepository;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.support.processor.state.FileStateRepository;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mail/received on the component's own state store, on a user's repositories, and across an upgrade. */
class TriggerStateRoutesTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    private SimulatedTenant tenant;
    private Outlook365Simulator sim;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<CamelContext> contexts = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        sim = SIMULATOR.simulator();
        tenant = new SimulatedTenant(sim, work);
    }

    @AfterEach
    void tearDown() {
        contexts.forEach(CamelContext::stop);
    }

    private CamelContext start(Consumer<Outlook365Configuration> customize) throws Exception {
        CamelContext context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=100&initialDelay=0").routeId("inbox")
                        .process(e -> received.add(e.getMessage().getBody(Message.class).subject()));
            }
        }, customize);
        contexts.add(context);
        context.start();
        return context;
    }

    private void awaitPolls(int rounds) {
        long before = sim.countRequests("GET", "/messages/delta");
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.countRequests("GET", "/messages/delta") >= before + rounds);
    }

    private String deliver(String subject) {
        return sim.deliver(SimulatedTenant.ADA,
                SimMail.from("carol@fabrikam.example", "Carol").to(SimulatedTenant.ADA).subject(subject).textBody("hi"));
    }

    private List<RecordedRequest> deltaRequests() {
        return sim.requests().stream().filter(r -> r.path().endsWith("/messages/delta")).toList();
    }

    /**
     * The second run fired the mail that arrived while it was down, nothing twice, and resumed from the stored delta
     * link: no request of a new baseline.
     */
    private void assertResumedWithNothingLostAndNothingTwice(String updated) {
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 2);
        sim.markRead(SimulatedTenant.ADA, updated, true);
        awaitPolls(3);
        assertEquals(List.of("before", "while down"), received);
        List<RecordedRequest> delta = deltaRequests();
        assertTrue(delta.get(0).query().contains("$deltatoken="), "resumed from the stored link: " + delta.get(0).query());
        assertFalse(delta.stream().anyMatch(r -> r.query().contains("$filter=receivedDateTime")), "no new baseline");
    }

    @Test
    void aRouteOnTheComponentsStoreResumesAfterARestartWithNothingLostAndNothingTwice() throws Exception {
        // given a trigger on the component's store that delivered a mail
        CamelContext first = start(c -> {
        });
        String before = deliver("before");
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        first.stop();

        // then its state is in a directory of its own: a cursor file and the log of delivered ids
        Path triggers = tenant.stateDirectory.resolve("triggers");
        try (Stream<Path> dirs = Files.list(triggers)) {
            Path dir = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
            assertTrue(dir.getFileName().toString().startsWith("mail.received_contoso.onmicrosoft.com_ada@"), dir.toString());
            assertTrue(Files.readString(dir.resolve("cursor.json")).contains("$deltatoken="));
            assertTrue(Files.size(dir.resolve("delivered.log")) >= 32, "a header and at least one id");
        }

        // when mail arrives while it is down, and it starts again
        deliver("while down");
        sim.clearRequests();
        start(c -> {
        });

        // then
        assertResumedWithNothingLostAndNothingTwice(before);
    }

    @Test
    void twoRoutesOnOneTriggerStateAreRefusedAtStart() throws Exception {
        CamelContext context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                // two endpoints (Camel itself refuses two consumers of one) on the inbox with the default stateKey
                from("outlook365:mail/received?delay=100").routeId("one").log("one");
                from("outlook365:mail/received?delay=200&folder=inbox").routeId("two").log("two");
            }
        });
        contexts.add(context);

        Exception e = assertThrows(Exception.class, context::start);

        String message = AuthorizationCodeFlowTest.causes(e);
        assertTrue(message.contains("two triggers use the trigger state 'mail.received/contoso.onmicrosoft.com/"
                                    + SimulatedTenant.ADA + "/"), message);
        assertTrue(message.contains("Give one of them its own stateKey option"), message);
    }

    @Test
    void aUsersFileStateRepositoryIsStartedAndResumesFromItsStoredCursor() throws Exception {
        // given a trigger whose cursor is in a user's FileStateRepository that nobody started
        Path file = work.resolve("my-cursors.state");
        FileStateRepository cursors = FileStateRepository.fileStateRepository(file.toFile());
        CamelContext first = start(c -> c.setStateRepository(cursors));
        assertTrue(cursors.isStarted(), "the component started it");
        String before = deliver("before");
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);

        // when the application stops, the component stops the repository it started
        first.stop();
        assertTrue(cursors.isStopped());

        // when mail arrives while it is down, and it starts with a new repository object on the same file
        deliver("while down");
        sim.clearRequests();
        FileStateRepository again = FileStateRepository.fileStateRepository(file.toFile());
        start(c -> c.setStateRepository(again));

        // then the repository was loaded before the trigger read its cursor
        assertResumedWithNothingLostAndNothingTwice(before);
    }

    @Test
    void theDocumentedYamlWithAFileStateRepositoryBeanRuns() throws Exception {
        // given the example of docs/mail.md, with the file in a temporary directory
        String doc = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("docs/mail.md"));
        String example = doc.substring(doc.indexOf("```yaml", doc.indexOf("**Your own repositories.**")) + 7);
        Path file = work.resolve("cursors.state");
        String yaml = example.substring(0, example.indexOf("```"))
                .replace("/var/lib/myapp/cursors.state", file.toString())
                .replace("stateRepository: \"#triggerCursors\"",
                        "stateRepository: \"#triggerCursors\"\n        delay: 100\n        initialDelay: 0");
        CamelContext context = tenant.context(null);
        contexts.add(context);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("trigger-state.camel.yaml", yaml));

        // when it starts and a mail arrives
        context.start();
        deliver("one");
        awaitPolls(3);

        // then the bean was started and holds the trigger's cursor
        FileStateRepository bean = context.getRegistry().lookupByNameAndType("triggerCursors", FileStateRepository.class);
        assertTrue(bean.isStarted());
        assertTrue(Files.readString(file).contains("mail.received/contoso.onmicrosoft.com/" + SimulatedTenant.ADA
                                                   + "/"), Files.readString(file));
        assertTrue(Files.readString(file).contains("$deltatoken="), Files.readString(file));
    }

    @Test
    void aRepositoryTheApplicationStartedIsLeftToTheApplication() throws Exception {
        // given an idempotentRepository the application started, and a stateRepository nobody started
        MemoryIdempotentRepository ids = (MemoryIdempotentRepository) MemoryIdempotentRepository.memoryIdempotentRepository();
        ids.start();
        MemoryStateRepository cursors = new MemoryStateRepository();
        CamelContext context = start(c -> {
            c.setIdempotentRepository(ids);
            c.setStateRepository(cursors);
        });
        deliver("one");
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        assertTrue(cursors.isStarted());

        // when the application stops
        context.stop();

        // then the component stopped what it started and left the other running; no state directory was used
        assertTrue(cursors.isStopped());
        assertTrue(ids.isStarted());
        assertEquals(1, ids.getCacheSize(), "the delivered id, under the trigger's key");
        assertFalse(Files.exists(tenant.stateDirectory.resolve("triggers")));
    }

    @Test
    void anUpgradeTakesOverTheStateThePreviousVersionWrote() throws Exception {
        // given a trigger that ran on the previous version: Camel's file repositories in the state directory
        Path directory = tenant.stateDirectory;
        FileStateRepository oldCursors = FileStateRepository.fileStateRepository(directory.resolve("cursors.state").toFile(),
                64L * 1024 * 1024);
        FileIdempotentRepository oldIds = (FileIdempotentRepository) FileIdempotentRepository.fileIdempotentRepository(
                directory.resolve("delivered.ids").toFile(), 100_000, 64L * 1024 * 1024);
        CamelContext previous = start(c -> {
            c.setStateRepository(oldCursors);
            c.setIdempotentRepository(oldIds);
        });
        String before = deliver("before");
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        previous.stop();
        assertTrue(Files.readString(directory.resolve("delivered.ids")).contains("#" + before));

        // when mail arrives while it is down, and the new version starts on the same state directory
        deliver("while down");
        sim.clearRequests();
        try (CapturedLogs logs = CapturedLogs.capture()) {
            start(c -> {
            });

            // then it took the trigger's state over: no new baseline, nothing lost, nothing twice
            assertResumedWithNothingLostAndNothingTwice(before);
            assertEquals(1, logs.linesContaining("Took over the state of trigger 'mail.received/").size());
        }
    }
}

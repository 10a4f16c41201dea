package io.github.outlook365.camel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.SimFault;
import io.github.outlook365.simulator.SimMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static io.github.outlook365.camel.SimulatedTenant.ADA;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The promise of the triggers, tried the hard way: mail streams in while Graph throttles and forgets its delta tokens,
 * the route's step fails now and then, and the application is killed outright (kill -9) and started again. Nothing
 * is lost, and at most the mail in flight when it was killed reaches the route's effect twice.
 */
class KillAndRestartTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process start(Map<String, String> arguments) throws Exception {
        Process process = new ProcessBuilder(ForkedCamel.command(StreamProcess.class, List.of("-Xmx128m"), arguments))
                .redirectErrorStream(true).redirectOutput(work.resolve("app-" + processes.size() + ".log").toFile())
                .start();
        processes.add(process);
        return process;
    }

    private List<String> effects(Path file) throws Exception {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void aStreamThrough429sAResetFailingStepsAndAKillLosesNothingAndRepeatsAtMostTheMailInFlight() throws Exception {
        // given an application on the simulator, writing one line per mail it handled
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        Path effects = work.resolve("effects.txt");
        Map<String, String> arguments = ForkedCamel.connection(sim, work.resolve("simulator-trust.p12"));
        arguments.put("state", tenant.stateDirectory.toString());
        arguments.put("out", effects.toString());
        start(arguments);
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.countRequests("GET", "/messages/delta") >= 1);

        // when 60 mails stream in, Graph throttles twice and forgets its delta tokens once
        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            String subject = "s" + i;
            sim.deliver(ADA, SimMail.from("carol@fabrikam.example", "Carol").to(ADA).subject(subject).textBody("x"));
            sent.add(subject);
            if (i == 10 || i == 45) {
                sim.injectFault(SimFault.throttle("/messages/delta", 2, Duration.ofSeconds(1)));
            }
            if (i == 30) {
                sim.forceDeltaReset(ADA);
            }
            if (i == 25) {
                // and the application is killed outright once it handled some of them, then started again
                await().atMost(Duration.ofSeconds(60)).until(() -> effects(effects).size() >= 12);
                processes.get(0).destroyForcibly().waitFor(20, TimeUnit.SECONDS);
                start(arguments);
            }
        }

        // then every mail reached the route's effect, and at most one (the one in flight at the kill) twice
        await().atMost(Duration.ofSeconds(90)).until(() -> effects(effects).stream().distinct().count() >= 60);
        long polls = sim.countRequests("GET", "/messages/delta");
        await().atMost(Duration.ofSeconds(30)).until(() -> sim.countRequests("GET", "/messages/delta") >= polls + 3);
        List<String> handled = effects(effects);
        Map<String, Integer> times = new HashMap<>();
        handled.forEach(s -> times.merge(s, 1, Integer::sum));
        assertEquals(List.copyOf(sent), sent.stream().filter(times::containsKey).toList(), "nothing lost");
        List<String> twice = times.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        assertTrue(twice.size() <= 1 && times.values().stream().allMatch(n -> n <= 2),
                "at most the mail in flight twice: " + twice);
        assertTrue(sim.requests().stream().anyMatch(r -> r.status() == 429), "Graph throttled");
        assertTrue(sim.requests().stream().anyMatch(r -> r.status() == 410), "Graph reset the delta");
    }
}

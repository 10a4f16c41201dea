package io.github.outlook365.karaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The deploy-camel/ folder against a plain CamelContext: files added, changed, removed, broken and ignored. */
class YamlRouteDeployerTest {

    @TempDir
    Path folder;

    private CamelContext context;
    private YamlRouteDeployer deployer;

    @BeforeEach
    void startCamel() {
        context = new DefaultCamelContext();
        context.start();
        deployer = new YamlRouteDeployer(context, folder);
    }

    @AfterEach
    void stopCamel() throws Exception {
        context.close();
    }

    @Test
    void anAddedFileStartsItsRoutes() throws Exception {
        // given
        write("ticks.camel.yaml", route("tick-a", "timer:a?period=60000") + route("tick-b", "timer:b?period=60000"));

        // when
        deployer.scan();

        // then
        assertEquals(ServiceStatus.Started, context.getRouteController().getRouteStatus("tick-a"));
        assertEquals(ServiceStatus.Started, context.getRouteController().getRouteStatus("tick-b"));
        assertEquals(Map.of("ticks.camel.yaml", Set.of("tick-a", "tick-b")), deployer.deployed());
    }

    @Test
    void aChangedFileReloadsItsRoutesAndDropsTheOnesItNoLongerHas() throws Exception {
        // given
        write("ticks.camel.yaml", route("tick-a", "timer:a?period=60000") + route("tick-b", "timer:b?period=60000"));
        deployer.scan();

        // when the file changes: tick-a gets a new endpoint, tick-b goes, tick-c comes
        write("ticks.camel.yaml", route("tick-a", "timer:a2?period=60000") + route("tick-c", "timer:c?period=60000"));
        deployer.scan();

        // then
        assertEquals("timer://a2?period=60000", context.getRoute("tick-a").getEndpoint().getEndpointUri());
        assertNull(context.getRoute("tick-b"));
        assertEquals(ServiceStatus.Started, context.getRouteController().getRouteStatus("tick-c"));
        assertEquals(2, context.getRoutes().size());
    }

    @Test
    void anUnchangedFileIsLeftRunning() throws Exception {
        // given
        write("ticks.camel.yaml", route("tick-a", "timer:a?period=60000"));
        deployer.scan();
        var route = context.getRoute("tick-a");

        // when
        deployer.scan();

        // then the very same route runs on
        assertTrue(route == context.getRoute("tick-a"));
    }

    @Test
    void aRemovedFileStopsAndRemovesItsRoutesOnly() throws Exception {
        // given
        write("ticks.camel.yaml", route("tick-a", "timer:a?period=60000"));
        write("other.camel.yaml", route("other", "timer:o?period=60000"));
        deployer.scan();

        // when
        Files.delete(folder.resolve("ticks.camel.yaml"));
        deployer.scan();

        // then
        assertNull(context.getRoute("tick-a"));
        assertEquals(ServiceStatus.Started, context.getRouteController().getRouteStatus("other"));
        assertEquals(Map.of("other.camel.yaml", Set.of("other")), deployer.deployed());
    }

    @Test
    void aBrokenFileLeavesNoRouteBehindAndLoadsOnceFixed() throws Exception {
        // given a file whose second route names an unknown component
        write("ticks.camel.yaml", route("tick-a", "timer:a?period=60000") + route("tick-b", "nosuchscheme:x"));

        // when
        deployer.scan();

        // then none of its routes runs, and the folder's other files are unaffected
        assertEquals(0, context.getRoutes().size());
        assertEquals(Map.of("ticks.camel.yaml", Set.of()), deployer.deployed());

        // when it is fixed
        write("ticks.camel.yaml", route("tick-a", "timer:a?period=60000") + route("tick-b", "timer:b?period=60000"));
        deployer.scan();

        // then
        assertEquals(Set.of("tick-a", "tick-b"), deployer.deployed().get("ticks.camel.yaml"));
    }

    @Test
    void aRouteIdThatAnotherFileAlreadyUsesFailsTheLaterFileOnly() throws Exception {
        // given
        write("a.camel.yaml", route("same", "timer:a?period=60000"));
        deployer.scan();

        // when another file brings a route with the same id
        write("b.camel.yaml", route("same", "timer:b?period=60000"));
        deployer.scan();

        // then the first file's route runs on, unchanged, and the second file is refused
        assertEquals("timer://a?period=60000", context.getRoute("same").getEndpoint().getEndpointUri());
        assertEquals(Map.of("a.camel.yaml", Set.of("same"), "b.camel.yaml", Set.of()), deployer.deployed());

        // and removing the refused file leaves the route alone
        Files.delete(folder.resolve("b.camel.yaml"));
        deployer.scan();
        assertEquals(ServiceStatus.Started, context.getRouteController().getRouteStatus("same"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"notes.yaml", "route.camel.yml", "route.camel.yaml.part", "route.camel.yaml~"})
    void otherFilesAreIgnored(String name) throws Exception {
        write(name, route("ignored", "timer:i?period=60000"));

        deployer.scan();

        assertEquals(0, context.getRoutes().size());
    }

    @Test
    void undeployAllStopsEverything() throws Exception {
        write("ticks.camel.yaml", route("tick-a", "timer:a?period=60000"));
        deployer.scan();

        deployer.undeployAll();

        assertEquals(0, context.getRoutes().size());
        assertEquals(Map.of(), deployer.deployed());
    }

    private void write(String name, String content) throws Exception {
        Files.writeString(folder.resolve(name), content);
    }

    private static String route(String id, String from) {
        return "- route:\n    id: " + id + "\n    from:\n      uri: \"" + from + "\"\n      steps:\n        - log: \"" + id
                + "\"\n";
    }
}

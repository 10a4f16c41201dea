package io.github.outlook365.karaf;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.github.outlook365.simulator.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The runtime outside OSGi: what etc/io.github.outlook365.cfg does to the Camel context (placeholders, restarts on
 * save, one-line errors that name the key) and that no value of a secret reaches the log.
 */
class KarafCamelRuntimeTest {

    @TempDir
    Path work;

    private Path routes;
    private Path out;
    private KarafCamelRuntime runtime;
    private CapturedLogs logs;

    @BeforeEach
    void start() throws Exception {
        routes = Files.createDirectories(work.resolve("deploy-camel"));
        out = work.resolve("out");
        logs = CapturedLogs.capture();
        runtime = new KarafCamelRuntime(getClass().getClassLoader(), routes, work.resolve("data"));
    }

    @AfterEach
    void stop() {
        runtime.shutdown();
        logs.close();
    }

    @Test
    void keysArePlaceholdersAndASavedChangeRestartsWithTheNewValues() throws Exception {
        // given a route that writes the placeholder greeting once
        Files.writeString(routes.resolve("greet.camel.yaml"), """
                - route:
                    id: greet
                    from:
                      uri: "timer:greet?repeatCount=1"
                      steps:
                        - setBody:
                            constant: "{{greeting}}"
                        - to: "file:%s?fileName=greeting.txt"
                """.formatted(out));

        // when the configuration says hello
        runtime.configure(cfg("greeting", "hello", "routes.scanInterval", "100"));

        // then
        await().atMost(Duration.ofSeconds(20)).until(() -> read(out.resolve("greeting.txt")).equals("hello"));

        // when it is saved with another greeting
        runtime.configure(cfg("greeting", "bye", "routes.scanInterval", "100"));

        // then Camel restarted with it and the route ran again
        await().atMost(Duration.ofSeconds(20)).until(() -> read(out.resolve("greeting.txt")).equals("bye"));
        assertEquals(2, logs.linesContaining("Started 1 route(s) [greet] from greet.camel.yaml").size());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "camel.component.outlook365.noSuchOption | top-secret-1 | camel.component.outlook365.noSuchOption is not an option of the component 'outlook365', or its value is not of the option's type",
            "camel.component.outlook365.maxRetries   | top-secret-2 | camel.component.outlook365.maxRetries is not an option of the component 'outlook365', or its value is not of the option's type",
            "camel.component.timer.noSuchOption      | top-secret-3 | camel.component.timer.noSuchOption is not an option of the component 'timer'",
            "routes.scanInterval                     | soon         | routes.scanInterval must be a number of milliseconds",
            "tls.trustStore                          | /no/such/trust.p12 | tls.trustStore /no/such/trust.p12 is not a readable file"
    })
    void aBadSettingIsReportedInOneLineByItsKeyWithoutItsValue(String key, String value, String error) {
        // when
        runtime.configure(cfg(key, value, "tls.trustStorePassword", "top-secret-pw"));

        // then
        await().atMost(Duration.ofSeconds(20)).until(() -> !logs.linesContaining("did not start").isEmpty());
        String line = logs.linesContaining("did not start").get(0);
        assertTrue(line.contains(error), line);
        assertTrue(line.contains("etc/io.github.outlook365.cfg"), line);
        assertTrue(logs.linesContaining("top-secret").isEmpty(), () -> String.join("\n", logs.linesContaining("top-secret")));
    }

    @Test
    void secretsAreLoggedMasked() {
        // when every secret option of the component is configured
        Map<String, String> cfg = cfg("camel.component.outlook365.tenantId", "contoso");
        io.github.outlook365.camel.SecretOptions.NAMES
                .forEach(option -> cfg.put("camel.component.outlook365." + option, "top-secret-" + option));
        runtime.configure(cfg);

        // then the configuration is logged, secrets by their keys only
        await().atMost(Duration.ofSeconds(20)).until(() -> !logs.linesContaining("Starting Camel for the YAML routes").isEmpty());
        String line = logs.linesContaining("Starting Camel for the YAML routes").get(0);
        assertTrue(line.contains("camel.component.outlook365.tenantId=contoso"), line);
        for (String option : io.github.outlook365.camel.SecretOptions.NAMES) {
            assertTrue(line.contains("camel.component.outlook365." + option + "=xxxxxx"), line);
        }
        assertTrue(logs.linesContaining("top-secret").isEmpty(), () -> String.join("\n", logs.linesContaining("top-secret")));
    }

    private static Map<String, String> cfg(String... keysAndValues) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String read(Path file) throws Exception {
        return Files.isRegularFile(file) ? Files.readString(file) : "";
    }
}

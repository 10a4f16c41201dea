package io.github.outlook365.camel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.simulator.CapturedLogs;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * camel-main run for real with every secret option of the component set to a value, each way camel-main takes one: its
 * whole start-up output (every log line, and the console of a separate JVM) shows the options' keys and never their
 * values. camel-main's auto-configuration summary masks by a keyword list, which knows clientSecret and refreshToken
 * but not certificate, certificatePassword or tokenStoreKey: the component adds its secret option names to it.
 */
class SecretsInStartupOutputTest {

    private static final String PREFIX = "camel.component.outlook365.";

    @TempDir
    Path work;

    /** A value for each secret option, every one recognisable in any output. */
    static Map<String, String> secretValues() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String option : SecretOptions.NAMES) {
            values.put(option, "TOP-SECRET-" + option.toUpperCase(Locale.ROOT) + "-0123456789abcdef");
        }
        return values;
    }

    @Test
    void theSecretOptionsAreTheOnesTheCatalogMarksSecret() throws Exception {
        JsonNode catalog;
        try (var in = getClass().getResourceAsStream("/META-INF/io/github/outlook365/camel/outlook365.json")) {
            catalog = GraphJson.MAPPER.readTree(in);
        }
        java.util.Set<String> secret = new java.util.TreeSet<>();
        catalog.path("componentProperties").fields().forEachRemaining(e -> {
            if (e.getValue().path("secret").asBoolean()) {
                secret.add(e.getKey());
            }
        });

        assertEquals(secret, new java.util.TreeSet<>(SecretOptions.NAMES));
        assertTrue(secret.containsAll(List.of("clientSecret", "certificate", "certificatePassword", "refreshToken",
                "tokenStoreKey")), secret.toString());
    }

    /** How camel-main is given a value; whether its summary lists the options given that way. */
    enum Way {
        PROPERTIES_FILE(true), SYSTEM_PROPERTY(true), OVERRIDE_PROPERTY(false), INITIAL_PROPERTY(false);

        final boolean listed;

        Way(boolean listed) {
            this.listed = listed;
        }
    }

    @ParameterizedTest(name = "set as {0}")
    @EnumSource(Way.class)
    void camelMainShowsTheKeysOfTheSecretOptionsButNeverTheirValues(Way way) throws Exception {
        // given every secret option set to a value, this way
        Map<String, String> secrets = secretValues();
        Main main = new Main();
        main.configure().setName("secrets-" + way);
        Path properties = work.resolve("application.properties");
        Files.writeString(properties, PREFIX + "tenantId = contoso.onmicrosoft.com\n");
        switch (way) {
            case PROPERTIES_FILE -> Files.writeString(properties, secrets.entrySet().stream()
                    .map(e -> PREFIX + e.getKey() + " = " + e.getValue() + "\n").collect(Collectors.joining()),
                    java.nio.file.StandardOpenOption.APPEND);
            case SYSTEM_PROPERTY -> secrets.forEach((k, v) -> System.setProperty(PREFIX + k, v));
            case OVERRIDE_PROPERTY -> secrets.forEach((k, v) -> main.addOverrideProperty(PREFIX + k, v));
            case INITIAL_PROPERTY -> secrets.forEach((k, v) -> main.addInitialProperty(PREFIX + k, v));
        }
        main.setDefaultPropertyPlaceholderLocation("file:" + properties);

        // when camel-main starts and stops
        List<String> output;
        try (CapturedLogs logs = CapturedLogs.capture()) {
            main.start();
            main.stop();
            output = logs.lines();
        } finally {
            secrets.keySet().forEach(k -> System.clearProperty(PREFIX + k));
        }

        // then the summary lists each secret option, masked (where camel-main lists options given this way), and no
        // line holds a value
        assertSummaryMasksEverySecret(output, secrets, way.listed);
    }

    @Test
    void camelMainInItsOwnJvmShowsNoSecretTakenFromTheEnvironment() throws Exception {
        // given a JVM whose environment holds every secret, an application.properties that takes them from there as
        // the documentation says ({{env:...}}), and a log that shows everything camel-main says on its console
        Map<String, String> secrets = secretValues();
        Path log4j = work.resolve("log4j2.properties");
        Files.writeString(log4j, """
                appender.out.type = Console
                appender.out.name = out
                appender.out.layout.type = PatternLayout
                appender.out.layout.pattern = %c %m%n%throwable
                rootLogger.level = INFO
                rootLogger.appenderRef.out.ref = out
                logger.outlook365.name = io.github.outlook365
                logger.outlook365.level = DEBUG
                """);
        Path properties = work.resolve("application.properties");
        Files.writeString(properties, PREFIX + "tenantId = contoso.onmicrosoft.com\n" + secrets.keySet().stream()
                .map(k -> PREFIX + k + " = {{env:" + environmentName(k) + "}}\n").collect(Collectors.joining()));
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "-Dlog4j2.configurationFile=" + log4j.toUri(), "-Dcamel.main.durationMaxSeconds=1",
                "-Dcamel.main.name=secrets-in-env", org.apache.camel.main.Main.class.getName(),
                "-properties", "file:" + properties);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(work.toFile());
        secrets.forEach((k, v) -> builder.environment().put(environmentName(k), v));
        Path console = work.resolve("console.txt");
        builder.redirectOutput(console.toFile());

        // when camel-main starts there and stops after a second
        Process process = builder.start();
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "camel-main did not stop");
        List<String> output = Files.readAllLines(console, StandardCharsets.UTF_8);

        // then the same holds for its console
        assertEquals(0, process.exitValue(), String.join("\n", output));
        assertSummaryMasksEverySecret(output, secrets, true);
    }

    private static void assertSummaryMasksEverySecret(List<String> output, Map<String, String> secrets, boolean listed) {
        String all = String.join("\n", output);
        assertTrue(all.contains("Auto-configuration summary"), all);
        assertTrue(output.stream().anyMatch(l -> l.contains(PREFIX + "tenantId = contoso.onmicrosoft.com")), all);
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            assertTrue(!listed || output.stream().anyMatch(l -> l.matches(".*" + PREFIX + secret.getKey() + " = x+$")),
                    secret.getKey() + " is not in the summary, masked:\n" + all);
            List<String> leaks = output.stream().filter(l -> l.contains(secret.getValue())).toList();
            assertTrue(leaks.isEmpty(), secret.getKey() + " shows in:\n" + String.join("\n", leaks));
        }
    }

    /** clientSecret -> OUTLOOK365_CLIENT_SECRET, the names the documentation uses. */
    private static String environmentName(String option) {
        return "OUTLOOK365_" + option.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    }
}

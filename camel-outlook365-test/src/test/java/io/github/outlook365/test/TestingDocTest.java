package io.github.outlook365.test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/testing.md shows only code that runs in the build: each of its code blocks is, verbatim, a piece of a test, a
 * route it loads, or the example project's pom. A test changed without its doc (or the other way round) fails here.
 */
class TestingDocTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Pattern BLOCK = Pattern.compile("(?ms)^```(\\w+)\\n(.*?)\\n```$");

    @Test
    void everyCodeBlockIsCopiedFromCodeTheBuildRuns() throws IOException {
        // given the doc and the code the build runs
        String doc = Files.readString(ROOT.resolve("docs/testing.md"), StandardCharsets.UTF_8);
        List<String> sources = new ArrayList<>();
        for (String dir : List.of("examples/testing", "camel-outlook365-test/src/test", "examples/standalone/src/test",
                "routes")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(dir))) {
                for (Path file : files.filter(Files::isRegularFile)
                        .filter(f -> f.toString().matches(".*\\.(java|yaml|xml)$"))
                        .filter(f -> !f.toString().contains("/target/")).toList()) {
                    sources.add(Files.readString(file, StandardCharsets.UTF_8));
                }
            }
        }

        // when each code block is looked for in them
        Matcher block = BLOCK.matcher(doc);
        List<String> blocks = new ArrayList<>();
        List<String> strays = new ArrayList<>();
        while (block.find()) {
            blocks.add(block.group(1));
            String code = block.group(2);
            if (sources.stream().noneMatch(source -> source.contains(code))) {
                strays.add(code.lines().findFirst().orElse(""));
            }
        }

        // then every one is there, and the doc has the YAML route, its test, the Java DSL route and its test
        assertTrue(strays.isEmpty(), "docs/testing.md has code the build does not run (blocks starting with): " + strays);
        assertEquals(1, blocks.stream().filter("yaml"::equals).count(), blocks.toString());
        assertTrue(blocks.stream().filter("java"::equals).count() >= 4, blocks.toString());
        assertTrue(doc.contains("class AutoReplyInvoicesYamlTest extends CamelTestSupport"));
        assertTrue(doc.contains("class InvoiceReplyRouteTest extends CamelTestSupport"));
    }
}

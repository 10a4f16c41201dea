package io.github.outlook365.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The OSGi manifest bnd writes into target/classes (and maven-jar-plugin copies into the jar) is what Karaf wires the
 * bundle by: every package of ours exported, Camel, MSAL4J, Jackson and SLF4J imported with ranges a Karaf user can
 * satisfy, and Camel's service files still in place so the component is found by its scheme.
 */
class OsgiManifestTest {

    private static final Path CLASSES = Path.of("target", "classes");

    private static Attributes manifest;

    @BeforeAll
    static void readManifest() throws IOException {
        Path file = CLASSES.resolve("META-INF/MANIFEST.MF");
        assertTrue(Files.isRegularFile(file), "bnd-maven-plugin writes " + file + " at process-classes");
        try (InputStream in = Files.newInputStream(file)) {
            manifest = new Manifest(in).getMainAttributes();
        }
    }

    @Test
    void isABundleWithAStableSymbolicName() {
        assertEquals("2", manifest.getValue("Bundle-ManifestVersion"));
        assertEquals("io.github.outlook365.camel", manifest.getValue("Bundle-SymbolicName"));
        assertNotNull(manifest.getValue("Bundle-Version"));
    }

    @Test
    void exportsEveryPackageOfTheComponentWithItsVersion() throws IOException {
        // given the packages that hold classes
        Set<String> packages;
        Path root = CLASSES.resolve("io/github/outlook365/camel");
        try (Stream<Path> files = Files.walk(root)) {
            packages = files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> CLASSES.relativize(p.getParent()).toString().replace('/', '.').replace('\\', '.'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
        // when the manifest's exports are read
        Map<String, Map<String, String>> exports = clauses(manifest.getValue("Export-Package"));

        // then each is exported, versioned like the bundle (without the qualifier)
        String bundleVersion = manifest.getValue("Bundle-Version");
        String packageVersion = bundleVersion.substring(0, bundleVersion.lastIndexOf('.'));
        assertEquals(packages, exports.keySet());
        exports.forEach((name, attributes) -> assertEquals(packageVersion, attributes.get("version"), name));
    }

    @ParameterizedTest(name = "{0} imported as {1}")
    @CsvSource({
            "org.apache.camel, '[4.18,5)'",
            "org.apache.camel.spi, '[4.18,5)'",
            "org.apache.camel.support, '[4.18,5)'",
            "org.apache.camel.support.jsse, '[4.18,5)'",
            "org.apache.camel.attachment, '[4.18,5)'",
            "com.microsoft.aad.msal4j, '[1.26,2)'",
            "com.fasterxml.jackson.databind, '[2.19,3)'",
            "com.fasterxml.jackson.core, '[2.19,3)'",
            "com.fasterxml.jackson.annotation, '[2.19,3)'",
            "com.fasterxml.jackson.datatype.jsr310, '[2.19,3)'",
            "org.slf4j, '[1.7,3)'",
            "jakarta.activation, '[2,3)'"
    })
    void importsItsDependenciesWithRanges(String pkg, String range) {
        Map<String, Map<String, String>> imports = clauses(manifest.getValue("Import-Package"));
        assertTrue(imports.containsKey(pkg), pkg + " is imported: " + imports.keySet());
        assertEquals(range, imports.get(pkg).get("version"));
        assertFalse(imports.get(pkg).containsKey("resolution:"), pkg + " is a mandatory import");
    }

    @Test
    void importsNothingFromTestsOrTheJdkNamespace() {
        Set<String> imports = clauses(manifest.getValue("Import-Package")).keySet();
        assertTrue(imports.stream().noneMatch(p -> p.startsWith("java.")), "java.* comes from the boot class path: " + imports);
        assertTrue(imports.stream().noneMatch(p -> p.startsWith("io.github.outlook365.simulator")
                || p.startsWith("org.junit") || p.startsWith("org.bouncycastle")), imports.toString());
    }

    @ParameterizedTest
    @CsvSource({
            "META-INF/services/org/apache/camel/component/outlook365",
            "META-INF/services/org/apache/camel/configurer/outlook365-component",
            "META-INF/services/org/apache/camel/configurer/outlook365-endpoint",
            "META-INF/services/org/apache/camel/urifactory/outlook365-endpoint"
    })
    void keepsCamelsServiceFiles(String file) {
        assertTrue(Files.isRegularFile(CLASSES.resolve(file)), file);
    }

    /** The clauses of an OSGi header: name to its attributes and directives (directives keep their trailing ':'). */
    static Map<String, Map<String, String>> clauses(String header) {
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        for (String clause : split(header, ',')) {
            List<String> parts = split(clause, ';');
            Map<String, String> attributes = new LinkedHashMap<>();
            for (String part : parts.subList(1, parts.size())) {
                int eq = part.indexOf('=');
                String key = part.substring(0, eq).trim();
                String value = part.substring(eq + 1).trim();
                if (value.startsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                attributes.put(key, value);
            }
            result.put(parts.get(0).trim(), attributes);
        }
        return result;
    }

    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }
}

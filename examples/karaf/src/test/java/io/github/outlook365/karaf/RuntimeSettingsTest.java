package io.github.outlook365.karaf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** etc/io.github.outlook365.cfg as the Camel context sees it. */
class RuntimeSettingsTest {

    private static final Path ROUTES = Path.of("/karaf/deploy-camel");
    private static final Path DATA = Path.of("/karaf/data/outlook365");

    @Test
    void componentOptionsAreGroupedByScheme() {
        RuntimeSettings settings = settings(Map.of(
                "camel.component.outlook365.tenantId", "contoso",
                "camel.component.outlook365.clientId", "app",
                "camel.component.timer.includeMetadata", "true",
                "outlook365.example.pollDelay", "500"));

        Map<String, Map<String, Object>> options = settings.componentOptions();

        assertEquals(Map.of("tenantId", "contoso", "clientId", "app", "stateDirectory", DATA.resolve("state").toString()),
                options.get("outlook365"));
        assertEquals(Map.of("includeMetadata", "true"), options.get("timer"));
        assertEquals("500", settings.placeholders().get("outlook365.example.pollDelay"));
    }

    @Test
    void aTrustStoreBecomesTheSslContextParametersUnlessOneIsConfigured() {
        assertEquals("#bean:outlook365Tls", settings(Map.of("tls.trustStore", "/etc/trust.p12"))
                .componentOptions().get("outlook365").get("sslContextParameters"));
        assertEquals("#bean:mine", settings(Map.of("tls.trustStore", "/etc/trust.p12",
                "camel.component.outlook365.sslContextParameters", "#bean:mine"))
                .componentOptions().get("outlook365").get("sslContextParameters"));
        assertNull(settings(Map.of()).componentOptions().get("outlook365").get("sslContextParameters"));
    }

    @Test
    void blankValuesUnresolvedEnvironmentVariablesAndOsgiKeysAreUnset() {
        RuntimeSettings settings = settings(Map.of(
                "camel.component.outlook365.tenantId", " ",
                "camel.component.outlook365.clientSecret", "${env:OUTLOOK365_CLIENT_SECRET}",
                "service.pid", "io.github.outlook365",
                "felix.fileinstall.filename", "file:/karaf/etc/io.github.outlook365.cfg"));

        assertEquals(Map.of(), settings.placeholders());
    }

    @Test
    void theRoutesFolderAndScanIntervalHaveDefaults() {
        assertEquals(ROUTES, settings(Map.of()).routesDirectory());
        assertEquals(1000, settings(Map.of()).scanIntervalMillis());
        assertEquals(Path.of("/srv/routes"), settings(Map.of("routes.directory", "/srv/routes")).routesDirectory());
        assertEquals(250, settings(Map.of("routes.scanInterval", "250")).scanIntervalMillis());
    }

    @Test
    void aScanIntervalThatIsNoNumberIsRefusedByName() {
        BadConfiguration e = assertThrows(BadConfiguration.class,
                () -> settings(Map.of("routes.scanInterval", "1s")).scanIntervalMillis());
        assertTrue(e.getMessage().contains("routes.scanInterval"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} is masked in the log (a secret, or a key not known to hold none)")
    @CsvSource({
            "camel.component.outlook365.clientSecret",
            "camel.component.outlook365.certificate",
            "camel.component.outlook365.certificatePassword",
            "camel.component.outlook365.refreshToken",
            "camel.component.outlook365.tokenStoreKey",
            "tls.trustStorePassword",
            "camel.component.outlook365.clientSecrt",
            "my.api.password",
            "outlook365.example.pollDelay"
    })
    void secretsAreMaskedInTheDescription(String key) {
        String description = settings(Map.of(key, "s3cr3t-value", "camel.component.outlook365.tenantId", "contoso"))
                .describe();

        assertFalse(description.contains("s3cr3t-value"), description);
        assertTrue(description.contains(key + "=xxxxxx"), description);
        assertTrue(description.contains("camel.component.outlook365.tenantId=contoso"), description);
    }

    @ParameterizedTest(name = "{0} is shown in the log")
    @CsvSource({
            "camel.component.outlook365.tenantId",
            "camel.component.outlook365.account",
            "camel.component.outlook365.authorityHost",
            "tls.trustStore",
            "routes.directory"
    })
    void optionsKnownToHoldNoSecretAreShown(String key) {
        assertTrue(settings(Map.of(key, "visible-value")).describe().contains(key + "=visible-value"));
    }

    private static RuntimeSettings settings(Map<String, String> raw) {
        return new RuntimeSettings(raw, ROUTES, DATA);
    }
}

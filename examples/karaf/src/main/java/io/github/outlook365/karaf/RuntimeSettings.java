package io.github.outlook365.karaf;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.camel.util.SensitiveUtils;

/**
 * The configuration PID {@code io.github.outlook365} ({@code etc/io.github.outlook365.cfg}) read for the Camel
 * context: {@code camel.component.<scheme>.<option>} per component, {@code tls.*} for a trust store,
 * {@code routes.*} for the watched folder, and every key as a property placeholder. Blank values and
 * {@code ${env:...}} left unresolved by Karaf count as unset.
 */
final class RuntimeSettings {

    static final String PID = "io.github.outlook365";
    static final String COMPONENT_PREFIX = "camel.component.";
    static final String TLS_BEAN = "outlook365Tls";

    private final Map<String, String> properties;
    private final Path defaultRoutes;
    private final Path dataDirectory;

    RuntimeSettings(Map<String, String> raw, Path defaultRoutes, Path dataDirectory) {
        Map<String, String> set = new TreeMap<>();
        raw.forEach((key, value) -> {
            if (value != null && !value.isBlank() && !value.trim().startsWith("${env:") && !isOsgiKey(key)) {
                set.put(key, value.trim());
            }
        });
        this.properties = Collections.unmodifiableMap(set);
        this.defaultRoutes = defaultRoutes;
        this.dataDirectory = dataDirectory;
    }

    private static boolean isOsgiKey(String key) {
        return key.equals("service.pid") || key.startsWith("felix.") || key.equals("component.name")
                || key.equals("service.factoryPid");
    }

    Map<String, String> placeholders() {
        return properties;
    }

    Path routesDirectory() {
        String dir = properties.get("routes.directory");
        return dir == null ? defaultRoutes : Path.of(dir);
    }

    long scanIntervalMillis() {
        String interval = properties.get("routes.scanInterval");
        try {
            return interval == null ? 1000 : Math.max(100, Long.parseLong(interval));
        } catch (NumberFormatException e) {
            throw new BadConfiguration("routes.scanInterval must be a number of milliseconds");
        }
    }

    /** The options of each component, by scheme, with the Karaf defaults filled in for outlook365. */
    Map<String, Map<String, Object>> componentOptions() {
        Map<String, Map<String, Object>> byScheme = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (key.startsWith(COMPONENT_PREFIX)) {
                String rest = key.substring(COMPONENT_PREFIX.length());
                int dot = rest.indexOf('.');
                if (dot > 0) {
                    byScheme.computeIfAbsent(rest.substring(0, dot), s -> new TreeMap<>()).put(rest.substring(dot + 1), value);
                }
            }
        });
        Map<String, Object> outlook = byScheme.computeIfAbsent("outlook365", s -> new TreeMap<>());
        outlook.putIfAbsent("stateDirectory", dataDirectory.resolve("state").toString());
        if (trustStore() != null) {
            outlook.putIfAbsent("sslContextParameters", "#bean:" + TLS_BEAN);
        }
        return byScheme;
    }

    String trustStore() {
        return properties.get("tls.trustStore");
    }

    String trustStorePassword() {
        return properties.get("tls.trustStorePassword");
    }

    String trustStoreType() {
        return properties.getOrDefault("tls.trustStoreType", "PKCS12");
    }

    /**
     * Values the log may show: options known to hold no secret. Every other value is masked, so that a secret under a
     * mistyped or unknown key (clientSecrt, my.api.password) is not shown either.
     */
    private static final Set<String> SHOWN = Set.of("authmode", "tenantid", "clientid", "account", "environment",
            "authorityhost", "graphendpoint", "statedirectory", "certificatefile", "redirecturi", "scopes",
            "truststore", "truststoretype", "directory", "scaninterval", "folder", "calendar", "timezone");

    static boolean isShown(String key) {
        String last = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return SHOWN.contains(last) && !SensitiveUtils.containsSensitive(key);
    }

    /** For the log: every key, and the values of the options known to hold no secret. */
    String describe() {
        return properties.entrySet().stream()
                .map(e -> e.getKey() + "=" + (isShown(e.getKey()) ? e.getValue() : "xxxxxx"))
                .collect(Collectors.joining(", ", "{", "}"));
    }
}

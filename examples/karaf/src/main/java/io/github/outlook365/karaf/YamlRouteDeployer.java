package io.github.outlook365.karaf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.slf4j.LoggerFactory;

/**
 * Keeps the routes of a CamelContext in step with the {@code *.camel.yaml} files of one folder: a new file's routes
 * are loaded and started, a changed file's routes are stopped, removed and loaded again, a removed file's routes are
 * stopped and removed. Each {@link #scan()} compares the folder with what was deployed; a file that fails to load
 * leaves none of its routes behind and is tried again when it changes (or when the context is rebuilt, e.g. because
 * the bundle of a component it needs was installed).
 * Not thread-safe: one thread scans.
 */
public final class YamlRouteDeployer {

    static final String SUFFIX = ".camel.yaml";

    private static final Logger LOG = LoggerFactory.getLogger(YamlRouteDeployer.class);

    private final CamelContext context;
    private final Path directory;
    /** what is deployed (or failed) per file: its content, and the ids of the routes it gave */
    private final Map<Path, Deployment> deployments = new HashMap<>();

    public YamlRouteDeployer(CamelContext context, Path directory) {
        this.context = context;
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }

    /** The route ids per deployed file name (files that failed map to an empty set). */
    public Map<String, Set<String>> deployed() {
        return deployments.entrySet().stream().collect(Collectors.toMap(e -> e.getKey().getFileName().toString(),
                e -> e.getValue().routeIds, (a, b) -> a, TreeMap::new));
    }

    /** Brings the routes in line with the folder. */
    public void scan() {
        Map<Path, byte[]> present = readFolder();
        for (Path gone : deployments.keySet().stream().filter(p -> !present.containsKey(p)).toList()) {
            Deployment old = deployments.remove(gone);
            removeRoutes(old.routeIds);
            LOG.info("Stopped and removed {} route(s) {} of {}: the file was removed", old.routeIds.size(), old.routeIds,
                    gone.getFileName());
        }
        present.forEach((file, content) -> {
            Deployment old = deployments.get(file);
            if (old == null) {
                deploy(file, content, "added");
            } else if (!Arrays.equals(old.content, content)) {
                removeRoutes(old.routeIds);
                deployments.remove(file);
                deploy(file, content, "changed");
            }
        });
    }

    /** Stops and removes every route this deployer started. */
    public void undeployAll() {
        deployments.values().forEach(d -> removeRoutes(d.routeIds));
        deployments.clear();
    }

    private void deploy(Path file, byte[] content, String why) {
        Set<String> before = routeIds();
        try {
            // Camel would silently replace another file's route of the same id: refuse the file instead
            for (String id : declaredRouteIds(content)) {
                if (before.contains(id)) {
                    String owner = deployments.entrySet().stream().filter(d -> d.getValue().routeIds.contains(id))
                            .map(d -> d.getKey().getFileName().toString()).findFirst().orElse("another route");
                    throw new IllegalArgumentException("route id '" + id + "' is already used by " + owner
                            + "; give the route another id");
                }
            }
            Resource resource = ResourceHelper.fromBytes("file:" + file.toAbsolutePath(), content);
            RoutesLoader loader = PluginHelper.getRoutesLoader(context);
            loader.loadRoutes(resource);
            Set<String> added = routeIds();
            added.removeAll(before);
            deployments.put(file, new Deployment(content, added));
            LOG.info("Started {} route(s) {} from {} ({})", added.size(), added, file.getFileName(), why);
        } catch (Exception e) {
            // nothing half-done: whatever the file added before it failed goes again
            Set<String> partial = routeIds();
            partial.removeAll(before);
            removeRoutes(partial);
            deployments.put(file, new Deployment(content, Set.of()));
            LOG.error("Could not load {} ({}): {}. Fix the file and save it again; it is reloaded on change.",
                    file.getFileName(), why, rootMessage(e));
            LOG.debug("Loading {} failed", file, e);
        }
    }

    /** The ids of the {@code - route:} entries that name one (the loader reports a file it cannot parse). */
    private static Set<String> declaredRouteIds(byte[] content) {
        Set<String> ids = new LinkedHashSet<>();
        try {
            Object document = new Load(LoadSettings.builder().build())
                    .loadFromString(new String(content, StandardCharsets.UTF_8));
            if (document instanceof List<?> entries) {
                for (Object entry : entries) {
                    if (entry instanceof Map<?, ?> map && map.get("route") instanceof Map<?, ?> route
                            && route.get("id") != null) {
                        ids.add(String.valueOf(route.get("id")));
                    }
                }
            }
        } catch (RuntimeException e) {
            // not YAML: RoutesLoader says what is wrong with it
        }
        return ids;
    }

    private void removeRoutes(Set<String> ids) {
        for (String id : ids) {
            try {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
            } catch (Exception e) {
                LOG.warn("Could not stop route {}: {}", id, rootMessage(e), e);
            }
        }
    }

    private Set<String> routeIds() {
        return context.getRoutes().stream().map(Route::getRouteId).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private Map<Path, byte[]> readFolder() {
        Map<Path, byte[]> files = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : stream) {
                if (Files.isRegularFile(file)) {
                    try {
                        files.put(file, Files.readAllBytes(file));
                    } catch (IOException e) {
                        // being written or just deleted: the next scan sees it settled
                        Deployment known = deployments.get(file);
                        if (known != null) {
                            files.put(file, known.content);
                        }
                    }
                }
            }
        } catch (IOException e) {
            LOG.warn("Could not list {}: {}", directory, e.getMessage());
            deployments.keySet().forEach(p -> files.put(p, deployments.get(p).content));
        }
        return files;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }

    private record Deployment(byte[] content, Set<String> routeIds) {
    }
}

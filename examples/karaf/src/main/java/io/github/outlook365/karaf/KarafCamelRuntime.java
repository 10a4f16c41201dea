package io.github.outlook365.karaf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.Component;
import org.apache.camel.PropertyBindingException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One CamelContext for the YAML routes of the watched folder, rebuilt whenever the configuration changes or a bundle
 * with Camel components comes or goes. Everything runs on one thread ("outlook365-karaf"): configuration, restarts and
 * folder scans never overlap.
 */
final class KarafCamelRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(KarafCamelRuntime.class);

    private final ClassLoader classLoader;
    private final Path defaultRoutes;
    private final Path dataDirectory;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "outlook365-karaf");
        t.setDaemon(true);
        return t;
    });

    private volatile boolean closing;
    private Map<String, String> configuration;
    private CamelContext context;
    private YamlRouteDeployer deployer;
    private ScheduledFuture<?> scanning;
    private ScheduledFuture<?> pendingRestart;

    KarafCamelRuntime(ClassLoader classLoader, Path defaultRoutes, Path dataDirectory) {
        this.classLoader = classLoader;
        this.defaultRoutes = defaultRoutes;
        this.dataDirectory = dataDirectory;
    }

    /** New settings from config admin (empty when the PID has none): restart with them. */
    void configure(Map<String, String> properties) {
        if (closing) {
            return;
        }
        onRuntimeThread(() -> {
            configuration = properties;
            restartNow();
        });
    }

    /** A bundle with Camel components came or went: restart soon (several bundles in a row restart once). */
    void componentsChanged() {
        if (closing) {
            return; // Karaf stops bundles one by one on shutdown: no restart for each
        }
        onRuntimeThread(() -> {
            if (configuration == null || closing) {
                return; // not started yet: the first configuration starts with every bundle there is
            }
            if (pendingRestart != null) {
                pendingRestart.cancel(false);
            }
            pendingRestart = thread.schedule(this::restartNow, 500, TimeUnit.MILLISECONDS);
        });
    }

    void shutdown() {
        closing = true;
        thread.execute(this::stopContext);
        thread.shutdown();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void onRuntimeThread(Runnable task) {
        try {
            thread.execute(task);
        } catch (RejectedExecutionException e) {
            // shutting down meanwhile
        }
    }

    private void restartNow() {
        stopContext();
        if (closing) {
            return;
        }
        RuntimeSettings settings = new RuntimeSettings(configuration, defaultRoutes, dataDirectory);
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(classLoader);
        try {
            LOG.info("Starting Camel for the YAML routes in {} with etc/{}.cfg {}", settings.routesDirectory(),
                    RuntimeSettings.PID, settings.describe());
            CamelContext camel = createContext(settings);
            Files.createDirectories(settings.routesDirectory());
            context = camel;
            deployer = new YamlRouteDeployer(camel, settings.routesDirectory());
            scanning = thread.scheduleWithFixedDelay(this::scan, 0, settings.scanIntervalMillis(), TimeUnit.MILLISECONDS);
        } catch (BadConfiguration e) {
            LOG.error("Camel for the YAML routes did not start: {} (etc/{}.cfg). Fix it; it is applied on save.",
                    e.getMessage(), RuntimeSettings.PID);
            stopContext();
        } catch (Exception e) {
            LOG.error("Camel for the YAML routes did not start: {}. Fix etc/{}.cfg; it is applied on save.",
                    e.getMessage(), RuntimeSettings.PID, e);
            stopContext();
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private CamelContext createContext(RuntimeSettings settings) throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext(false);
        camel.getCamelContextExtension().setName("outlook365-karaf");
        camel.setApplicationContextClassLoader(classLoader);
        Properties placeholders = new Properties();
        placeholders.putAll(settings.placeholders());
        camel.getPropertiesComponent().setInitialProperties(placeholders);
        camel.build();
        if (settings.trustStore() != null) {
            camel.getRegistry().bind(RuntimeSettings.TLS_BEAN, trustStoreParameters(settings));
        }
        for (Map.Entry<String, Map<String, Object>> entry : settings.componentOptions().entrySet()) {
            Component component = camel.getComponent(entry.getKey(), true);
            if (component == null) {
                if (!entry.getKey().equals("outlook365") || settings.placeholders().keySet().stream()
                        .anyMatch(k -> k.startsWith(RuntimeSettings.COMPONENT_PREFIX + "outlook365."))) {
                    LOG.warn("etc/{}.cfg configures the component '{}', but no installed bundle provides it",
                            RuntimeSettings.PID, entry.getKey());
                }
                continue;
            }
            try {
                PropertyBindingSupport.build().withCamelContext(camel).withTarget(component)
                        .withProperties(new HashMap<>(entry.getValue())).withMandatory(true)
                        .withIgnoreCase(true).withReference(true).withRemoveParameters(false).bind();
            } catch (PropertyBindingException e) {
                // its message carries the value, which may be a secret: name the key only
                throw new BadConfiguration(RuntimeSettings.COMPONENT_PREFIX + entry.getKey() + "." + e.getPropertyName()
                        + " is not an option of the component '" + entry.getKey() + "', or its value is not of the"
                        + " option's type");
            }
        }
        camel.start();
        return camel;
    }

    private static SSLContextParameters trustStoreParameters(RuntimeSettings settings) {
        if (!Files.isReadable(Path.of(settings.trustStore()))) {
            throw new BadConfiguration("tls.trustStore " + settings.trustStore() + " is not a readable file");
        }
        KeyStoreParameters store = new KeyStoreParameters();
        store.setResource("file:" + Path.of(settings.trustStore()).toAbsolutePath());
        store.setType(settings.trustStoreType());
        store.setPassword(settings.trustStorePassword());
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(store);
        SSLContextParameters ssl = new SSLContextParameters();
        ssl.setTrustManagers(trust);
        return ssl;
    }

    private void scan() {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(classLoader);
        try {
            deployer.scan();
        } catch (RuntimeException e) {
            LOG.error("Scanning {} failed: {}", deployer.directory(), e.getMessage(), e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    private void stopContext() {
        if (scanning != null) {
            scanning.cancel(false);
            scanning = null;
        }
        if (deployer != null) {
            deployer.undeployAll();
            deployer = null;
        }
        if (context != null) {
            try {
                context.close();
            } catch (Exception e) {
                LOG.warn("Stopping Camel: {}", e.getMessage(), e);
            }
            context = null;
        }
    }
}

package io.github.outlook365.karaf;

import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ManagedService;
import org.osgi.util.tracker.BundleTracker;
import org.osgi.util.tracker.BundleTrackerCustomizer;

/**
 * Starts Camel for the YAML routes of {@code ${karaf.base}/deploy-camel} (or {@code routes.directory}), configured by
 * the PID {@code io.github.outlook365}, with the Camel components of every resolved bundle that has them.
 */
public final class Activator implements BundleActivator {

    private static final String COMPONENT_SERVICES = "META-INF/services/org/apache/camel/component";

    private KarafCamelRuntime runtime;
    private BundleTracker<Bundle> tracker;
    private ServiceRegistration<ManagedService> configuration;

    @Override
    public void start(BundleContext bundleContext) {
        String base = property(bundleContext, "karaf.base", ".");
        String data = property(bundleContext, "karaf.data", base + "/data");
        CamelBundlesClassLoader classLoader = new CamelBundlesClassLoader(Activator.class.getClassLoader());
        runtime = new KarafCamelRuntime(classLoader, Path.of(base, "deploy-camel"), Path.of(data, "outlook365"));

        Bundle self = bundleContext.getBundle();
        tracker = new BundleTracker<>(bundleContext, Bundle.RESOLVED | Bundle.STARTING | Bundle.ACTIVE,
                new BundleTrackerCustomizer<>() {
                    @Override
                    public Bundle addingBundle(Bundle bundle, BundleEvent event) {
                        if (bundle.equals(self) || bundle.getEntry(COMPONENT_SERVICES) == null) {
                            return null;
                        }
                        if (classLoader.add(bundle)) {
                            runtime.componentsChanged();
                        }
                        return bundle;
                    }

                    @Override
                    public void modifiedBundle(Bundle bundle, BundleEvent event, Bundle tracked) {
                    }

                    @Override
                    public void removedBundle(Bundle bundle, BundleEvent event, Bundle tracked) {
                        if (classLoader.remove(bundle)) {
                            runtime.componentsChanged();
                        }
                    }
                });
        tracker.open();

        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_PID, RuntimeSettings.PID);
        ManagedService managed = settings -> runtime.configure(toMap(settings));
        configuration = bundleContext.registerService(ManagedService.class, managed, properties);
    }

    @Override
    public void stop(BundleContext bundleContext) {
        runtime.shutdown();
        configuration.unregister();
        tracker.close();
    }

    private static Map<String, String> toMap(Dictionary<String, ?> settings) {
        Map<String, String> map = new HashMap<>();
        if (settings != null) {
            for (Enumeration<String> keys = settings.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                map.put(key, String.valueOf(settings.get(key)));
            }
        }
        return map;
    }

    private static String property(BundleContext bundleContext, String name, String fallback) {
        String value = bundleContext.getProperty(name);
        return value == null ? fallback : value;
    }
}

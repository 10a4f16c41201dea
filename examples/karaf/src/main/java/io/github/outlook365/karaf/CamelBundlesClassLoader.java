package io.github.outlook365.karaf;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Bundle;

/**
 * Camel's application class loader in Karaf: this bundle's own (Camel and its YAML DSL) first, then every bundle that
 * carries Camel service files (META-INF/services/org/apache/camel/component/...), so that Camel finds a component
 * such as outlook365 by its scheme and loads its classes from the bundle that has them.
 */
final class CamelBundlesClassLoader extends ClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final CopyOnWriteArrayList<Bundle> bundles = new CopyOnWriteArrayList<>();

    CamelBundlesClassLoader(ClassLoader own) {
        super(own);
    }

    boolean add(Bundle bundle) {
        return bundles.addIfAbsent(bundle);
    }

    boolean remove(Bundle bundle) {
        return bundles.remove(bundle);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        for (Bundle bundle : bundles) {
            try {
                return bundle.loadClass(name);
            } catch (ClassNotFoundException | IllegalStateException e) {
                // not in this bundle
            }
        }
        throw new ClassNotFoundException(name);
    }

    @Override
    protected URL findResource(String name) {
        for (Bundle bundle : bundles) {
            try {
                URL url = bundle.getResource(name);
                if (url != null) {
                    return url;
                }
            } catch (IllegalStateException e) {
                // uninstalled meanwhile
            }
        }
        return null;
    }

    @Override
    protected Enumeration<URL> findResources(String name) throws IOException {
        List<URL> urls = new ArrayList<>();
        for (Bundle bundle : bundles) {
            try {
                Enumeration<URL> found = bundle.getResources(name);
                if (found != null) {
                    urls.addAll(Collections.list(found));
                }
            } catch (IllegalStateException e) {
                // uninstalled meanwhile
            }
        }
        return Collections.enumeration(urls);
    }
}

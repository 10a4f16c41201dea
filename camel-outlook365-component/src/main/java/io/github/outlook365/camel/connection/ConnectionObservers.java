package io.github.outlook365.camel.connection;

import javax.management.ObjectName;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.ManagementAgent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows a connection where operators look: a readiness check in the context's HealthCheckRegistry (camel-health) and
 * an MBean through the context's ManagementAgent (camel-management). Either is skipped when its module is absent.
 */
public final class ConnectionObservers {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionObservers.class);

    private ConnectionObservers() {
    }

    /** The MBean's name: {@code org.apache.camel:context=<name>,type=outlook365,name="<connection>"}. */
    public static ObjectName objectName(CamelContext context, Outlook365Connection connection) throws Exception {
        String contextName = context.getManagementName() != null ? context.getManagementName() : context.getName();
        return new ObjectName("org.apache.camel:context=" + ObjectName.quote(contextName)
                              + ",type=outlook365,name=" + ObjectName.quote(connection.lifecycle().name()));
    }

    public static void register(CamelContext context, Outlook365Connection connection) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry != null) {
            registry.register(new ConnectionHealthCheck(connection));
        }
        ManagementAgent agent = context.getManagementStrategy() != null
                ? context.getManagementStrategy().getManagementAgent() : null;
        if (agent != null) {
            try {
                ObjectName name = objectName(context, connection);
                if (!agent.isRegistered(name)) {
                    agent.register(new ManagedConnection(connection), name);
                }
            } catch (Exception e) {
                LOG.warn("Could not register the JMX view of connection {}: {}", connection.lifecycle().name(),
                        e.getMessage());
            }
        }
    }

    public static void unregister(CamelContext context, Outlook365Connection connection) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry != null) {
            registry.getCheck(ConnectionHealthCheck.idOf(connection)).ifPresent(registry::unregister);
        }
        ManagementAgent agent = context.getManagementStrategy() != null
                ? context.getManagementStrategy().getManagementAgent() : null;
        if (agent != null) {
            try {
                agent.unregister(objectName(context, connection));
            } catch (Exception e) {
                LOG.debug("Could not unregister the JMX view of connection {}: {}", connection.lifecycle().name(),
                        e.getMessage());
            }
        }
    }
}

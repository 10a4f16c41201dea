package io.github.outlook365.camel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.outlook365.camel.connection.Outlook365Connection;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.EndpointAware;
import org.apache.camel.Navigate;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.Service;
import org.apache.camel.support.LifecycleStrategySupport;

/**
 * Checks the Graph permissions of a route's {@code outlook365:} triggers and actions when the route starts.
 * <p>
 * Not earlier: Camel starts the producers of every route's static {@code to:} steps when it warms the routes up, also
 * those of a route that is switched off ({@code autoStartup: false}) and may never run; a check there would make a
 * switched-off route need permissions. Camel hands a route's consumer to the lifecycle strategies right before it
 * starts it, at the context's start and whenever a route is started later (JMX, the route controller), so the check
 * runs for exactly the routes that start, and fails their start with what they need.
 * <p>
 * Dynamic endpoints ({@code toD}) are not known before an exchange; Graph's 403 explains theirs.
 */
public final class RoutePermissions extends LifecycleStrategySupport {

    private final Outlook365Component component;

    RoutePermissions(Outlook365Component component) {
        this.component = component;
    }

    @Override
    public void onServiceAdd(CamelContext context, Service service, Route route) {
        if (route == null || !(service instanceof Consumer) || route.getConsumer() != service) {
            return;
        }
        byConnection(route).forEach((connection, operations) -> connection.requirePermissions(route.getRouteId(),
                operations));
    }

    /**
     * The operations of each route of the context that uses {@code connection}, by route id, in the order of the
     * routes (connection/check shows them).
     */
    public static Map<String, Set<Outlook365Operation>> operationsByRoute(CamelContext context,
                                                                          Outlook365Connection connection) {
        Map<String, Set<Outlook365Operation>> byRoute = new LinkedHashMap<>();
        for (Route route : context.getRoutes()) {
            for (Outlook365Endpoint endpoint : endpoints(route)) {
                if (endpoint.connectionSettings() != null
                        && endpoint.connectionSettings().key().equals(connection.settings().key())) {
                    byRoute.computeIfAbsent(route.getRouteId(), k -> new LinkedHashSet<>()).add(endpoint.operation());
                }
            }
        }
        return byRoute;
    }

    private Map<Outlook365Connection, Set<Outlook365Operation>> byConnection(Route route) {
        Map<Outlook365Connection, Set<Outlook365Operation>> operations = new LinkedHashMap<>();
        for (Outlook365Endpoint endpoint : endpoints(route)) {
            if (endpoint.getComponent() == component) {
                operations.computeIfAbsent(endpoint.connection(), k -> new LinkedHashSet<>()).add(endpoint.operation());
                if (endpoint.groupOperation() != null) {
                    // accountsGroup reads the group's members: GroupMember.Read.All
                    operations.get(endpoint.connection()).add(endpoint.groupOperation());
                }
            }
        }
        return operations;
    }

    /** The route's own trigger and the endpoints of its static steps, wherever they are nested (choice, doTry, ...). */
    private static List<Outlook365Endpoint> endpoints(Route route) {
        Set<Endpoint> found = new LinkedHashSet<>();
        found.add(route.getEndpoint());
        collect(route.navigate(), found, new LinkedHashSet<>());
        List<Outlook365Endpoint> endpoints = new ArrayList<>();
        for (Endpoint endpoint : found) {
            if (endpoint instanceof Outlook365Endpoint outlook) {
                endpoints.add(outlook);
            }
        }
        return endpoints;
    }

    @SuppressWarnings("unchecked")
    private static void collect(Navigate<Processor> node, Set<Endpoint> found, Set<Object> seen) {
        if (node == null || !seen.add(node) || !node.hasNext()) {
            return;
        }
        List<Processor> next = node.next();
        if (next == null) {
            return;
        }
        for (Processor processor : next) {
            if (processor instanceof EndpointAware aware && aware.getEndpoint() != null) {
                found.add(aware.getEndpoint());
            }
            if (processor instanceof Navigate<?> child) {
                collect((Navigate<Processor>) child, found, seen);
            }
        }
    }
}

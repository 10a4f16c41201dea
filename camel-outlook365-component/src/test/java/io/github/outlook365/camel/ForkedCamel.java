package io.github.outlook365.camel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.outlook365.simulator.Outlook365Simulator;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A Camel application in a JVM of its own, connected to the simulator of the test that starts it: what a test needs
 * to kill a process outright (kill -9), or to measure a JVM of a given size. The test passes its simulator's address
 * and the tenant as {@code --name value} arguments; the forked main builds its context with {@link #context(Map)}.
 */
public final class ForkedCamel {

    private ForkedCamel() {
    }

    /** The command that runs {@code main} in a new JVM with the test's classpath. */
    public static List<String> command(Class<?> main, List<String> jvmOptions, Map<String, String> arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        arguments.forEach((k, v) -> {
            command.add("--" + k);
            command.add(v);
        });
        return command;
    }

    /** The arguments that connect a forked application as ada of the simulated tenant. */
    public static Map<String, String> connection(Outlook365Simulator simulator, Path trustStore) {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("base", simulator.baseUrl());
        args.put("trust", trustStore.toString());
        args.put("tenant", SimulatedTenant.TENANT);
        args.put("client", SimulatedTenant.CLIENT_ID);
        args.put("secret", SimulatedTenant.CLIENT_SECRET);
        args.put("account", SimulatedTenant.ADA);
        return args;
    }

    /** {@code --name value} pairs. */
    public static Map<String, String> arguments(String[] args) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            map.put(args[i].substring(2), args[i + 1]);
        }
        return map;
    }

    /** The component's options as {@link #connection(Outlook365Simulator, Path)} passed them. */
    public static Outlook365Configuration configuration(Map<String, String> a) {
        Outlook365Configuration c = new Outlook365Configuration();
        c.setAuthorityHost(a.get("base"));
        c.setGraphEndpoint(a.get("base"));
        c.setTenantId(a.get("tenant"));
        c.setClientId(a.get("client"));
        c.setClientSecret(a.get("secret"));
        c.setAccount(a.get("account"));
        c.setStateDirectory(a.get("state"));
        c.setMaxRetryDelay(2_000);
        c.setSslContextParameters(SimulatedTenant.trusting(Path.of(a.get("trust"))));
        return c;
    }

    /** A context without JMX whose outlook365 component has {@code configuration}. */
    public static CamelContext context(Outlook365Configuration configuration) {
        CamelContext context = new DefaultCamelContext();
        context.disableJMX();
        Outlook365Component component = new Outlook365Component();
        component.setConfiguration(configuration);
        context.addComponent("outlook365", component);
        return context;
    }
}

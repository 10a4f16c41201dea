package io.github.outlook365.simulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator as a process until it is killed.
 *
 * <pre>
 * --port N                      (default 8443; 0 = ephemeral)
 * --tenant T --client-id C --client-secret S   register an app with all roles
 * --mailbox upn                 create a mailbox in the tenant (repeatable)
 * --truststore FILE --truststore-password P    write a PKCS12 trust store with the simulator's certificate
 * </pre>
 *
 * Prints the base URL on standard output.
 */
public final class Outlook365SimulatorMain {

    private Outlook365SimulatorMain() {
    }

    public static void main(String[] args) {
        int port = 8443;
        String tenant = null;
        String clientId = null;
        String clientSecret = null;
        List<String> mailboxes = new ArrayList<>();
        String trustStore = null;
        String trustStorePassword = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--port":
                    port = Integer.parseInt(value(args, ++i, arg));
                    break;
                case "--tenant":
                    tenant = value(args, ++i, arg);
                    break;
                case "--client-id":
                    clientId = value(args, ++i, arg);
                    break;
                case "--client-secret":
                    clientSecret = value(args, ++i, arg);
                    break;
                case "--mailbox":
                    mailboxes.add(value(args, ++i, arg));
                    break;
                case "--truststore":
                    trustStore = value(args, ++i, arg);
                    break;
                case "--truststore-password":
                    trustStorePassword = value(args, ++i, arg);
                    break;
                case "--help":
                case "-h":
                    usage();
                    return;
                default:
                    System.err.println("Unknown argument: " + arg);
                    usage();
                    System.exit(2);
                    return;
            }
        }
        if ((clientId != null || clientSecret != null || !mailboxes.isEmpty()) && tenant == null) {
            System.err.println("--client-id, --client-secret and --mailbox need --tenant");
            System.exit(2);
        }
        if ((clientId == null) != (clientSecret == null)) {
            System.err.println("--client-id and --client-secret go together");
            System.exit(2);
        }

        Outlook365Simulator simulator = Outlook365Simulator.start(port);
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "outlook365-simulator-shutdown"));
        if (clientId != null) {
            simulator.registerApp(tenant, clientId, clientSecret);
            System.out.println("Registered app " + clientId + " in tenant " + tenant);
        }
        for (String upn : mailboxes) {
            simulator.createMailbox(tenant, upn, displayName(upn));
            System.out.println("Created mailbox " + upn);
        }
        if (trustStore != null) {
            char[] password = (trustStorePassword == null ? "changeit" : trustStorePassword).toCharArray();
            Path written = simulator.writeTrustStore(Path.of(trustStore), password);
            System.out.println("Wrote trust store " + written.toAbsolutePath());
        }
        System.out.println("Outlook 365 simulator running at " + simulator.baseUrl());
        System.out.println(simulator.baseUrl());
        System.out.flush();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return args[i];
    }

    /** "alice.smith@contoso.com" -> "Alice Smith". */
    static String displayName(String upn) {
        String local = upn.contains("@") ? upn.substring(0, upn.indexOf('@')) : upn;
        StringBuilder name = new StringBuilder();
        for (String part : local.split("[._-]+")) {
            if (part.isEmpty()) {
                continue;
            }
            if (name.length() > 0) {
                name.append(' ');
            }
            name.append(part.substring(0, 1).toUpperCase(Locale.ROOT)).append(part.substring(1));
        }
        return name.length() == 0 ? upn : name.toString();
    }

    private static void usage() {
        System.out.println("Usage: Outlook365SimulatorMain [--port N] [--tenant T --client-id C --client-secret S]"
                + " [--mailbox upn]... [--truststore FILE --truststore-password P]");
    }
}

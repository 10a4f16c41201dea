package io.github.outlook365.simulator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the simulator as a process until it is killed.
 *
 * <pre>
 * --port N                      (default 8443; 0 = ephemeral)
 * --tenant T --client-id C --client-secret S   register an app (every application permission unless --roles)
 * --roles Mail.Read,Mail.Send   the application permissions an admin granted the app
 * --redirect-uri URI            register the app as a web app for sign-ins (authMode=authorizationCode)
 * --delegated-permissions User.Read,Mail.Read   the delegated permissions of that web app (default: every one)
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
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            usage();
            return;
        }
        Outlook365Simulator simulator;
        try {
            simulator = start(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            usage();
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(simulator::close, "outlook365-simulator-shutdown"));
        System.out.println("Outlook 365 simulator running at " + simulator.baseUrl());
        System.out.println(simulator.baseUrl());
        System.out.flush();
        try {
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Starts a simulator set up as the command line says (what {@link #main} runs, for tests that follow a document's
     * command); the caller closes it.
     *
     * @throws IllegalArgumentException for an unknown argument or one without its value or companion
     */
    public static Outlook365Simulator start(String... args) {
        int port = 8443;
        String tenant = null;
        String clientId = null;
        String clientSecret = null;
        Set<String> roles = null;
        String redirectUri = null;
        Set<String> delegatedPermissions = null;
        List<String> mailboxes = new ArrayList<>();
        String trustStore = null;
        String trustStorePassword = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, arg));
                case "--tenant" -> tenant = value(args, ++i, arg);
                case "--client-id" -> clientId = value(args, ++i, arg);
                case "--client-secret" -> clientSecret = value(args, ++i, arg);
                case "--roles" -> roles = list(value(args, ++i, arg));
                case "--redirect-uri" -> redirectUri = value(args, ++i, arg);
                case "--delegated-permissions" -> delegatedPermissions = list(value(args, ++i, arg));
                case "--mailbox" -> mailboxes.add(value(args, ++i, arg));
                case "--truststore" -> trustStore = value(args, ++i, arg);
                case "--truststore-password" -> trustStorePassword = value(args, ++i, arg);
                default -> throw new IllegalArgumentException("Unknown argument: " + arg);
            }
        }
        if ((clientId != null || clientSecret != null || !mailboxes.isEmpty()) && tenant == null) {
            throw new IllegalArgumentException("--client-id, --client-secret and --mailbox need --tenant");
        }
        if ((clientId == null) != (clientSecret == null)) {
            throw new IllegalArgumentException("--client-id and --client-secret go together");
        }
        if (clientId == null && (roles != null || redirectUri != null || delegatedPermissions != null)) {
            throw new IllegalArgumentException("--roles, --redirect-uri and --delegated-permissions need --client-id");
        }
        if (redirectUri != null && roles != null) {
            throw new IllegalArgumentException("--roles is for an app-only registration: a web app (--redirect-uri)"
                                               + " takes --delegated-permissions");
        }

        Outlook365Simulator simulator = Outlook365Simulator.start(port);
        try {
            if (redirectUri != null) {
                simulator.registerWebApp(tenant, clientId, clientSecret, redirectUri, delegatedPermissions);
                System.out.println("Registered web app " + clientId + " in tenant " + tenant + " with redirect URI "
                                   + redirectUri + " and delegated permissions "
                                   + (delegatedPermissions == null ? "(all)" : String.join(", ", delegatedPermissions)));
            } else if (clientId != null) {
                if (roles == null) {
                    simulator.registerApp(tenant, clientId, clientSecret);
                } else {
                    simulator.registerApp(tenant, clientId, clientSecret, roles);
                }
                System.out.println("Registered app " + clientId + " in tenant " + tenant + " with application"
                                   + " permissions " + (roles == null ? "(all)" : String.join(", ", roles)));
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
        } catch (RuntimeException e) {
            simulator.close();
            throw e;
        }
        return simulator;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static Set<String> list(String value) {
        Set<String> items = new LinkedHashSet<>();
        for (String item : value.split("[,\\s]+")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
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
        System.out.println("Usage: Outlook365SimulatorMain [--port N] [--tenant T --client-id C --client-secret S"
                           + " [--roles R,...] [--redirect-uri URI [--delegated-permissions P,...]]] [--mailbox upn]..."
                           + " [--truststore FILE --truststore-password P]");
    }
}

package io.github.outlook365.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A local, stateful HTTPS stand-in for Microsoft Entra ID (token endpoint) and Microsoft Graph v1.0 (mail), for tests
 * and examples. Both are served from {@link #baseUrl()}: Entra at {@code /{tenant}/oauth2/v2.0/token}, Graph under
 * {@code /v1.0}, and an unauthenticated control API under {@code /_simulator/}.
 *
 * <pre>{@code
 * try (Outlook365Simulator sim = Outlook365Simulator.start()) {
 *     sim.registerApp("tenant-1", "client-1", "secret-1");
 *     sim.createMailbox("tenant-1", "alice@contoso.com", "Alice");
 *     sim.deliver("alice@contoso.com", SimMail.from("bob@example.com", "Bob").subject("Hi").textBody("Hello"));
 *     HttpClient client = HttpClient.newBuilder().sslContext(sim.clientSslContext()).build();
 *     ...
 * }
 * }</pre>
 */
public final class Outlook365Simulator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Outlook365Simulator.class);
    private static final Pattern TOKEN_PATH = Pattern.compile("^/[^/]+/oauth2/v2\\.0/token$");
    private static final Pattern SECRET_IN_FORM =
            Pattern.compile("(^|&)(client_secret|client_assertion)=[^&]*");
    private static final int THREADS = 32;
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final TlsMaterial tls;
    private final SimulatorState state = new SimulatorState();
    private final HttpsServer server;
    private final ExecutorService executor;
    private final GraphApi graph;
    private final EntraEndpoints entra;
    private final ControlApi control;
    private final AtomicLong arrivals = new AtomicLong();
    private final int port;
    private final String baseUrl;
    private volatile boolean closed;

    private Outlook365Simulator(int requestedPort) {
        if (requestedPort < 0 || requestedPort > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + requestedPort);
        }
        this.tls = new TlsMaterial();
        int instance = INSTANCES.incrementAndGet();
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "outlook365-simulator-" + instance + "-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = Executors.newFixedThreadPool(THREADS, threads);
        answerWithoutNagleDelay();
        try {
            this.server = HttpsServer.create(
                    new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), requestedPort), 256);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("Cannot bind the Outlook 365 simulator to 127.0.0.1:" + requestedPort, e);
        }
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        this.port = server.getAddress().getPort();
        this.baseUrl = "https://localhost:" + port;
        this.graph = new GraphApi(this, state);
        this.entra = new EntraEndpoints(this, state, tls);
        this.control = new ControlApi(this);
        server.start();
        LOG.info("Outlook 365 simulator listening on {}", baseUrl);
    }

    /**
     * The JDK's HTTP server writes a response's headers and its body in two writes (two TLS records); with Nagle's
     * algorithm on its sockets the body waits for the client's ACK of the headers, which the client delays by up to
     * 40 ms: every answer took 40 ms longer than its work, and a thousand mailboxes started and polled at a fraction of
     * the pace the simulator can serve. Graph answers over the network in one go; so does the simulator with
     * TCP_NODELAY, which the JDK's server sets only when {@code sun.net.httpserver.nodelay} is true as its first server
     * in the JVM starts (a value set before is left alone).
     */
    private static void answerWithoutNagleDelay() {
        try {
            if (System.getProperty("sun.net.httpserver.nodelay") == null) {
                System.setProperty("sun.net.httpserver.nodelay", "true");
            }
        } catch (SecurityException e) {
            LOG.debug("Cannot set sun.net.httpserver.nodelay: answers may wait for delayed ACKs", e);
        }
    }

    /** Starts a simulator on an ephemeral port. */
    public static Outlook365Simulator start() {
        return start(0);
    }

    /** Starts a simulator on the given port of 127.0.0.1; 0 picks an ephemeral port. */
    public static Outlook365Simulator start(int port) {
        return new Outlook365Simulator(port);
    }

    /** {@code https://localhost:PORT}, without a trailing slash; serves both Entra and Graph. */
    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return port;
    }

    String hostAndPort() {
        return "localhost:" + port;
    }

    SimulatorState state() {
        return state;
    }

    /** An SSLContext that trusts the simulator's self-signed certificate. */
    public SSLContext clientSslContext() {
        return tls.clientContext();
    }

    /** Writes a PKCS12 trust store holding the simulator's certificate (alias "outlook365-simulator"). */
    public Path writeTrustStore(Path file, char[] password) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(password, "password");
        return tls.writeTrustStore(file, password);
    }

    /** Stops the server. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        state.stalls.releaseAll();
        graph.subscriptions().close();
        graph.batches().close();
        server.stop(0);
        executor.shutdownNow();
        LOG.info("Outlook 365 simulator on {} stopped", baseUrl);
    }

    /** Forgets tenants, apps, mailboxes, tokens, faults, latencies and recorded requests; the server keeps running. */
    public void reset() {
        state.reset();
    }

    // ------------------------------------------------------------------ directory

    /** Registers an app with every application role the simulator knows. */
    public void registerApp(String tenantId, String clientId, String clientSecret) {
        registerApp(tenantId, clientId, clientSecret, SimulatorState.ALL_ROLES);
    }

    /** Registers an app with the given application roles, e.g. "Mail.Read", "Mail.ReadWrite", "Mail.Send". */
    public void registerApp(String tenantId, String clientId, String clientSecret, Set<String> roles) {
        state.registerApp(tenantId, clientId, clientSecret, roles);
    }

    /**
     * Registers an app whose credential is a certificate (Entra's 'Certificates &amp; secrets' &gt; Certificates), with
     * every application role the simulator knows. Client assertions must be signed by its private key.
     */
    public void registerApp(String tenantId, String clientId, java.security.cert.X509Certificate certificate) {
        registerApp(tenantId, clientId, certificate, SimulatorState.ALL_ROLES);
    }

    /** Registers an app with a certificate credential and the given application roles. */
    public void registerApp(String tenantId, String clientId, java.security.cert.X509Certificate certificate,
            Set<String> roles) {
        Objects.requireNonNull(certificate, "certificate");
        state.registerApp(tenantId, clientId, null, null, certificate, roles);
    }

    /**
     * What an admin does for a certificate credential, in one step: makes a self-signed RSA certificate (valid one year),
     * registers it for a new app with every application role, and returns the base64 of its PKCS#12 (.pfx, private
     * key and certificate, protected by {@code pfxPassword}): the value of the component's certificate option.
     */
    public String registerAppWithNewCertificate(String tenantId, String clientId, char[] pfxPassword) {
        TlsMaterial.AppCertificate created = TlsMaterial.appCertificate("CN=" + clientId, pfxPassword);
        registerApp(tenantId, clientId, created.certificate());
        return java.util.Base64.getEncoder().encodeToString(created.pkcs12());
    }

    /**
     * Registers an app with a client secret that stops working at {@code secretExpiresAt} (then the token endpoint
     * answers AADSTS7000222), with every application role the simulator knows.
     */
    public void registerApp(String tenantId, String clientId, String clientSecret, Instant secretExpiresAt) {
        Objects.requireNonNull(clientSecret, "clientSecret");
        state.registerApp(tenantId, clientId, clientSecret, secretExpiresAt, null, SimulatorState.ALL_ROLES);
    }

    /**
     * Registers a web app for the authorization code flow: a client secret, a redirect URI (Web platform) and the
     * delegated permissions a user can consent to (e.g. "User.Read", "Mail.Read", "Mail.Send"; null = every delegated
     * permission the simulator knows). The app also gets every application role.
     */
    public void registerWebApp(String tenantId, String clientId, String clientSecret, String redirectUri,
            Set<String> delegatedPermissions) {
        Objects.requireNonNull(redirectUri, "redirectUri");
        SimulatorState.App app = state.registerApp(tenantId, clientId, clientSecret, SimulatorState.ALL_ROLES);
        app.redirectUris.add(redirectUri);
        if (delegatedPermissions != null) {
            app.delegatedPermissions = Set.copyOf(delegatedPermissions);
        }
    }

    /** Whether an admin granted tenant-wide consent to the app through {@code /{tenant}/adminconsent}. */
    public boolean adminConsented(String tenantId, String clientId) {
        SimulatorState.App app = state.app(tenantId, clientId);
        return app != null && app.adminConsented;
    }

    /** Gives a user FullAccess on another mailbox (a shared mailbox): delegated tokens with .Shared scopes reach it. */
    public void grantMailboxAccess(String mailboxUpn, String userUpn) {
        state.requireMailbox(mailboxUpn);
        state.requireMailbox(userUpn);
        state.mailboxDelegates.computeIfAbsent(SimulatorState.key(mailboxUpn),
                k -> java.util.concurrent.ConcurrentHashMap.newKeySet()).add(SimulatorState.key(userUpn));
    }

    /**
     * An admin revokes the user's sign-in sessions (Revoke-MgUserSignInSession): every refresh token issued to the user
     * so far answers invalid_grant AADSTS50173, and the user's access tokens stop working.
     */
    public void revokeSignInSessions(String tenantId, String upn) {
        Mailbox mailbox = state.requireMailbox(upn);
        state.userEpoch(mailbox.tenantId, mailbox.upn).incrementAndGet();
    }

    /** Every refresh token of the user expires as if unused for too long: invalid_grant AADSTS70008. */
    public void expireRefreshTokens(String tenantId, String upn) {
        state.refreshTokens.replaceAll((value, token) -> token.user().equalsIgnoreCase(upn)
                ? new SimulatorState.RefreshToken(value, token.tenantId(), token.clientId(), token.user(),
                        token.scopes(), token.issuedAt(), -1)
                : token);
    }

    /**
     * A refresh token for the user and app with the given delegated scopes, as if the user had signed in elsewhere
     * (what a headless deployment is seeded with).
     */
    public String issueRefreshToken(String tenantId, String clientId, String upn, Set<String> scopes) {
        SimulatorState.App app = state.app(tenantId, clientId);
        if (app == null) {
            throw new IllegalArgumentException("No app " + clientId + " in tenant " + tenantId);
        }
        Mailbox mailbox = state.requireMailbox(upn);
        String value = "1.SIM" + Ids.token() + Ids.token();
        state.refreshTokens.put(value, new SimulatorState.RefreshToken(value, app.tenantId, app.clientId, mailbox.upn,
                Set.copyOf(scopes), Instant.now(), state.userEpoch(app.tenantId, mailbox.upn).get()));
        return value;
    }

    /** How many refresh tokens the simulator issued and that still work (not rotated away, expired or revoked). */
    public long activeRefreshTokens(String upn) {
        return state.refreshTokens.values().stream()
                .filter(t -> t.user().equalsIgnoreCase(upn) && t.userEpoch() != -1
                        && t.userEpoch() == state.userEpoch(t.tenantId(), t.user()).get())
                .count();
    }

    /** Creates a mailbox with the well-known folders. */
    public void createMailbox(String tenantId, String upn, String displayName) {
        state.createMailbox(tenantId, upn, displayName);
    }

    /**
     * Creates a Microsoft 365 group ({@code unified}) or a distribution list (a mail-enabled group that is not
     * security-enabled) with that mail address; returns its id. Members are added with {@link #addGroupMember}.
     */
    public String createGroup(String tenantId, String mail, String displayName, boolean unified) {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(mail, "mail");
        String id = java.util.UUID.randomUUID().toString();
        state.groups.put(id, new SimulatorState.SimGroup(id, tenantId, mail, displayName == null ? mail : displayName,
                unified, java.util.Collections.synchronizedSet(new java.util.LinkedHashSet<>())));
        return id;
    }

    /**
     * Adds a member (a user's upn) to the group of that id or mail address. A user without a mailbox (none created with
     * {@link #createMailbox} yet) is listed as a member whose mailbox Exchange Online has not provisioned yet: its
     * userPrincipalName, mail null; its mail calls answer as for no mailbox until one is created.
     */
    public void addGroupMember(String groupIdOrMail, String upn) {
        group(groupIdOrMail).members().add(upn.toLowerCase(java.util.Locale.ROOT));
    }

    /** Removes a member (a mailbox's upn) from the group of that id or mail address; true if it was one. */
    public boolean removeGroupMember(String groupIdOrMail, String upn) {
        return group(groupIdOrMail).members().remove(upn.toLowerCase(java.util.Locale.ROOT));
    }

    private SimulatorState.SimGroup group(String idOrMail) {
        SimulatorState.SimGroup group = state.groups.get(idOrMail.toLowerCase(java.util.Locale.ROOT));
        if (group != null) {
            return group;
        }
        return state.groups.values().stream().filter(g -> g.mail().equalsIgnoreCase(idOrMail)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No simulated group " + idOrMail));
    }

    /** The lifetime (expires_in) of tokens issued from now on; 3599 seconds by default. */
    public void setTokenLifetime(Duration lifetime) {
        Objects.requireNonNull(lifetime, "lifetime");
        if (lifetime.isNegative() || lifetime.isZero()) {
            throw new IllegalArgumentException("lifetime must be positive");
        }
        state.tokenLifetime = lifetime;
    }

    /** Every token issued so far to the app becomes invalid (401 InvalidAuthenticationToken). */
    public void revokeTokens(String tenantId, String clientId) {
        state.revokeTokens(tenantId, clientId);
    }

    // ------------------------------------------------------------------ mail content

    /**
     * Delivers a message into the mailbox's Inbox; returns its Graph id. A message without {@code to} recipients is
     * addressed to the mailbox itself.
     */
    public String deliver(String upn, SimMail mail) {
        return deliver(upn, "inbox", mail);
    }

    /** Delivers a message into a folder given by well-known name or id; returns its Graph id. */
    public String deliver(String upn, String folder, SimMail mail) {
        Objects.requireNonNull(mail, "mail");
        Mailbox mailbox = state.requireMailbox(upn);
        Mailbox.Folder target = state.requireFolder(mailbox, folder);
        Instant received = mail.receivedAt != null ? mail.receivedAt : Instant.now();
        ObjectNode content = Json.object();
        content.putArray("categories");
        content.put("receivedDateTime", Json.graphTime(received));
        content.put("sentDateTime", Json.graphTime(received.minusSeconds(1)));
        content.put("internetMessageId", Ids.internetMessageId());
        content.put("subject", mail.subject);
        content.put("bodyPreview", Messages.bodyPreview(mail.bodyContentType, mail.bodyContent));
        content.put("importance", mail.importance);
        content.put("conversationId", Ids.conversationId());
        content.put("conversationIndex", Ids.conversationIndex());
        content.put("isDeliveryReceiptRequested", false);
        content.put("isReadReceiptRequested", false);
        content.put("isRead", mail.read);
        content.put("isDraft", false);
        content.put("inferenceClassification", "focused");
        ObjectNode body = content.putObject("body");
        body.put("contentType", mail.bodyContentType);
        body.put("content", mail.bodyContent);
        content.set("sender", Messages.recipient(mail.fromAddress, mail.fromName));
        content.set("from", Messages.recipient(mail.fromAddress, mail.fromName));
        content.set("toRecipients", recipients(mail.to.isEmpty() ? List.of(mailbox.upn) : mail.to));
        content.set("ccRecipients", recipients(mail.cc));
        content.putArray("bccRecipients");
        content.putArray("replyTo");
        content.putObject("flag").put("flagStatus", "notFlagged");
        ArrayNode attachments = null;
        if (!mail.attachments.isEmpty()) {
            ArrayNode given = Json.array();
            for (Object[] a : mail.attachments) {
                ObjectNode attachment = given.addObject();
                attachment.put("@odata.type", "#microsoft.graph.fileAttachment");
                attachment.put("name", (String) a[0]);
                attachment.put("contentType", (String) a[1]);
                attachment.put("contentBytes", java.util.Base64.getEncoder().encodeToString((byte[]) a[2]));
            }
            attachments = SendMailApi.attachments(given);
        }
        return mailbox.insert(target, content, attachments).id;
    }

    private ArrayNode recipients(List<String> addresses) {
        ArrayNode array = Json.array();
        for (String address : addresses) {
            Mailbox known = state.mailbox(address);
            array.add(Messages.recipient(address, known != null ? known.displayName : address));
        }
        return array;
    }

    /** Marks a message read or unread: a change that delta reports as an update. */
    public void markRead(String upn, String messageId, boolean isRead) {
        Mailbox mailbox = state.requireMailbox(upn);
        if (mailbox.update(messageId, json -> json.put("isRead", isRead)) == null) {
            throw new IllegalArgumentException("No message " + messageId + " in mailbox " + upn);
        }
    }

    /** Moves a message to another folder (well-known name or id); the message keeps its id. */
    public void moveMessage(String upn, String messageId, String destinationFolder) {
        Mailbox mailbox = state.requireMailbox(upn);
        Mailbox.Folder destination = state.requireFolder(mailbox, destinationFolder);
        if (mailbox.move(messageId, destination, false) == null) {
            throw new IllegalArgumentException("No message " + messageId + " in mailbox " + upn);
        }
    }

    /** Deletes a message permanently. */
    public void deleteMessage(String upn, String messageId) {
        Mailbox mailbox = state.requireMailbox(upn);
        if (!mailbox.delete(messageId)) {
            throw new IllegalArgumentException("No message " + messageId + " in mailbox " + upn);
        }
    }

    /** The current Graph JSON of each message in a folder (copies), oldest first. */
    public List<ObjectNode> messages(String upn, String folder) {
        Mailbox mailbox = state.requireMailbox(upn);
        Mailbox.Folder f = state.requireFolder(mailbox, folder);
        List<ObjectNode> list = new ArrayList<>();
        synchronized (mailbox) {
            for (Mailbox.StoredMessage m : mailbox.inFolder(f.id())) {
                list.add(Messages.render(m.json, null, false, null));
            }
        }
        return list;
    }

    /** The current Graph JSON of a message (a copy), or null when the mailbox has no message of that id. */
    public ObjectNode message(String upn, String messageId) {
        Mailbox mailbox = state.requireMailbox(upn);
        synchronized (mailbox) {
            Mailbox.StoredMessage m = mailbox.get(messageId);
            return m == null ? null : Messages.render(m.json, null, false, null);
        }
    }

    /**
     * Every mail folder of the mailbox (well-known and created, nested ones too) in Graph's mailFolder shape (id,
     * displayName, parentFolderId, childFolderCount, unreadItemCount, totalItemCount, isHidden), parents before their
     * children (the order they were made in). Top-level folders have the mailbox's root folder as parentFolderId.
     */
    public List<ObjectNode> folders(String upn) {
        Mailbox mailbox = state.requireMailbox(upn);
        List<ObjectNode> list = new ArrayList<>();
        synchronized (mailbox) {
            for (Mailbox.Folder folder : mailbox.folderList()) {
                list.add(MailFoldersApi.folderJson(mailbox, folder));
            }
        }
        return list;
    }

    /** Creates a mail folder below {@code parent} (well-known name or id; null for a top-level folder); returns its id. */
    public String createFolder(String upn, String parent, String displayName) {
        Mailbox mailbox = state.requireMailbox(upn);
        String parentId = parent == null ? mailbox.rootFolderId : state.requireFolder(mailbox, parent).id();
        Mailbox.Folder folder = mailbox.createFolder(parentId, displayName);
        if (folder == null) {
            throw new IllegalArgumentException("Folder " + displayName + " already exists in " + upn);
        }
        return folder.id();
    }

    /** Sets a message's follow-up flag status (notFlagged, flagged, complete): a change that delta reports. */
    public void setFlag(String upn, String messageId, String flagStatus) {
        Mailbox mailbox = state.requireMailbox(upn);
        if (mailbox.update(messageId, json -> json.putObject("flag").put("flagStatus", flagStatus)) == null) {
            throw new IllegalArgumentException("No message " + messageId + " in mailbox " + upn);
        }
    }

    /**
     * Test control: sets a message's lastModifiedDateTime (e.g. to a time before a test began), without any change
     * delta would report.
     */
    public void setLastModified(String upn, String messageId, Instant at) {
        Mailbox mailbox = state.requireMailbox(upn);
        synchronized (mailbox) {
            Mailbox.StoredMessage message = mailbox.get(messageId);
            if (message == null) {
                throw new IllegalArgumentException("No message " + messageId + " in mailbox " + upn);
            }
            message.json.put("lastModifiedDateTime", Json.graphTime(at));
        }
    }

    /** The attachments of a message in Graph's shape (with contentBytes), or an empty list. */
    public List<ObjectNode> attachments(String upn, String messageId) {
        Mailbox mailbox = state.requireMailbox(upn);
        List<ObjectNode> list = new ArrayList<>();
        synchronized (mailbox) {
            Mailbox.StoredMessage m = mailbox.get(messageId);
            if (m != null && m.attachments != null) {
                m.attachments.forEach(a -> list.add(((ObjectNode) a).deepCopy()));
            }
        }
        return list;
    }

    /** The mailbox's mailboxSettings (a copy). */
    public ObjectNode mailboxSettings(String upn) {
        Mailbox mailbox = state.requireMailbox(upn);
        synchronized (mailbox) {
            return mailbox.settings().deepCopy();
        }
    }

    /** The id of a well-known folder (inbox, drafts, sentitems, deleteditems, archive, junkemail). */
    public String folderId(String upn, String wellKnownName) {
        return state.requireFolder(state.requireMailbox(upn), wellKnownName).id();
    }

    /** The simulated calendars: create, change and read events as a person in Outlook would. */
    public SimCalendars calendars() {
        return new SimCalendars(this);
    }

    // ------------------------------------------------------------------ subscriptions (change notifications)

    /**
     * The live Graph subscriptions (change notifications), in Graph's subscription shape (id, resource, changeType,
     * notificationUrl, lifecycleNotificationUrl, clientState, expirationDateTime, ...), for tests.
     */
    public List<ObjectNode> subscriptions() {
        return graph.subscriptions().subscriptions();
    }

    /** The next {@code count} change notifications are not sent (as if lost); lifecycle notifications still are. */
    public void dropNotifications(int count) {
        graph.subscriptions().dropNotifications(count);
    }

    /** How many change and lifecycle notifications the simulator has sent (dropped ones not counted). */
    public long notificationsSent() {
        return graph.subscriptions().notificationsSent();
    }

    /**
     * Sends a lifecycle notification to the subscription's lifecycleNotificationUrl, as Graph does:
     * {@code reauthorizationRequired} (no change notifications until the app reauthorizes or renews it),
     * {@code subscriptionRemoved} (the subscription is gone) or {@code missed} (some notifications were not sent).
     */
    public void fireLifecycleEvent(String subscriptionId, String lifecycleEvent) {
        graph.subscriptions().lifecycle(subscriptionId, lifecycleEvent);
    }

    /** The subscription expires now: no more notifications, and Graph forgets it (GET answers 404). */
    public void expireSubscription(String subscriptionId) {
        graph.subscriptions().expire(subscriptionId);
    }

    // ------------------------------------------------------------------ delta / faults

    /** Every delta or skip token issued so far for this mailbox answers 410 Gone (syncStateNotFound). */
    public void forceDeltaReset(String upn) {
        Mailbox mailbox = state.requireMailbox(upn);
        synchronized (mailbox) {
            mailbox.deltaGeneration++;
        }
    }

    /**
     * How many messages the first round of a message delta with {@code $filter} returns at most: 5,000, as Graph
     * documents; lower it to see that limit with a few messages.
     */
    public void setFilteredDeltaLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        state.filteredDeltaLimit = limit;
    }

    /** Injects a fault for the next matching Graph or token requests. */
    public void injectFault(SimFault fault) {
        state.addFault(Objects.requireNonNull(fault, "fault"));
    }

    /** Removes the injected faults not yet used up: the outage they stood for is over. */
    public void clearFaults() {
        state.clearFaults();
    }

    /**
     * Every Graph request whose path matches {@code pathRegex} (find()) sleeps this long before it is answered (while
     * it counts as in flight). A zero or null latency removes the entry.
     */
    public void setLatency(String pathRegex, Duration latency) {
        state.setLatency(pathRegex, latency);
    }

    // ------------------------------------------------------------------ what it received

    /** The recorded Entra and Graph requests, in arrival order (a copy). */
    public List<RecordedRequest> requests() {
        return new ArrayList<>(state.requests.values());
    }

    /**
     * How many recorded requests have the method ({@code null} = any) and a path in which {@code pathRegex} is found.
     */
    public long countRequests(String method, String pathRegex) {
        Pattern pattern = Pattern.compile(pathRegex == null ? "" : pathRegex);
        return state.requests.values().stream()
                .filter(r -> method == null || r.method().equalsIgnoreCase(method))
                .filter(r -> pattern.matcher(r.path()).find())
                .count();
    }

    /** How many POSTs reached /{tenant}/oauth2/v2.0/token. */
    public long tokenRequests() {
        return state.requests.values().stream()
                .filter(r -> r.method().equals("POST") && TOKEN_PATH.matcher(r.path()).matches())
                .count();
    }

    /** The highest number of Graph requests seen in flight at once for the mailbox (all apps). */
    public int maxConcurrentRequests(String upn) {
        AtomicInteger max = state.maxInFlightPerMailbox.get(SimulatorState.key(upn));
        return max == null ? 0 : max.get();
    }

    /** Forgets the recorded requests and the concurrency high-water marks. */
    public void clearRequests() {
        state.clearRequests();
    }

    // ------------------------------------------------------------------ HTTP

    static long retryAfterSeconds(Duration retryAfter) {
        // whole seconds, rounded up; any Duration (up to Long.MAX_VALUE seconds) without overflowing
        long seconds = Math.max(0, retryAfter.getSeconds());
        return retryAfter.getNano() > 0 && seconds < Long.MAX_VALUE ? seconds + 1 : seconds;
    }

    private void dispatch(HttpExchange exchange) {
        Instant at = Instant.now();
        long arrival = arrivals.incrementAndGet();
        HttpCall call = null;
        try {
            call = new HttpCall(exchange);
            String path = call.path;
            if (path.equals("/_simulator") || path.startsWith("/_simulator/")) {
                control.handle(call);
                return;
            }
            HttpCall recorded = call;
            java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
            call.beforeResponse = () -> {
                if (done.compareAndSet(false, true)) {
                    record(arrival, at, recorded);
                }
            };
            try {
                if (path.equals("/v1.0") || path.startsWith("/v1.0/") || path.startsWith(MailAttachments.UPLOAD_PATH)) {
                    graph.handle(call);
                } else {
                    List<String> segments = new ArrayList<>();
                    for (String s : path.split("/")) {
                        if (!s.isEmpty()) {
                            segments.add(s);
                        }
                    }
                    SimFault fault = EntraEndpoints.isTokenPath(segments) ? state.takeFault(call.method, path) : null;
                    if (fault != null && fault.mode() == SimFault.Mode.STALLED_BODY) {
                        stall(call, fault);
                    } else if (fault != null && fault.mode() == SimFault.Mode.INSTEAD) {
                        entra.fault(call, fault);
                    } else {
                        if (fault != null) {
                            call.answerInstead = c -> entra.fault(c, fault);
                        }
                        if (!entra.handle(call, segments)) {
                            notFound(call);
                        }
                    }
                }
            } finally {
                if (done.compareAndSet(false, true)) {
                    record(arrival, at, call);
                }
            }
        } catch (RuntimeException | IOException | Error e) {
            LOG.error("The Outlook 365 simulator failed on {} {}", exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(), e);
            if (call != null && !call.responded()) {
                ObjectNode body = Json.object();
                ObjectNode error = body.putObject("error");
                error.put("code", "InternalServerError");
                error.put("message", "The simulator failed: " + e);
                call.json(500, body);
            }
        } finally {
            exchange.close();
        }
    }

    /** A stalled-body fault: 200, headers and the start of a JSON body, then silence, then a short close. */
    void stall(HttpCall call, SimFault fault) {
        byte[] start = "{\"value\":[".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        call.stall(fault.status(), start, 4096, fault.stall(), state.stalls);
    }

    private static void notFound(HttpCall call) {
        ObjectNode body = Json.object();
        ObjectNode error = body.putObject("error");
        error.put("code", "NotFound");
        error.put("message", "The simulator serves nothing at " + call.path
                + "; Graph is under /v1.0 and Entra under /{tenant}/oauth2/v2.0/token.");
        call.json(404, body);
    }

    /** Records a request that came inside a $batch (its Authorization header is the batch's). */
    void recordBatchItem(Instant at, HttpCall item) {
        record(arrivals.incrementAndGet(), at, item);
    }

    private void record(long arrival, Instant at, HttpCall call) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        call.headers().forEach((name, values) -> {
            if (name.equalsIgnoreCase("Authorization")) {
                List<String> masked = new ArrayList<>();
                for (String v : values) {
                    masked.add(v.regionMatches(true, 0, "Basic ", 0, 6) ? "Basic ***" : v);
                }
                headers.put(name, masked);
            } else {
                headers.put(name, values);
            }
        });
        String body = call.body;
        if (body.contains("client_secret=") || body.contains("client_assertion=")) {
            body = SECRET_IN_FORM.matcher(body).replaceAll("$1$2=***");
        }
        String query = call.query;
        if (query != null && (query.contains("client_secret=") || query.contains("client_assertion="))) {
            query = SECRET_IN_FORM.matcher(query).replaceAll("$1$2=***");
        }
        int status = call.status < 0 ? 500 : call.status;
        state.requests.put(arrival, new RecordedRequest(call.method, call.path, query, headers, body, status, at));
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} -> {}", call.method, call.path, status);
        }
    }

}

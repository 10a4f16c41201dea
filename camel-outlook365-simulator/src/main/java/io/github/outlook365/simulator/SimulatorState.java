package io.github.outlook365.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/** Everything the simulator knows: directory, mailboxes, tokens, faults, latencies, recorded requests. */
final class SimulatorState {

    static final Set<String> ALL_ROLES = Set.of("Mail.Read", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite",
            "User.Read.All", "MailboxSettings.ReadWrite", "GroupMember.Read.All");
    /** The delegated permissions a web app registration holds unless told otherwise. */
    static final Set<String> ALL_DELEGATED = Set.of("User.Read", "Mail.Read", "Mail.Read.Shared", "Mail.ReadWrite",
            "Mail.ReadWrite.Shared", "Mail.Send", "Mail.Send.Shared", "Calendars.Read", "Calendars.Read.Shared",
            "Calendars.ReadWrite", "Calendars.ReadWrite.Shared", "MailboxSettings.ReadWrite");

    static final class Tenant {
        final String id;
        final Map<String, App> apps = new ConcurrentHashMap<>();

        Tenant(String id) {
            this.id = id;
        }
    }

    static final class App {
        final String tenantId;
        final String clientId;
        private final String secret;
        /** When the client secret stops working (Entra's key credential end date); null = never. */
        final Instant secretExpiresAt;
        /** Certificates registered under 'Certificates & secrets' (their public keys verify client assertions). */
        final List<java.security.cert.X509Certificate> certificates = new CopyOnWriteArrayList<>();
        final Set<String> roles;
        final String objectId = Ids.guid();
        final AtomicInteger epoch = new AtomicInteger();
        /** Web platform redirect URIs (authorization code flow). */
        final List<String> redirectUris = new CopyOnWriteArrayList<>();
        /** Delegated permissions configured under 'API permissions'; what a user can consent to. */
        volatile Set<String> delegatedPermissions = ALL_DELEGATED;
        volatile boolean adminConsented;

        App(String tenantId, String clientId, String secret, Instant secretExpiresAt, Set<String> roles) {
            this.tenantId = tenantId;
            this.clientId = clientId;
            this.secret = secret;
            this.secretExpiresAt = secretExpiresAt;
            this.roles = Set.copyOf(roles);
        }

        boolean hasSecret() {
            return secret != null;
        }

        boolean secretMatches(String candidate) {
            return secret != null && candidate != null && java.security.MessageDigest.isEqual(
                    secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    candidate.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public String toString() {
            return "App[tenant=" + tenantId + ", clientId=" + clientId + ", roles=" + roles + "]";
        }
    }

    /**
     * An issued access token. App-only tokens carry roles; delegated ones a user (UPN), scopes (scp) and the user's
     * session epoch at issue.
     */
    record AccessToken(String value, String tenantId, String clientId, String appObjectId, Set<String> roles,
            String audience, Instant issuedAt, Instant expiresAt, int epoch, String user, Set<String> scopes,
            int userEpoch) {

        AccessToken(String value, String tenantId, String clientId, String appObjectId, Set<String> roles,
                String audience, Instant issuedAt, Instant expiresAt, int epoch) {
            this(value, tenantId, clientId, appObjectId, roles, audience, issuedAt, expiresAt, epoch, null, Set.of(), 0);
        }

        boolean delegated() {
            return user != null;
        }

        /** What the token may do: its roles (app-only) or its scopes (delegated). */
        Set<String> permissions() {
            return delegated() ? scopes : roles;
        }

        /** The same token acting on someone else's mailbox: only its .Shared scopes count, as their base names. */
        AccessToken sharedView() {
            Set<String> shared = new LinkedHashSet<>();
            for (String scope : scopes) {
                if (scope.endsWith(".Shared")) {
                    shared.add(scope.substring(0, scope.length() - ".Shared".length()));
                }
            }
            return new AccessToken(value, tenantId, clientId, appObjectId, roles, audience, issuedAt, expiresAt, epoch,
                    user, shared, userEpoch);
        }
    }

    /** An authorization code issued by the sign-in page, redeemable once within 10 minutes. */
    record AuthorizationCode(String code, String tenantId, String clientId, String user, Set<String> scopes,
            String redirectUri, String codeChallenge, String codeChallengeMethod, Instant expiresAt) {
    }

    /** A refresh token; rotated on each use (the used one stops working). */
    record RefreshToken(String value, String tenantId, String clientId, String user, Set<String> scopes,
            Instant issuedAt, int userEpoch) {
    }

    static final class FaultEntry {
        final SimFault fault;
        final Pattern pattern;
        int remaining;

        FaultEntry(SimFault fault) {
            this.fault = fault;
            this.pattern = Pattern.compile(fault.pathRegex());
            this.remaining = fault.times();
        }
    }

    record Latency(Pattern pattern, Duration latency) {
    }

    final Map<String, Tenant> tenants = new ConcurrentHashMap<>();
    final Map<String, Mailbox> mailboxes = new ConcurrentHashMap<>();
    /** Groups by id (lower case); members as mailbox keys, in the order they joined. */
    final Map<String, SimGroup> groups = new ConcurrentHashMap<>();

    /**
     * A Microsoft 365 group ({@code unified}) or a distribution list (mail-enabled, not security-enabled).
     */
    record SimGroup(String id, String tenantId, String mail, String displayName, boolean unified,
                    Set<String> members) {
    }
    final Map<String, AccessToken> tokens = new ConcurrentHashMap<>();
    volatile Duration tokenLifetime = Duration.ofSeconds(3599);
    private final List<FaultEntry> faults = new ArrayList<>();
    final List<Latency> latencies = new CopyOnWriteArrayList<>();
    final Stalls stalls = new Stalls();
    final ConcurrentSkipListMap<Long, RecordedRequest> requests = new ConcurrentSkipListMap<>();
    final Map<String, AtomicInteger> inFlightPerApp = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> inFlightPerMailbox = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> maxInFlightPerMailbox = new ConcurrentHashMap<>();
    final Map<String, DeltaEngine.State> deltaStates = new ConcurrentHashMap<>();
    /** Most messages the first round of a message delta with $filter returns (Graph documents 5,000). */
    volatile int filteredDeltaLimit = DeltaEngine.FILTERED_DELTA_LIMIT;
    final Map<String, AuthorizationCode> authorizationCodes = new ConcurrentHashMap<>();
    final Set<String> redeemedCodes = ConcurrentHashMap.newKeySet();
    final Map<String, RefreshToken> refreshTokens = new ConcurrentHashMap<>();
    /** Per user (tenant|upn): bumped when an admin revokes the user's sessions; older grants fail with AADSTS50173. */
    final Map<String, AtomicInteger> userEpochs = new ConcurrentHashMap<>();
    /** Per mailbox: the users holding FullAccess on it (a shared mailbox's members). */
    final Map<String, Set<String>> mailboxDelegates = new ConcurrentHashMap<>();
    /** Graph subscriptions (change notifications) by id. */
    final Map<String, SubscriptionsApi.Subscription> subscriptions = new ConcurrentHashMap<>();
    /** Told of every change of a mailbox's messages and events (the subscriptions' notifications). */
    volatile java.util.function.Consumer<SubscriptionsApi.Change> changeListener;

    AtomicInteger userEpoch(String tenantId, String upn) {
        return userEpochs.computeIfAbsent(key(tenantId) + "|" + key(upn), k -> new AtomicInteger());
    }

    boolean mayOpen(String user, Mailbox mailbox) {
        return mailbox.upn.equalsIgnoreCase(user)
                || mailboxDelegates.getOrDefault(key(mailbox.upn), Set.of()).contains(key(user));
    }

    /** The app by client id in any tenant: a multi-tenant sign-in (/common) finds the app's home tenant this way. */
    App appAnywhere(String clientId) {
        for (Tenant tenant : tenants.values()) {
            App app = tenant.apps.get(key(clientId));
            if (app != null) {
                return app;
            }
        }
        return null;
    }

    static String key(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    Tenant tenant(String id) {
        return id == null ? null : tenants.get(key(id));
    }

    private Tenant tenantOrCreate(String id) {
        return tenants.computeIfAbsent(key(id), k -> new Tenant(id));
    }

    App registerApp(String tenantId, String clientId, String clientSecret, Set<String> roles) {
        requireText(clientSecret, "clientSecret");
        return registerApp(tenantId, clientId, clientSecret, null, null, roles);
    }

    /** An app with a client secret (expiring at secretExpiresAt, or never when null), a certificate, or both. */
    App registerApp(String tenantId, String clientId, String clientSecret, Instant secretExpiresAt,
            java.security.cert.X509Certificate certificate, Set<String> roles) {
        requireText(tenantId, "tenantId");
        requireText(clientId, "clientId");
        if (clientSecret == null && certificate == null) {
            throw new IllegalArgumentException("an app needs a client secret or a certificate");
        }
        if (roles == null) {
            throw new IllegalArgumentException("roles must not be null");
        }
        Set<String> copy = new LinkedHashSet<>(roles);
        App app = new App(tenantOrCreate(tenantId).id, clientId, clientSecret, secretExpiresAt, copy);
        if (certificate != null) {
            app.certificates.add(certificate);
        }
        tenantOrCreate(tenantId).apps.put(key(clientId), app);
        return app;
    }

    App app(String tenantId, String clientId) {
        Tenant tenant = tenant(tenantId);
        return tenant == null || clientId == null ? null : tenant.apps.get(key(clientId));
    }

    Mailbox createMailbox(String tenantId, String upn, String displayName) {
        requireText(tenantId, "tenantId");
        requireText(upn, "upn");
        if (upn.indexOf('@') < 1) {
            throw new IllegalArgumentException("upn must look like an email address: " + upn);
        }
        Tenant tenant = tenantOrCreate(tenantId);
        Mailbox mailbox = mailboxes.computeIfAbsent(key(upn), k -> {
            Mailbox created = new Mailbox(tenant.id, upn, displayName);
            created.changes = change -> {
                java.util.function.Consumer<SubscriptionsApi.Change> listener = changeListener;
                if (listener != null) {
                    listener.accept(change);
                }
            };
            return created;
        });
        if (!mailbox.tenantId.equalsIgnoreCase(tenantId)) {
            throw new IllegalArgumentException("Mailbox " + upn + " already exists in tenant " + mailbox.tenantId);
        }
        return mailbox;
    }

    /** A mailbox by user principal name (case-insensitive) or user id, or null. */
    Mailbox mailbox(String upnOrId) {
        if (upnOrId == null) {
            return null;
        }
        Mailbox mailbox = mailboxes.get(key(upnOrId));
        if (mailbox != null) {
            return mailbox;
        }
        for (Mailbox candidate : mailboxes.values()) {
            if (candidate.userId.equalsIgnoreCase(upnOrId)) {
                return candidate;
            }
        }
        return null;
    }

    Mailbox requireMailbox(String upn) {
        Mailbox mailbox = mailbox(upn);
        if (mailbox == null) {
            throw new IllegalArgumentException("No simulated mailbox " + upn);
        }
        return mailbox;
    }

    Mailbox.Folder requireFolder(Mailbox mailbox, String folder) {
        Mailbox.Folder f = mailbox.folder(folder);
        if (f == null) {
            throw new IllegalArgumentException("No folder " + folder + " in mailbox " + mailbox.upn);
        }
        return f;
    }

    void revokeTokens(String tenantId, String clientId) {
        App app = app(tenantId, clientId);
        if (app == null) {
            throw new IllegalArgumentException("No app " + clientId + " in tenant " + tenantId);
        }
        app.epoch.incrementAndGet();
    }

    void addFault(SimFault fault) {
        FaultEntry entry = new FaultEntry(fault);
        synchronized (faults) {
            faults.add(entry);
        }
    }

    /** Consumes one use of the first fault that matches, or returns null. */
    SimFault takeFault(String method, String path) {
        synchronized (faults) {
            Iterator<FaultEntry> it = faults.iterator();
            while (it.hasNext()) {
                FaultEntry entry = it.next();
                if (entry.fault.method() != null && !entry.fault.method().equalsIgnoreCase(method)) {
                    continue;
                }
                if (!entry.pattern.matcher(path).find()) {
                    continue;
                }
                if (--entry.remaining <= 0) {
                    it.remove();
                }
                return entry.fault;
            }
            return null;
        }
    }

    void setLatency(String pathRegex, Duration latency) {
        if (pathRegex == null) {
            throw new IllegalArgumentException("pathRegex must not be null");
        }
        latencies.removeIf(l -> l.pattern().pattern().equals(pathRegex));
        if (latency != null && !latency.isZero() && !latency.isNegative()) {
            latencies.add(new Latency(Pattern.compile(pathRegex), latency));
        }
    }

    Duration latencyFor(String path) {
        Duration max = Duration.ZERO;
        for (Latency latency : latencies) {
            if (latency.pattern().matcher(path).find() && latency.latency().compareTo(max) > 0) {
                max = latency.latency();
            }
        }
        return max;
    }

    void clearRequests() {
        requests.clear();
        maxInFlightPerMailbox.clear();
    }

    void clearFaults() {
        synchronized (faults) {
            faults.clear();
        }
    }

    void reset() {
        stalls.releaseAll();
        tenants.clear();
        mailboxes.clear();
        groups.clear();
        tokens.clear();
        tokenLifetime = Duration.ofSeconds(3599);
        synchronized (faults) {
            faults.clear();
        }
        latencies.clear();
        requests.clear();
        maxInFlightPerMailbox.clear();
        deltaStates.clear();
        filteredDeltaLimit = DeltaEngine.FILTERED_DELTA_LIMIT;
        authorizationCodes.clear();
        redeemedCodes.clear();
        refreshTokens.clear();
        userEpochs.clear();
        mailboxDelegates.clear();
        subscriptions.clear();
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}

package io.github.outlook365.camel.connection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.github.outlook365.camel.auth.AccessToken;
import io.github.outlook365.camel.auth.CertificateCredential;
import io.github.outlook365.camel.auth.TokenProvider;
import io.github.outlook365.camel.graph.GraphClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state machine of one connection: CONNECTED, DEGRADED, BROKEN, decided by {@link ConnectionFailures} from what
 * the token provider and the Graph client report.
 * <p>
 * Once a token request failed (BROKEN, or DEGRADED because Entra ID has an outage) the token gate closes: until the
 * next backoff step ({@code reconnectDelay}, doubling up to {@code reconnectMaxDelay}) every token request is refused
 * at once with a {@link ConnectionUnavailableException}, so triggers pause and actions fail fast, and Entra ID sees at
 * most one token request per step. A token that comes back, a completed sign-in or a Graph answer (for a DEGRADED
 * Graph) makes the connection CONNECTED again. Each change is logged and handed to the listeners (the
 * {@code connection/events} triggers).
 */
public final class ConnectionLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLifecycle.class);
    private static final Duration WARN_AGAIN = Duration.ofDays(1);

    private final String name;
    private final LifecycleSettings settings;
    private final CertificateCredential certificate;
    private final Supplier<String> consentUrls;
    private final Clock clock;
    private final List<Consumer<ConnectionEvent>> listeners = new CopyOnWriteArrayList<>();
    private final AtomicLong tokenAttempts = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();

    private volatile ConnectionState state = ConnectionState.CONNECTED;
    private volatile ConnectionFailures.Failure lastFailure;
    private volatile Instant lastFailureAt;
    private volatile Instant since;
    private volatile String consentUrl;
    private volatile AccessToken lastToken;
    private volatile Instant certificateWarnedAt;
    // when the first sign-in of a connection that started with nobody signed in completed (null: none such)
    private volatile Instant firstSignInAt;
    // the event that announced the current state: a listener that comes later hears a BROKEN one at once
    private volatile ConnectionEvent stateEvent;
    // nobody has signed in yet: no token attempt can succeed until someone does, whatever the backoff says
    private boolean awaitingSignIn;
    // the token gate: closed while the last token request failed and the next backoff step is not reached
    private boolean tokenGate;
    private int failures;
    private Instant nextAttempt;

    /**
     * @param consentUrls makes the link that fixes a BROKEN connection (a fresh sign-in link, or the admin consent
     *                    link); called when the connection turns BROKEN
     */
    public ConnectionLifecycle(String name, LifecycleSettings settings, CertificateCredential certificate,
                               Supplier<String> consentUrls, Clock clock) {
        this.name = name;
        this.settings = settings;
        this.certificate = certificate;
        this.consentUrls = consentUrls;
        this.clock = clock;
        this.since = clock.instant();
    }

    /** The token provider the Graph client uses: the real one behind the gate, reporting to this lifecycle. */
    public TokenProvider guard(TokenProvider delegate) {
        return new GuardedTokens(delegate);
    }

    /** The Graph client's outcomes: a Graph answer ends a DEGRADED Graph, 5xx/429/network after retries degrade. */
    public GraphClient.Outcomes graphOutcomes() {
        return new GraphClient.Outcomes() {
            @Override
            public void succeeded() {
                if (state == ConnectionState.DEGRADED) {
                    // the common case (CONNECTED) takes no lock
                    graphSucceeded();
                }
            }

            @Override
            public void failed(RuntimeException failure) {
                ConnectionFailures.Failure f = ConnectionFailures.classify(failure);
                if (f != null) {
                    graphFailed(f);
                }
            }
        };
    }

    private final class GuardedTokens implements TokenProvider {
        private final TokenProvider delegate;

        GuardedTokens(TokenProvider delegate) {
            this.delegate = delegate;
        }

        @Override
        public AccessToken token() {
            synchronized (ConnectionLifecycle.this) {
                if (!attemptAllowed()) {
                    refused.incrementAndGet();
                    throw unavailable();
                }
                return attempt(delegate);
            }
        }

        @Override
        public void invalidate(AccessToken rejected) {
            delegate.invalidate(rejected);
        }

        @Override
        public long tokenRequests() {
            return delegate.tokenRequests();
        }
    }

    /**
     * One token attempt whatever the gate says (connection/check, the reconnect operation): the outcome updates the
     * state as any other attempt does.
     */
    public synchronized AccessToken attempt(TokenProvider delegate) {
        if (certificate != null && !certificate.notAfter().isAfter(clock.instant())) {
            tokenFailed(ConnectionFailures.certificateExpired(certificate.notAfter()));
            throw unavailable();
        }
        tokenAttempts.incrementAndGet();
        try {
            AccessToken token = delegate.token();
            tokenSucceeded(token);
            return token;
        } catch (RuntimeException e) {
            ConnectionFailures.Failure f = ConnectionFailures.classify(e);
            if (f != null) {
                tokenFailed(f);
            }
            throw e;
        }
    }

    /** Whether a trigger may poll now: the connection is CONNECTED or DEGRADED by Graph, or the gate opened. */
    public synchronized boolean attemptAllowed() {
        return !awaitingSignIn && (!tokenGate || !clock.instant().isBefore(nextAttempt));
    }

    /** Whether triggers pause now: the gate is closed until the next backoff step. */
    public boolean pollPaused() {
        return !attemptAllowed();
    }

    /** Opens the gate now: the next token request goes to Entra ID (the reconnect operation). */
    public synchronized void openGate() {
        if (tokenGate) {
            nextAttempt = clock.instant();
        }
    }

    /**
     * Nobody has signed in to this delegated connection yet (a first start, no refreshToken): BROKEN from the start,
     * with the sign-in link, and no token attempt (none could succeed) until {@link #signedIn(String)}. The application
     * runs; its setup routes serve the sign-in; its triggers wait.
     */
    public synchronized void awaitSignIn() {
        awaitingSignIn = true;
        tokenGate = true;
        ConnectionFailures.Failure f = ConnectionFailures.notSignedIn();
        lastFailure = f;
        lastFailureAt = clock.instant();
        change(ConnectionState.BROKEN, f, consentUrl(), true);
    }

    /**
     * A person completed the sign-in: the connection works again, the triggers resume at their next poll. The first
     * sign-in of a connection that waited for it is remembered ({@link #firstSignInAt()}): triggers that waited fire for
     * what arrived from then on.
     */
    public synchronized void signedIn(String who) {
        boolean first = awaitingSignIn;
        awaitingSignIn = false;
        tokenGate = false;
        failures = 0;
        if (first && firstSignInAt == null) {
            firstSignInAt = clock.instant();
        }
        if (state != ConnectionState.CONNECTED) {
            change(ConnectionState.CONNECTED, new ConnectionFailures.Failure(ConnectionState.CONNECTED,
                    (first ? "first sign-in" : "signed in again") + (who != null ? " as " + who : ""), null, null), null,
                    first);
        }
    }

    /** Whether nobody has signed in to this delegated connection yet: a first start, waiting for its sign-in. */
    public synchronized boolean awaitingFirstSignIn() {
        return awaitingSignIn;
    }

    /**
     * When the first sign-in of this connection completed, if it started with nobody signed in (a first start) and
     * someone since did; else null.
     */
    public Instant firstSignInAt() {
        return firstSignInAt;
    }

    private void tokenSucceeded(AccessToken token) {
        lastToken = token;
        awaitingSignIn = false;
        if (tokenGate || state == ConnectionState.BROKEN) {
            tokenGate = false;
            failures = 0;
            change(ConnectionState.CONNECTED, new ConnectionFailures.Failure(ConnectionState.CONNECTED,
                    "Entra ID issues tokens again", null, null), null);
        }
        warnOfCertificate(false);
    }

    private void tokenFailed(ConnectionFailures.Failure f) {
        failures++;
        tokenGate = true;
        Duration wait = settings.backoff(failures);
        nextAttempt = clock.instant().plus(wait);
        lastFailure = f;
        lastFailureAt = clock.instant();
        if (f.state() != state || !sameCause(f)) {
            change(f.state(), f, f.state() == ConnectionState.BROKEN ? consentUrl() : null);
        }
        LOG.debug("Connection {}: token attempt {} failed ({}); next attempt in {} ms", name, failures, f.reason(),
                wait.toMillis());
    }

    private synchronized void graphSucceeded() {
        if (state == ConnectionState.DEGRADED && !tokenGate) {
            change(ConnectionState.CONNECTED, new ConnectionFailures.Failure(ConnectionState.CONNECTED,
                    "Microsoft Graph answers again", null, null), null);
        }
    }

    private synchronized void graphFailed(ConnectionFailures.Failure f) {
        lastFailure = f;
        lastFailureAt = clock.instant();
        if (state == ConnectionState.CONNECTED) {
            change(ConnectionState.DEGRADED, f, null);
        }
    }

    private boolean sameCause(ConnectionFailures.Failure f) {
        ConnectionFailures.Failure shown = current;
        return shown != null && java.util.Objects.equals(shown.error(), f.error())
               && java.util.Objects.equals(shown.aadstsCode(), f.aadstsCode());
    }

    // the failure the current state was announced with
    private volatile ConnectionFailures.Failure current;

    private void change(ConnectionState to, ConnectionFailures.Failure why, String link) {
        change(to, why, link, false);
    }

    /** @param firstSignIn a first start: BROKEN waiting for the first sign-in, or CONNECTED by it */
    private void change(ConnectionState to, ConnectionFailures.Failure why, String link, boolean firstSignIn) {
        ConnectionState from = state;
        state = to;
        current = to == ConnectionState.CONNECTED ? null : why;
        consentUrl = to == ConnectionState.BROKEN ? link : null;
        since = clock.instant();
        ConnectionEvent event = new ConnectionEvent(name, ConnectionEvent.STATE_CHANGED, to, from, why.reason(),
                why.error(), why.aadstsCode(), consentUrl, since, null, null, firstSignIn);
        stateEvent = event;
        if (firstSignIn) {
            // a first start is no failure: it says what to do, once, without alarm
            if (to == ConnectionState.BROKEN) {
                LOG.warn("Connection {} waits for its first sign-in at {} (BROKEN until then): nobody has signed in yet;"
                         + " the link with its one-time setup token is on the logger outlook365.setup", name,
                        link != null ? link : "the sign-in page");
            } else {
                LOG.info("Connection {} is {} (was {}): {}", name, to, from, why.reason());
            }
            publish(event);
            return;
        }
        switch (to) {
            case BROKEN -> LOG.error("Connection {} is BROKEN (was {}): {}; triggers pause and actions fail until it is"
                                     + " fixed{}", name, from, why.reason(), link != null ? ": " + link : "");
            case DEGRADED -> LOG.warn("Connection {} is DEGRADED (was {}): {}", name, from, why.reason());
            case CONNECTED -> LOG.info("Connection {} is CONNECTED again (was {}): {}", name, from, why.reason());
        }
        publish(event);
    }

    private String consentUrl() {
        try {
            return consentUrls.get();
        } catch (RuntimeException e) {
            LOG.debug("Connection {}: no consent link ({})", name, e.getMessage());
            return null;
        }
    }

    /** Hands an event to the listeners (the connection/events triggers); a trigger announces its parked items here. */
    public void publish(ConnectionEvent event) {
        for (Consumer<ConnectionEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("A listener of connection {} failed on {}: {}", name, event.type(), e.getMessage());
            }
        }
    }

    /** Warns once a day while the certificate is within certificateExpiryWarning of its end. */
    private void warnOfCertificate(boolean force) {
        ConnectionEvent warning = certificateWarning();
        if (warning == null) {
            return;
        }
        Instant now = clock.instant();
        if (force || certificateWarnedAt == null || certificateWarnedAt.plus(WARN_AGAIN).isBefore(now)) {
            certificateWarnedAt = now;
            LOG.warn("Connection {}: {}", name, warning.reason());
            publish(warning);
        }
    }

    /** The certificate warning as it stands, or null when there is no certificate or it is far from its end. */
    public ConnectionEvent certificateWarning() {
        if (certificate == null) {
            return null;
        }
        Instant now = clock.instant();
        Instant end = certificate.notAfter();
        if (end.minus(settings.certificateExpiryWarning()).isAfter(now)) {
            return null;
        }
        long days = Math.max(0, Duration.between(now, end).toDays());
        return new ConnectionEvent(name, ConnectionEvent.CERTIFICATE_EXPIRING, state, state,
                "the certificate " + certificate.thumbprint() + " expires at " + end + " (in " + days + " days): upload"
                                                                           + " a new one to the app registration and configure it",
                null, null, null, now);
    }

    /**
     * Adds a listener; it hears at once that the connection is BROKEN, if it is (a recovery route that starts after the
     * connection broke, e.g. at a first start before anyone signed in, still alerts), and of the certificate's
     * approaching end, if it is near.
     */
    public synchronized void addListener(Consumer<ConnectionEvent> listener) {
        listeners.add(listener);
        ConnectionEvent broken = stateEvent;
        if (state == ConnectionState.BROKEN && broken != null) {
            listener.accept(broken);
        }
        ConnectionEvent warning = certificateWarning();
        if (warning != null) {
            listener.accept(warning);
            if (certificateWarnedAt == null) {
                certificateWarnedAt = clock.instant();
                LOG.warn("Connection {}: {}", name, warning.reason());
            }
        }
    }

    public void removeListener(Consumer<ConnectionEvent> listener) {
        listeners.remove(listener);
    }

    /** The exception an action or trigger gets while the gate is closed. */
    public ConnectionUnavailableException unavailable() {
        ConnectionFailures.Failure f = current != null ? current : lastFailure;
        ConnectionState s = state;
        String reason = f != null ? f.reason() : "the connection is not available";
        String link = consentUrl;
        String message = "connection " + name + " is " + s + ": " + reason
                         + (nextAttempt != null ? "; next token attempt at " + nextAttempt : "")
                         + (link != null ? "; fix it here: " + link : "");
        return new ConnectionUnavailableException(message, name, s, f != null ? f.error() : null,
                f != null ? f.aadstsCode() : null, link);
    }

    public String name() {
        return name;
    }

    public ConnectionState state() {
        return state;
    }

    /** Since when the connection is in its state. */
    public Instant since() {
        return since;
    }

    /** The failure the current state was announced with, or the last one seen; null if none. */
    public ConnectionFailures.Failure lastFailure() {
        return lastFailure;
    }

    public Instant lastFailureAt() {
        return lastFailureAt;
    }

    /** The reason of the current state (null when CONNECTED). */
    public String reason() {
        ConnectionFailures.Failure f = current;
        return f != null ? f.reason() : null;
    }

    public String consentUrlNow() {
        return consentUrl;
    }

    public Instant tokenExpiresAt() {
        AccessToken token = lastToken;
        return token != null ? token.expiresAt() : null;
    }

    public Instant certificateExpiresAt() {
        return certificate != null ? certificate.notAfter() : null;
    }

    public synchronized Instant nextAttempt() {
        return tokenGate && !awaitingSignIn ? nextAttempt : null;
    }

    /** Token requests that went to the token provider (not those the gate refused). */
    public long tokenAttempts() {
        return tokenAttempts.get();
    }

    /** Token requests the closed gate refused at once. */
    public long refused() {
        return refused.get();
    }

    public LifecycleSettings settings() {
        return settings;
    }
}

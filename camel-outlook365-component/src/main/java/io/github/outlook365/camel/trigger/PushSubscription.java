package io.github.outlook365.camel.trigger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.graph.GraphRequest;
import io.github.outlook365.camel.graph.GraphResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Graph subscription of one trigger with {@code notification=webhook}: it is made at the first working poll,
 * renewed when a fifth of its lifetime is left, reauthorized or made again when Graph says so, and deleted when the
 * trigger stops; its id is kept in the trigger's state, so that one left by a crash is deleted at the next start.
 * <p>
 * It only decides <em>when</em> the trigger runs its round: at once (and again {@link #RECHECK} later, as Graph may
 * notify before delta shows the change) when a notification arrives, and otherwise every
 * {@code notificationPollDelay} as a safety net. What fires is the round's to decide, as without notifications. While
 * the subscription does not work, the trigger polls every {@code delay}, as without notifications.
 * <p>
 * Its Graph calls run on the trigger's polling thread, under the trigger's polling lock, before a round; a
 * notification only sets a flag and wakes the trigger. The clientState is 256 random bits per subscription, held in
 * memory only and never logged.
 */
final class PushSubscription {

    private static final Logger LOG = LoggerFactory.getLogger(PushSubscription.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String DOCUMENT = "push";
    static final Duration RECHECK = Duration.ofSeconds(3);
    static final Duration FIRST_RETRY = Duration.ofMinutes(1);
    static final Duration LAST_RETRY = Duration.ofHours(1);

    private final TriggerConsumer trigger;
    private final PushNotifications hub;
    private final String notificationUrl;
    private final Duration pollDelay;
    private final Duration lifetime;

    // written on the polling thread (under the trigger's lock), read by the receiver's and JMX threads
    private volatile String subscriptionId;
    private volatile byte[] clientState;
    private volatile Instant expiresAt;
    private volatile String status = "not subscribed yet: the subscription is made at the first poll";
    private volatile boolean leftoverChecked;
    private Instant nextAttempt = Instant.MIN;
    private Duration retryDelay = FIRST_RETRY;
    private boolean warned;
    private Instant lastRoundAt;

    // set by notifications, taken by the polling thread
    private volatile boolean wakePending;
    private volatile boolean reauthorize;
    private volatile boolean recreate;
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final AtomicBoolean recheckQueued = new AtomicBoolean();
    private volatile boolean stopped;

    PushSubscription(TriggerConsumer trigger, PushNotifications hub, String notificationUrl, Duration pollDelay,
                     Duration lifetime) {
        this.trigger = trigger;
        this.hub = hub;
        this.notificationUrl = notificationUrl == null || notificationUrl.isBlank() ? null : notificationUrl.trim();
        this.pollDelay = pollDelay;
        this.lifetime = lifetime;
        hub.add(this);
    }

    /** For health details and logs: the trigger and what it watches. */
    String name() {
        return trigger.triggerName() + " '" + trigger.scope() + "'";
    }

    /** Whether notifications work now: a live subscription that needs nothing. */
    boolean active() {
        String id = subscriptionId;
        Instant until = expiresAt;
        return id != null && until != null && Instant.now().isBefore(until) && !reauthorize;
    }

    /** One line for JMX and the health check: push, or polling and why. */
    String status() {
        return status;
    }

    String subscriptionId() {
        return subscriptionId;
    }

    // ---------------------------------------------------------------- on the polling thread

    /**
     * Makes, renews, reauthorizes or makes again the subscription, as due. Runs before each round, under the trigger's
     * polling lock; a failure never fails the poll (the trigger polls as before).
     */
    void maintain() {
        if (stopped) {
            return;
        }
        Instant now = Instant.now();
        if (!leftoverChecked) {
            deleteLeftover();
            leftoverChecked = true;
        }
        if (recreate) {
            recreate = false;
            forget();
            nextAttempt = Instant.MIN;
        }
        if (subscriptionId != null && reauthorize) {
            reauthorize();
        }
        if (subscriptionId != null && !now.isBefore(expiresAt.minus(lifetime.dividedBy(5)))) {
            renew(now);
        }
        if (subscriptionId == null && !now.isBefore(nextAttempt)) {
            create(now);
        }
    }

    /**
     * Whether the trigger runs a round now: always while notifications do not work; else when a notification woke it,
     * while a round goes on, or when the safety poll is due.
     */
    boolean roundDue(boolean roundGoesOn) {
        Instant now = Instant.now();
        if (!active() || roundGoesOn || wakePending || lastRoundAt == null
            || !now.isBefore(lastRoundAt.plus(pollDelay))) {
            wakePending = false;
            lastRoundAt = now;
            return true;
        }
        return false;
    }

    private void create(Instant now) {
        if (notificationUrl == null) {
            status = "polling every delay: option notificationUrl is not set (the public https URL of the receiver"
                     + " route, routes/graph-notifications.camel.yaml)";
            if (!warned) {
                warned = true;
                LOG.warn("outlook365:{} has notification=webhook but no notificationUrl: it polls every delay. Set"
                         + " camel.component.outlook365.notificationUrl to the public https URL of the notification"
                         + " receiver (routes/graph-notifications.camel.yaml)", name());
            }
            nextAttempt = Instant.MAX;
            return;
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String clientStateText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant expires = now.plus(lifetime);
        Map<String, Object> body = new LinkedHashMap<>();
        PushResource resource = trigger.pushResource();
        body.put("changeType", resource.changeType());
        body.put("notificationUrl", notificationUrl);
        body.put("lifecycleNotificationUrl", notificationUrl);
        body.put("resource", resource.path());
        body.put("expirationDateTime", expires.toString());
        body.put("clientState", clientStateText);
        body.put("latestSupportedTlsVersion", "v1_2");
        try {
            GraphResponse created = trigger.connection.graph().execute(GraphRequest.post(trigger.connection.account(),
                    "/v1.0/subscriptions", json(body)));
            String id = created.body().path("id").asText(null);
            if (id == null) {
                throw new IllegalStateException("Graph answered the subscription without an id");
            }
            clientState = clientStateText.getBytes(StandardCharsets.US_ASCII);
            subscriptionId = id;
            expiresAt = parseOr(created.body().path("expirationDateTime").asText(null), expires);
            hub.register(id, this);
            trigger.state.commitDocument(DOCUMENT, json(Map.of("subscriptionId", id)));
            retryDelay = FIRST_RETRY;
            warned = false;
            // a round right after the subscription exists: what changed before it is found now, what changes after it
            // is notified
            wakePending = true;
            status = "push: subscription " + id + " on " + resource.path() + " until " + expiresAt
                     + "; safety poll every " + pollDelay.toMinutes() + " min";
            LOG.info("outlook365:{} gets Graph change notifications at {} (subscription {} until {}); safety poll every"
                     + " {} min", name(), notificationUrl, id, expiresAt, pollDelay.toMinutes());
        } catch (TriggerFencedException e) {
            // another node leads the trigger now: the trigger stops, and deletes the subscription
            throw e;
        } catch (RuntimeException e) {
            failed(now, "the subscription could not be made: " + reason(e));
        }
    }

    private void failed(Instant now, String why) {
        nextAttempt = now.plus(retryDelay);
        status = "polling every delay: " + why + "; next attempt at " + nextAttempt;
        if (!warned) {
            warned = true;
            LOG.warn("outlook365:{} polls every delay instead of being notified: {}; it tries again at {}, then less"
                     + " often (up to every hour)", name(), why, nextAttempt);
        } else {
            LOG.debug("outlook365:{} still polls: {}", name(), why);
        }
        Duration doubled = retryDelay.multipliedBy(2);
        retryDelay = doubled.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : doubled;
    }

    private void renew(Instant now) {
        Instant expires = now.plus(lifetime);
        try {
            GraphResponse renewed = trigger.connection.graph().execute(new GraphRequest("PATCH",
                    "/v1.0/subscriptions/" + subscriptionId, trigger.connection.account(), new LinkedHashMap<>(),
                    json(Map.of("expirationDateTime", expires.toString()))));
            expiresAt = parseOr(renewed.body() == null ? null : renewed.body().path("expirationDateTime").asText(null),
                    expires);
            reauthorize = false;
            status = "push: subscription " + subscriptionId + " until " + expiresAt + "; safety poll every "
                     + pollDelay.toMinutes() + " min";
            LOG.debug("outlook365:{} renewed subscription {} until {}", name(), subscriptionId, expiresAt);
        } catch (GraphException e) {
            if (e.getStatus() == 404) {
                // Graph forgot it (it expired, or was removed): make a new one now
                LOG.info("outlook365:{}: Graph no longer knows subscription {}; it makes a new one", name(),
                        subscriptionId);
                forget();
                nextAttempt = Instant.MIN;
            } else {
                LOG.warn("outlook365:{} could not renew subscription {}: {}; it tries again at the next poll", name(),
                        subscriptionId, reason(e));
            }
        } catch (RuntimeException e) {
            LOG.warn("outlook365:{} could not renew subscription {}: {}; it tries again at the next poll", name(),
                    subscriptionId, reason(e));
        }
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/subscription-reauthorize
    private void reauthorize() {
        try {
            trigger.connection.graph().execute(GraphRequest.post(trigger.connection.account(),
                    "/v1.0/subscriptions/" + subscriptionId + "/reauthorize", null));
            reauthorize = false;
            LOG.info("outlook365:{} reauthorized subscription {}, as Graph asked", name(), subscriptionId);
        } catch (RuntimeException e) {
            // renewing reauthorizes too; a renewal that fails makes the subscription anew
            LOG.info("outlook365:{} could not reauthorize subscription {} ({}); it renews it instead", name(),
                    subscriptionId, reason(e));
            renew(Instant.now());
        }
    }

    /** Deletes the subscription an earlier run left in the trigger's state (a crash did not delete it). */
    private void deleteLeftover() {
        String stored = trigger.state.document(DOCUMENT);
        if (stored == null) {
            return;
        }
        String id;
        try {
            id = GraphJson.MAPPER.readTree(stored).path("subscriptionId").asText(null);
        } catch (JsonProcessingException e) {
            id = null;
        }
        if (id != null && !id.equals(subscriptionId)) {
            delete(id, "left by an earlier run");
        }
    }

    private void delete(String id, String why) {
        try {
            trigger.connection.graph().execute(new GraphRequest("DELETE", "/v1.0/subscriptions/" + id,
                    trigger.connection.account(), new LinkedHashMap<>(), null));
            LOG.debug("outlook365:{} deleted subscription {} ({})", name(), id, why);
        } catch (GraphException e) {
            if (e.getStatus() != 404) {
                LOG.info("outlook365:{} could not delete subscription {} ({}): {}; Graph deletes it when it expires",
                        name(), id, why, reason(e));
            }
        } catch (RuntimeException e) {
            LOG.info("outlook365:{} could not delete subscription {} ({}): {}; Graph deletes it when it expires", name(),
                    id, why, reason(e));
        }
    }

    private void forget() {
        hub.unregister(subscriptionId);
        subscriptionId = null;
        clientState = null;
        expiresAt = null;
    }

    /** The trigger stops: the subscription is deleted (under the trigger's polling lock, before its state closes). */
    void stop() {
        stopped = true;
        hub.remove(this);
        String id = subscriptionId;
        forget();
        if (id != null) {
            delete(id, "the trigger stopped");
        }
        status = "stopped";
    }

    // ---------------------------------------------------------------- from the receiver

    /** Whether a notification's clientState is this subscription's secret (constant time). */
    boolean believes(String givenClientState) {
        byte[] secret = clientState;
        if (secret == null || givenClientState == null) {
            return false;
        }
        return MessageDigest.isEqual(secret, givenClientState.getBytes(StandardCharsets.US_ASCII));
    }

    /** A change notification: run the round now, and once more shortly after. */
    void notified() {
        wake();
        if (recheckQueued.compareAndSet(false, true)) {
            try {
                hub.timer().schedule(() -> {
                    recheckQueued.set(false);
                    wake();
                }, RECHECK.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                recheckQueued.set(false);
            }
        }
    }

    /** A lifecycle notification (on the hub's threads). */
    void lifecycle(String event) {
        switch (event) {
            case "reauthorizationRequired":
                reauthorize = true;
                LOG.info("outlook365:{}: Graph asks to reauthorize subscription {}", name(), subscriptionId);
                break;
            case "subscriptionRemoved":
                recreate = true;
                LOG.info("outlook365:{}: Graph removed subscription {}; the trigger makes a new one", name(),
                        subscriptionId);
                break;
            case "missed":
                LOG.info("outlook365:{}: Graph missed notifications of subscription {}; the trigger runs its round",
                        name(), subscriptionId);
                break;
            default:
                LOG.debug("outlook365:{}: ignored lifecycle event '{}'", name(), event);
                return;
        }
        wake();
    }

    private void wake() {
        if (stopped) {
            return;
        }
        wakePending = true;
        if (wakeQueued.compareAndSet(false, true)) {
            try {
                hub.workers().execute(() -> {
                    wakeQueued.set(false);
                    trigger.wakeUp();
                });
            } catch (RuntimeException e) {
                // the component is stopping
                wakeQueued.set(false);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private static String json(Map<String, Object> body) {
        try {
            return GraphJson.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant parseOr(String text, Instant fallback) {
        if (text == null) {
            return fallback;
        }
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static String reason(RuntimeException e) {
        if (e instanceof GraphException g && g.getGraphMessage() != null) {
            return "Graph answered " + g.getStatus() + " " + g.getCode() + ": " + g.getGraphMessage();
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}

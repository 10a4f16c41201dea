package io.github.outlook365.camel.trigger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.support.RateLimitedLog;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The component's side of Graph change notifications: which subscription belongs to which trigger, what the receiver
 * ({@code outlook365:connection/receiveNotification}) got, and the threads that do the work off the HTTP thread.
 * <p>
 * A notification is believed only when its {@code clientState} equals the secret of the subscription it names
 * (compared in constant time); a forged one is dropped, counted and logged (at most once a minute, with a count of the
 * rest: anyone can post them), and never wakes a trigger. One for a
 * subscription this application does not know (a leftover of an earlier run, which expires by itself) is dropped and
 * counted. What a notification does (wake a trigger, reauthorize, recreate) runs on this hub's threads, so the
 * receiver answers 202 at once.
 */
public final class PushNotifications {

    private static final Logger LOG = LoggerFactory.getLogger(PushNotifications.class);

    /** What one request to the receiver carried. */
    public record Received(int accepted, int forged, int unknown) {
    }

    private final CamelContext context;
    private final Map<String, PushSubscription> bySubscription = new ConcurrentHashMap<>();
    private final List<PushSubscription> triggers = new CopyOnWriteArrayList<>();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong forged = new AtomicLong();
    private final AtomicLong unknown = new AtomicLong();
    // anyone who reaches the notification URL can post forged ones: a line a minute at most, with a count
    private final RateLimitedLog forgedLog = new RateLimitedLog(LOG, Level.WARN,
            "requests with forged change notifications (clientState does not match) dropped");
    private ExecutorService workers;
    private ScheduledExecutorService timer;
    private boolean healthRegistered;

    public PushNotifications(CamelContext context) {
        this.context = context;
    }

    /** The threads that run woken rounds (a round may run a route, so a few), created on first use. */
    synchronized ExecutorService workers() {
        if (workers == null) {
            workers = context.getExecutorServiceManager().newFixedThreadPool(this, "Outlook365Notifications", 4);
        }
        return workers;
    }

    /** The timer of the re-checks after a notification, created on first use. */
    synchronized ScheduledExecutorService timer() {
        if (timer == null) {
            timer = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                    "Outlook365NotificationTimer");
        }
        return timer;
    }

    /** Stops the threads (the component stops). */
    public synchronized void shutdown() {
        forgedLog.flush();
        if (workers != null) {
            context.getExecutorServiceManager().shutdown(workers);
            workers = null;
        }
        if (timer != null) {
            context.getExecutorServiceManager().shutdown(timer);
            timer = null;
        }
    }

    synchronized void add(PushSubscription trigger) {
        triggers.add(trigger);
        if (!healthRegistered) {
            HealthCheckRegistry registry = HealthCheckRegistry.get(context);
            if (registry != null) {
                registry.register(new Health());
            }
            healthRegistered = true;
        }
    }

    void remove(PushSubscription trigger) {
        triggers.remove(trigger);
    }

    void register(String subscriptionId, PushSubscription trigger) {
        bySubscription.put(subscriptionId, trigger);
    }

    void unregister(String subscriptionId) {
        if (subscriptionId != null) {
            bySubscription.remove(subscriptionId);
        }
    }

    /**
     * Takes the body of a notification request (a changeNotificationCollection: {@code {"value":[...]}}), checks each
     * notification's clientState and hands the good ones to their triggers, off this thread.
     *
     * @throws IllegalArgumentException when the body is not such a collection
     */
    public Received receive(String body) {
        JsonNode json;
        try {
            json = body == null || body.isBlank() ? null : GraphJson.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            json = null;
        }
        if (json == null || !json.path("value").isArray()) {
            throw new IllegalArgumentException("not a Graph change notification: the body must be a JSON object with a"
                                               + " value array");
        }
        int ok = 0;
        int bad = 0;
        int stray = 0;
        for (JsonNode n : json.path("value")) {
            String subscriptionId = n.path("subscriptionId").asText(null);
            PushSubscription trigger = subscriptionId == null ? null : bySubscription.get(subscriptionId);
            if (trigger == null) {
                stray++;
                continue;
            }
            if (!trigger.believes(n.path("clientState").asText(null))) {
                bad++;
                continue;
            }
            ok++;
            String lifecycleEvent = n.path("lifecycleEvent").asText(null);
            if (lifecycleEvent != null) {
                workers().execute(() -> trigger.lifecycle(lifecycleEvent));
            } else {
                trigger.notified();
            }
        }
        accepted.addAndGet(ok);
        unknown.addAndGet(stray);
        if (bad > 0) {
            forged.addAndGet(bad);
            forgedLog.log("outlook365: dropped {} change notification(s) whose clientState does not match their"
                          + " subscription: someone other than Microsoft Graph may be posting to the notification URL."
                          + " Such notifications never wake a trigger; they are counted (detail forgedNotifications of"
                          + " the health check outlook365-notifications) and logged at most once a minute", bad);
        }
        if (stray > 0) {
            LOG.debug("outlook365: dropped {} notification(s) of a subscription this application does not know (one left"
                      + " by an earlier run expires by itself)", stray);
        }
        return new Received(ok, bad, stray);
    }

    public long acceptedCount() {
        return accepted.get();
    }

    public long forgedCount() {
        return forged.get();
    }

    public long unknownCount() {
        return unknown.get();
    }

    List<PushSubscription> triggers() {
        return new ArrayList<>(triggers);
    }

    /**
     * Readiness: always UP (a trigger without notifications still polls), with a detail per trigger saying whether its
     * notifications work, and why not.
     */
    private final class Health implements HealthCheck {
        private boolean enabled = true;

        @Override
        public String getGroup() {
            return "outlook365";
        }

        @Override
        public String getId() {
            return "outlook365-notifications";
        }

        @Override
        public boolean isEnabled() {
            return enabled;
        }

        @Override
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        @Override
        public boolean isLiveness() {
            return false;
        }

        @Override
        public Result call(Map<String, Object> options) {
            HealthCheckResultBuilder builder = HealthCheckResultBuilder.on(this);
            builder.detail("acceptedNotifications", accepted.get());
            builder.detail("forgedNotifications", forged.get());
            builder.detail("unknownNotifications", unknown.get());
            int polling = 0;
            for (PushSubscription t : triggers) {
                builder.detail(t.name(), t.status());
                if (!t.active()) {
                    polling++;
                }
            }
            if (polling > 0) {
                builder.message(polling + " trigger(s) with notification=webhook poll instead: see the details");
            }
            return builder.up().build();
        }
    }
}

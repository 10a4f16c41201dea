package io.github.outlook365.camel.trigger;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.auth.Outlook365AuthenticationException;
import io.github.outlook365.camel.connection.ConnectionState;
import io.github.outlook365.camel.connection.ConnectionUnavailableException;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.graph.DeltaRound;
import io.github.outlook365.camel.graph.GraphException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trigger over a Graph delta query: each poll runs one delta round; an item fires once for each firing key it
 * earns, exactly once to the route.
 * <p>
 * The first start sets a baseline: what is already there does not fire (unless {@code since} asks for a backlog). The
 * keys delivered are remembered, so updates and replayed rounds do not fire again. The round's delta link is committed
 * only after every exchange of the round succeeded; a failed exchange makes the next poll replay the round from the
 * stored link. When Graph forgets a delta token (410 Gone) the round restarts from the newest receivedDateTime seen,
 * and dedup absorbs the overlap.
 * <p>
 * Subclasses say which link starts a round, which items fire under which key, and how an item becomes an exchange.
 */
public abstract class DeltaTriggerConsumer extends ScheduledPollConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(DeltaTriggerConsumer.class);

    // a new trigger's baseline lies this far before its start, so a clock a little ahead of Exchange's loses nothing;
    // what the baseline round finds is recorded as already there and does not fire
    private static final long BASELINE_SKEW_SECONDS = 60;

    /** An item of a round that fires (if it passes the filters) under {@code key}. */
    protected record Candidate(String key, JsonNode item, Instant received) {
    }

    protected final Outlook365Endpoint endpoint;
    protected final Outlook365Configuration configuration;
    protected Outlook365Connection connection;
    private TriggerState state;
    private Cursor cursor;

    // the round in progress: what is still to fire, and the link to commit once it is all done
    private Deque<Candidate> pending;
    private String pendingDeltaLink;
    private final ReentrantLock polling = new ReentrantLock();

    protected DeltaTriggerConsumer(Outlook365Endpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.configuration = endpoint.getConfiguration();
    }

    /** {@code mail/received}, for logs and the default state key. */
    protected abstract String triggerName();

    /** What the trigger watches (a folder, a calendar), part of the default state key. */
    protected abstract String scope();

    /** Resolves what the trigger watches; runs at start, after the connection is known. */
    protected abstract void resolve();

    /** The link that starts a round without a delta link, for items from {@code from} on. */
    protected abstract String initialLink(Instant from);

    /** A further Prefer value for every delta page, or null. */
    protected String preference() {
        return null;
    }

    /**
     * Whether the trigger fires for items by their arrival: then items received before the baseline never fire. A
     * trigger on changes (flagged) fires for old items too.
     */
    protected boolean firesOnArrival() {
        return true;
    }

    /**
     * The key under which an item of a round fires, or null when it does not fire (yet). May forget keys of the state,
     * so that an item fires again (a message flagged anew).
     */
    protected abstract String fireKey(JsonNode item, TriggerState state);

    /** Whether the item passes the trigger's filters; one that does not is remembered as seen and never fires. */
    protected boolean accepts(JsonNode item) {
        return true;
    }

    /** Fills the exchange for an item. */
    protected abstract void prepare(Exchange exchange, JsonNode item);

    /**
     * False where Graph does not offer the delta this trigger rounds on (message delta in the China cloud): rounds then
     * come from {@link #listSince(Instant)} and the cursor moves by receivedDateTime alone.
     */
    protected boolean usesDelta() {
        return true;
    }

    /** A round without delta: every item received since {@code from} (inclusive), oldest first, every page followed. */
    protected DeltaRound listSince(Instant from) {
        throw new UnsupportedOperationException(triggerName() + " has no round without delta");
    }

    /** Runs after the route succeeded on an item (e.g. mark the message read); failures are logged, not retried. */
    protected void afterSuccess(JsonNode item) {
    }

    @Override
    protected void doStart() throws Exception {
        connection = endpoint.openCheckedConnection();
        resolve();
        state = endpoint.triggerState(triggerName().replace('/', '.'), scope());
        cursor = state.cursor();
        if (cursor != null && cursor.deltaLink() != null && !cursor.deltaLink().startsWith(connection.graph().root() + "/")) {
            // the state was written against another Graph endpoint: its link is worthless here, its position is not
            LOG.warn("The stored delta link of {} '{}' belongs to another Graph endpoint; restarting from {}",
                    triggerName(), scope(), cursor.restartFrom());
            cursor = cursor.withDeltaLink(null);
        }
        if (cursor == null) {
            try {
                cursor = firstCursor();
                state.commit(cursor);
            } catch (ConnectionUnavailableException | Outlook365AuthenticationException e) {
                if (connection.lifecycle().state() != ConnectionState.BROKEN) {
                    throw e;
                }
                // nobody signed in yet, or the connection broke before this trigger's first start: the baseline is
                // set at the first poll after the connection works again
                LOG.warn("outlook365:{} '{}' waits for its connection, which is BROKEN: {}", triggerName(), scope(),
                        e.getMessage());
                super.doStart();
                return;
            }
        }
        LOG.info("outlook365:{} watches '{}' of {} (fires for {} from {}{})", triggerName(), scope(),
                connection.account(), firesOnArrival() ? "items received" : "changes", cursor.baseline(),
                cursor.deltaLink() != null ? ", resuming from its stored cursor" : "");
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        // let a poll in progress finish its bookkeeping, so nothing writes trigger state after the stop; a route that
        // stops itself from its own exchange (same thread) does not wait for itself
        boolean locked = polling.isHeldByCurrentThread() || polling.tryLock(30, TimeUnit.SECONDS);
        try {
            // what was fetched but not fired is fetched again from the stored cursor
            pending = null;
            pendingDeltaLink = null;
        } finally {
            if (locked && polling.isHeldByCurrentThread()) {
                polling.unlock();
            }
        }
        if (state != null) {
            // frees the state (and its files) for this trigger's next start
            state.close();
        }
    }

    private Cursor firstCursor() {
        if (configuration.getSince() != null && !configuration.getSince().isBlank() && firesOnArrival()) {
            return new Cursor(null, parseSince(configuration.getSince()), null);
        }
        Instant baseline = Instant.now().minusSeconds(BASELINE_SKEW_SECONDS).truncatedTo(ChronoUnit.SECONDS);
        DeltaRound round = usesDelta()
                ? connection.graph().deltaRound(connection.account(), initialLink(baseline), configuration.getPageSize(),
                        preference())
                : listSince(baseline);
        Cursor first = new Cursor(round.deltaLink(), baseline, null);
        int existing = 0;
        for (JsonNode item : latest(round).values()) {
            if (item.has("@removed")) {
                continue;
            }
            String key = fireKey(item, state);
            if (key != null) {
                state.markDelivered(key);
                existing++;
            }
            first = first.seen(receivedAt(item));
        }
        LOG.debug("Baseline of {} '{}': {} items already there do not fire", triggerName(), scope(), existing);
        return first;
    }

    @Override
    protected int poll() throws Exception {
        polling.lock();
        try {
            return pollRound();
        } finally {
            polling.unlock();
        }
    }

    private int pollRound() throws Exception {
        if (connection.lifecycle().pollPaused()) {
            // BROKEN, or the token endpoint failed: nothing fires and the cursor stays until the next backoff step
            return 0;
        }
        if (pending == null) {
            DeltaRound round;
            try {
                if (cursor == null) {
                    cursor = firstCursor();
                    state.commit(cursor);
                    LOG.info("outlook365:{} watches '{}' of {} from {}", triggerName(), scope(), connection.account(),
                            cursor.baseline());
                    return 0;
                }
                round = fetchRound();
            } catch (ConnectionUnavailableException | Outlook365AuthenticationException e) {
                // the connection's state machine has logged it and announced the change; poll again after backoff
                LOG.debug("outlook365:{} '{}' pauses: {}", triggerName(), scope(), e.getMessage());
                return 0;
            }
            pending = new ArrayDeque<>(candidates(round));
            pendingDeltaLink = round.deltaLink();
        }
        int max = configuration.getMaxMessagesPerPoll();
        int fired = 0;
        while (!pending.isEmpty() && (max <= 0 || fired < max) && isRunAllowed()) {
            Candidate candidate = pending.peekFirst();
            if (state.delivered(candidate.key())) {
                pending.removeFirst();
                continue;
            }
            if (!accepts(candidate.item())) {
                state.markDelivered(candidate.key());
                cursor = cursor.seen(candidate.received());
                pending.removeFirst();
                continue;
            }
            Exchange exchange = createExchange(false);
            prepare(exchange, candidate.item());
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            fired++;
            if (exchange.getException() != null) {
                getExceptionHandler().handleException(
                        "outlook365:" + triggerName() + ": the route failed on " + candidate.key()
                                                      + "; it fires again when the round is replayed from the stored cursor",
                        exchange, exchange.getException());
                releaseExchange(exchange, false);
                pending = null;
                pendingDeltaLink = null;
                return fired;
            }
            state.markDelivered(candidate.key());
            cursor = cursor.seen(candidate.received());
            pending.removeFirst();
            releaseExchange(exchange, false);
            try {
                afterSuccess(candidate.item());
            } catch (RuntimeException e) {
                LOG.warn("outlook365:{}: the route succeeded on {} but the follow-up failed: {}", triggerName(),
                        candidate.key(), e.getMessage());
            }
        }
        if (pending.isEmpty() && isRunAllowed()) {
            // (a poll that outlives its consumer's stop leaves the cursor alone: the round is replayed, dedup holds)
            cursor = cursor.withDeltaLink(pendingDeltaLink);
            state.commit(cursor);
            pending = null;
            pendingDeltaLink = null;
        }
        return fired;
    }

    private DeltaRound fetchRound() {
        if (!usesDelta()) {
            return listSince(cursor.restartFrom());
        }
        String start = cursor.deltaLink() != null ? cursor.deltaLink() : initialLink(cursor.restartFrom());
        try {
            return connection.graph().deltaRound(connection.account(), start, configuration.getPageSize(), preference());
        } catch (GraphException e) {
            if (!e.isDeltaReset() || cursor.deltaLink() == null) {
                throw e;
            }
            LOG.warn("Graph no longer knows the delta token of {} '{}' of {} ({}); restarting the round from {}",
                    triggerName(), scope(), connection.account(), e.getCode(), cursor.restartFrom());
            cursor = cursor.withDeltaLink(null);
            state.commit(cursor);
            return connection.graph().deltaRound(connection.account(), initialLink(cursor.restartFrom()),
                    configuration.getPageSize(), preference());
        }
    }

    private static Map<String, JsonNode> latest(DeltaRound round) {
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        for (JsonNode item : round.items()) {
            if (item.hasNonNull("id")) {
                latest.put(item.get("id").asText(), item);
            }
        }
        return latest;
    }

    /** What in the round may fire: not removed, not delivered before, not older than the baseline; oldest first. */
    private List<Candidate> candidates(DeltaRound round) {
        List<Candidate> candidates = new ArrayList<>();
        for (JsonNode item : latest(round).values()) {
            if (item.has("@removed")) {
                continue;
            }
            Instant received = receivedAt(item);
            if (firesOnArrival() && received != null && received.isBefore(cursor.baseline())) {
                continue;
            }
            String key = fireKey(item, state);
            if (key != null && !state.delivered(key)) {
                candidates.add(new Candidate(key, item, received));
            }
        }
        candidates.sort(Comparator.comparing(Candidate::received, Comparator.nullsLast(Comparator.naturalOrder())));
        return candidates;
    }

    protected static Instant receivedAt(JsonNode item) {
        JsonNode value = item.get("receivedDateTime");
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.asText()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant parseSince(String since) {
        try {
            return OffsetDateTime.parse(since.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("option since='" + since + "' is not an ISO-8601 date-time with an offset:"
                                               + " give e.g. 2026-01-31T00:00:00Z");
        }
    }
}

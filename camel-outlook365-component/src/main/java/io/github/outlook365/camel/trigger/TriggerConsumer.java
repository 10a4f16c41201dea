package io.github.outlook365.camel.trigger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.auth.Outlook365AuthenticationException;
import io.github.outlook365.camel.connection.ConnectionEvent;
import io.github.outlook365.camel.connection.ConnectionFailures;
import io.github.outlook365.camel.connection.ConnectionState;
import io.github.outlook365.camel.connection.ConnectionUnavailableException;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphPage;
import io.github.outlook365.camel.graph.GraphRequest;
import io.github.outlook365.camel.graph.GraphThrottledException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Processor;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.ScheduledBatchPollingConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one engine every trigger runs on: it reads a page, fires what in it passes, commits the page's position, and
 * goes on with the next page at once while a round is unfinished. It pauses while the connection is BROKEN, writes no
 * state after its stop, keeps replays from firing twice, parks an item whose exchanges keep failing, and shows itself
 * over JMX.
 * <p>
 * A trigger says only what is its own: what it watches ({@link #resolve()}), where a new trigger starts
 * ({@link #firstCursor(Instant, Instant)}), how to read the page at a cursor ({@link #fetch(Cursor)}: which items fire under
 * which key and horizon), and how an item becomes an exchange ({@link #prepare(Exchange, Candidate)}).
 * <p>
 * Memory holds one page. A poll fires at most {@code maxMessagesPerPoll} exchanges (0: no cap); what a cap leaves of
 * a page waits for the next poll, and after a restart is read again from the stored cursor (dedup absorbs it). A
 * failed exchange makes its page replay from the stored cursor at the next poll; after {@code maxAttempts} failed
 * exchanges the item is parked and the page goes on. An {@link Error} is never taken for a failure of the item or of
 * the connection: it is logged and rethrown.
 */
@ManagedResource(description = "An Outlook 365 trigger: what it watches, what it fired, where its cursor stands")
public abstract class TriggerConsumer extends ScheduledBatchPollingConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(TriggerConsumer.class);
    private static final String PARKED_DOCUMENT = "parked";
    /**
     * A trigger that waited for the first sign-in fires for what arrived from this long before it: the clocks of this
     * machine and of Exchange may be a little apart, and dedup keeps the overlap from firing twice.
     */
    public static final Duration SIGN_IN_SKEW = Duration.ofMinutes(1);
    /** How long an idle round's new delta link may stay unwritten (it is written at the trigger's stop too). */
    static final Duration IDLE_WRITE_INTERVAL = Duration.ofMinutes(10);
    // a trigger state shared by a cluster: how old the last proof of leadership may be when an exchange fires
    private static final Duration LEADERSHIP_CHECK = Duration.ofSeconds(1);

    protected final Outlook365Endpoint endpoint;
    protected final Outlook365Configuration configuration;
    protected Outlook365Connection connection;
    protected TriggerState state;

    // guarded by polling: what is committed, and the page in progress
    private final ReentrantLock polling = new ReentrantLock();
    private Cursor cursor;
    // an idle round's cursor not yet written (only its delta link is new), and when the cursor was last written
    private Cursor unwritten;
    private Instant writtenAt;
    private ParkedItems parked;
    private Page page;
    private Deque<Candidate> pending;
    private final Map<String, Integer> failures = new HashMap<>();
    private int firedThisRun;

    private volatile boolean ready;
    private volatile boolean continueAtOnce;
    private volatile boolean toldWaiting;
    private volatile Instant startedAt;
    // another node took the shared state over: nothing fires or commits until the route starts again
    private volatile TriggerFencedException fencedBy;
    // notification=webhook: when to run a round besides the polls (null: polls only)
    private PushSubscription push;
    // what the $batch of the route's mailboxes read for this trigger's next poll (MailboxesConsumer), taken once
    private volatile BatchedRead batched;

    // the JMX view
    private final AtomicLong fired = new AtomicLong();
    private volatile Instant lastFiredAt;
    private volatile Instant committedAt;
    private volatile int waitingAfterFailure;
    // Graph throttled a read of this trigger's mailbox: no poll reads Graph before this instant (null: not throttled)
    private volatile Instant throttledUntil;
    private volatile int parkedCount;

    protected TriggerConsumer(Outlook365Endpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.configuration = endpoint.getConfiguration();
        setMaxMessagesPerPoll(configuration.getMaxMessagesPerPoll());
        if (configuration.getMaxAttempts() < 0) {
            throw new IllegalArgumentException("option maxAttempts must be 0 (never park an item) or more, not "
                                               + configuration.getMaxAttempts());
        }
        if (configuration.getParkedRetryDelay() < 1000) {
            throw new IllegalArgumentException("option parkedRetryDelay must be at least 1000 ms, not "
                                               + configuration.getParkedRetryDelay());
        }
        if (configuration.getNotification() == NotificationMode.webhook) {
            checkNotificationOptions(configuration);
        }
        if (configuration.getTriggerThreads() < 1) {
            throw new IllegalArgumentException("option triggerThreads must be 1 or more, not "
                                               + configuration.getTriggerThreads());
        }
        if (configuration.getPageSize() < 1 || configuration.getPageSize() > 1000) {
            throw new IllegalArgumentException("option pageSize must be from 1 to 1000 (Graph's largest page), not "
                                               + configuration.getPageSize());
        }
    }

    // ---------------------------------------------------------------- what a trigger says

    private static void checkNotificationOptions(Outlook365Configuration configuration) {
        if (configuration.getNotificationPollDelay() < 1000) {
            throw new IllegalArgumentException("option notificationPollDelay must be at least 1000 ms, not "
                                               + configuration.getNotificationPollDelay());
        }
        if (configuration.getNotificationLifetime() < 5 || configuration.getNotificationLifetime() > 10_080) {
            throw new IllegalArgumentException("option notificationLifetime must be from 5 to 10080 minutes (Graph's"
                                               + " longest for Outlook messages and events), not "
                                               + configuration.getNotificationLifetime());
        }
        String url = configuration.getNotificationUrl();
        if (url != null && !url.isBlank() && !url.startsWith("https://") && !url.startsWith("http://")) {
            throw new IllegalArgumentException("option notificationUrl must be the absolute https URL of the"
                                               + " notification receiver (e.g. https://camel.example.com/outlook365/"
                                               + "notifications), not '" + url + "'");
        }
    }

    /** {@code mail/received}: for logs, JMX and the default state key. */
    protected abstract String triggerName();

    /** What the trigger watches as configured (a folder, a calendar), for logs and JMX. */
    protected abstract String scope();

    /**
     * Resolves what the trigger watches (a folder, a calendar) over Graph. Runs at the start when the connection works,
     * else at the first poll after it does.
     *
     * @return what tells this trigger's state from another's of the same kind (part of the default state key)
     */
    protected abstract String resolve();

    /**
     * The cursor of a trigger that never ran: a baseline at {@code now}, or a backlog the route asked for.
     *
     * @param firesFrom null, or, for a trigger that started before its connection's first sign-in and waited for it: the
     *                  instant (the sign-in, less {@link #SIGN_IN_SKEW}) from which what the first round finds fires,
     *                  each trigger by its own time field; the trigger keeps it in the cursor
     *                  ({@link Cursor#firingFrom(Instant)}) until its first round is done
     */
    protected abstract Cursor firstCursor(Instant now, Instant firesFrom);

    /**
     * Reads the page at {@code cursor}: the items that may fire in it, and the cursor after it. A trigger handles its
     * own resets (a delta token Graph forgot) here.
     */
    protected abstract Page fetch(Cursor cursor);

    /** Fills the exchange of a candidate: body and headers. */
    protected abstract void prepare(Exchange exchange, Candidate candidate);

    /** Reads a parked item again to retry it; null when it no longer exists (it is then dropped). */
    protected abstract Candidate reread(ParkedItem item);

    /** What a parked item needs to be fired again when it cannot be re-read (e.g. a deleted event), or null. */
    protected String parkingPayload(Candidate candidate) {
        return null;
    }

    /** Runs after the route succeeded on an item (e.g. mark the message read); failures are logged, not retried. */
    protected void afterSuccess(Candidate candidate) {
    }

    /**
     * The instant before which the trigger's cursor is past every key: what is older never fires, and its dedup is
     * forgotten. Null when keys are kept until forgotten.
     */
    protected Instant pruneHorizon(Cursor committed) {
        return null;
    }

    /**
     * Whether a new trigger's first cursor is written before its first round runs (it is, unless the trigger says it
     * need not be: a baseline that a crash within its first round may as well take again from a new first cursor,
     * which spares each of a thousand new mailboxes a commit and its fsyncs at their start).
     */
    protected boolean commitsFirstCursorBeforeItsRound(Cursor first) {
        return true;
    }

    /** A stored cursor as this trigger resumes from it (e.g. without a delta link of another Graph endpoint). */
    protected Cursor restored(Cursor stored) {
        return stored;
    }

    /** Commits a page's further state (before its cursor), as {@link Page#feedState()} carries it. */
    protected void commitFeedState(Object feedState) {
    }

    /**
     * What the trigger subscribes to with {@code notification=webhook} (called after {@link #resolve()}), or null when
     * it cannot be notified (it then polls).
     */
    protected PushResource pushResource() {
        return null;
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    protected void doStart() throws Exception {
        fencedBy = null;
        connection = endpoint.openCheckedConnection();
        startedAt = Instant.now();
        if (configuration.getNotification() == NotificationMode.webhook) {
            push = new PushSubscription(this, endpoint.getComponent().pushNotifications(),
                    configuration.getNotificationUrl(), Duration.ofMillis(configuration.getNotificationPollDelay()),
                    Duration.ofMinutes(configuration.getNotificationLifetime()));
        }
        shareScheduler();
        polling.lock();
        try {
            ready(false);
        } catch (RuntimeException e) {
            if (!waitsForConnection(e)) {
                throw e;
            }
            waiting(e);
        } finally {
            polling.unlock();
        }
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        // let a poll in progress finish its bookkeeping, so that nothing writes trigger state after the stop; a route
        // that stops itself from its own exchange (the polling thread) does not wait for itself
        boolean acquired = !polling.isHeldByCurrentThread() && polling.tryLock(30, TimeUnit.SECONDS);
        try {
            // what was read but not fired is read again from the stored cursor
            page = null;
            pending = null;
            failures.clear();
            ready = false;
            writeIdleCursor();
            if (push != null) {
                // deletes the Graph subscription while the connection and the state are still there
                push.stop();
                push = null;
            }
            if (state != null) {
                connection.leadership(state.key(), null);
                // frees the state (and its files) for this trigger's next start
                state.close();
            }
        } finally {
            if (acquired) {
                polling.unlock();
            }
        }
    }

    /**
     * The triggers of an app poll on its one scheduler ({@code triggerThreads}), unless the route gave Camel's
     * {@code scheduledExecutorService}; the first polls of triggers started together are spread a few ms apart.
     */
    private void shareScheduler() {
        if (getScheduledExecutorService() == null) {
            setScheduledExecutorService(endpoint.triggerScheduler());
            setInitialDelay(Math.max(0, getInitialDelay()) + endpoint.nextStagger(getDelay()));
        }
    }

    /** Resolves what the trigger watches and loads its state; a new trigger commits its first cursor and baseline. */
    private void ready(boolean fromPoll) throws Exception {
        // from a poll on the shared threads a throttled lookup pauses this mailbox instead of waiting out Retry-After;
        // at the route's start it waits (a start that failed for it would leave the mailbox out)
        String stateScope = fromPoll ? GraphClient.polling(this::resolve) : resolve();
        TriggerState s = endpoint.triggerState(triggerName().replace('/', '.'), stateScope);
        ParkedItems p = ParkedItems.parse(s.document(PARKED_DOCUMENT));
        // the trigger's hooks below may read and write further documents of its state
        state = s;
        Cursor stored = s.cursor();
        Cursor c;
        boolean written = stored != null;
        if (stored != null) {
            c = restored(stored);
        } else {
            Instant now = Instant.now();
            c = firstCursor(now, firesFromSignIn()).committed(now);
            if (commitsFirstCursorBeforeItsRound(c) || s.leadership() != null) {
                s.commit(c);
                written = true;
            }
            // else its first round, run below, commits it (a state a cluster shares is written at once: each write
            // proves leadership)
        }
        parked = p;
        cursor = c;
        connection.leadership(s.key(), s.leadership());
        committedAt = written ? c.committedAt() : null;
        parkedCount = p.size();
        ready = true;
        if (stored == null && c.firesFrom() != null) {
            // what the first round finds since the sign-in fires: say where it watches from before it does
            LOG.info("outlook365:{} watches '{}' of {} from {} (the first sign-in, less a minute for clocks apart)",
                    triggerName(), scope(), mailbox(), c.firesFrom());
        }
        if (c.baselineRound()) {
            // the first round runs now, before anything can arrive unseen: what it finds was already there (or, after
            // a first sign-in, arrived since it and fires), and what arrives after it fires (whatever the clocks of
            // this machine and of Exchange say); a baseline is announced once it is taken
            pages();
        }
        if (stored != null) {
            LOG.info("outlook365:{} watches '{}' of {}, resuming from its stored cursor", triggerName(), scope(),
                    mailbox());
        } else if (c.firesFrom() == null) {
            LOG.info("outlook365:{} watches '{}' of {} from {}", triggerName(), scope(), mailbox(),
                    c.baseline() != null ? c.baseline() : "now");
        }
    }

    /**
     * Where a new trigger that started before its connection's first sign-in, and waited for it, fires from: the
     * sign-in less {@link #SIGN_IN_SKEW}, so that what arrived between the sign-in and this first working poll fires.
     * Null for any other trigger (one that started after a sign-in takes its baseline at its start).
     */
    private Instant firesFromSignIn() {
        Instant signedIn = connection.lifecycle().firstSignInAt();
        Instant started = startedAt;
        if (signedIn == null || started == null || signedIn.isBefore(started)) {
            return null;
        }
        return signedIn.minus(SIGN_IN_SKEW).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /** The watched mailbox, for messages: the account, or the signed-in user's own. */
    protected String mailbox() {
        String account = connection.account();
        return account != null ? account : "the signed-in user";
    }

    /**
     * Whether a failure only says that the connection does not work yet (nobody signed in, BROKEN, Graph or Entra ID
     * unreachable): the trigger then waits for it instead of failing. A failure of the connection has changed its
     * state; one that left it CONNECTED (a state directory that cannot be written, say) is the trigger's own.
     */
    private boolean waitsForConnection(Throwable failure) {
        return pausesFor(failure) || ConnectionFailures.classify(failure) != null
                                     && connection.lifecycle().state() != ConnectionState.CONNECTED;
    }

    /** Whether a failure says the connection is unavailable (BROKEN, nobody signed in): the trigger pauses quietly. */
    private static boolean pausesFor(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectionUnavailableException || t instanceof Outlook365AuthenticationException) {
                return true;
            }
        }
        return false;
    }

    private void waiting(RuntimeException e) {
        if (!toldWaiting) {
            toldWaiting = true;
            if (connection.lifecycle().awaitingFirstSignIn()) {
                // a first start: nothing failed, the connection says once where to sign in
                LOG.info("outlook365:{} '{}' waits for its connection: nobody has signed in to this connection yet; it"
                         + " starts watching at the first sign-in, and what arrives from then on fires", triggerName(),
                        scope());
            } else {
                LOG.warn("outlook365:{} '{}' waits for its connection ({}); it starts watching at the first poll after"
                         + " the connection works", triggerName(), scope(), e.getMessage());
            }
        } else {
            LOG.debug("outlook365:{} '{}' still waits for its connection: {}", triggerName(), scope(), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- the loop

    @Override
    public void run() {
        // a woken run and a scheduled one never overlap
        polling.lock();
        try {
            // maxMessagesPerPoll counts per scheduled run, however many pages a run goes through
            firedThisRun = 0;
            super.run();
        } finally {
            polling.unlock();
        }
    }

    /** A read a $batch made for a trigger's next poll: the link read, and Graph's answer to it. */
    private record BatchedRead(String link, GraphClient.BatchRead answer) {
    }

    /**
     * The read of this trigger's next poll when a $batch may make it together with those of other mailboxes (the
     * first page of an idle delta round, {@link #batchableRead(Cursor)}); null when the next poll runs alone: before
     * the trigger is ready, in a round or a backlog, after a failure, with a parked item due, with push, throttled,
     * paused, with Camel's backoff, or while a poll of it runs.
     */
    public GraphRequest batchableRead() {
        if (!isRunAllowed() || isSuspended() || getBackoffMultiplier() > 0 || !polling.tryLock()) {
            return null;
        }
        try {
            if (!ready || page != null || continueAtOnce || waitingAfterFailure > 0 || fencedBy != null || push != null
                || throttledUntil != null || connection.lifecycle().pollPaused()
                || parked.size() > 0 && !parked.due(Instant.now()).isEmpty()) {
                return null;
            }
            return batchableRead(cursor);
        } finally {
            polling.unlock();
        }
    }

    /** The read of the next poll at {@code cursor} when it may be made in a $batch (see {@link #batchableRead()}). */
    protected GraphRequest batchableRead(Cursor cursor) {
        return null;
    }

    /**
     * Runs a poll with what a $batch read for it: {@link #batched(String)} hands the answer to the trigger's read of
     * the same link. A null answer (left out of the batch, or an answer the trigger must get itself) polls as usual.
     */
    public void runWith(GraphRequest read, GraphClient.BatchRead answer) {
        batched = answer == null ? null : new BatchedRead(read.url(), answer);
        try {
            run();
        } finally {
            batched = null;
        }
    }

    /**
     * The answer a $batch got for this poll's read of {@code link} (taken once): its page, or the failure it stands
     * for (a {@link GraphThrottledException}, a delta reset) thrown here as the trigger's own read would; null when
     * the trigger reads it itself.
     */
    protected GraphPage batched(String link) {
        BatchedRead read = batched;
        if (read == null || !read.link().equals(link)) {
            return null;
        }
        batched = null;
        if (read.answer().failure() != null) {
            throw read.answer().failure();
        }
        return read.answer().page();
    }

    /** The Graph client of the trigger's connection (a $batch goes to the mailboxes of one client). */
    public GraphClient graph() {
        return connection.graph();
    }

    /** How many exchanges the trigger fired since it was created. */
    public long firedCount() {
        return fired.get();
    }

    /** A change notification arrived: run a round now (on the notification hub's thread), as a poll would. */
    void wakeUp() {
        if (isRunAllowed() && !isSuspended()) {
            run();
        }
    }

    /** A poll that ended inside an unfinished round goes on at once, as Camel's greedy polling does. */
    @Override
    public boolean isGreedy() {
        return super.isGreedy() || continueAtOnce;
    }

    @Override
    protected int poll() throws Exception {
        polling.lock();
        try {
            // an unfinished round (a page waiting, a capped or failed poll, a round ended mid-way) goes on at the next
            // poll, notified or not
            boolean roundGoesOn = continueAtOnce || page != null || waitingAfterFailure > 0
                                  || cursor != null && cursor.inRound();
            continueAtOnce = false;
            if (!isRunAllowed() || connection.lifecycle().pollPaused() || fencedBy != null) {
                // BROKEN, or the token endpoint failed: nothing fires and the cursor stays until the next backoff step;
                // or another node leads the trigger now
                return 0;
            }
            Instant until = throttledUntil;
            if (until != null) {
                if (Instant.now().isBefore(until)) {
                    // Graph's Retry-After for this mailbox has not ended: the poll skips it, the cursor stays
                    return 0;
                }
                throttledUntil = null;
                LOG.info("outlook365:{} '{}' of {}: Graph's Retry-After has ended; polls go on from the cursor",
                        triggerName(), scope(), mailbox());
            }
            try {
                if (!ready) {
                    ready(true);
                }
                if (push != null) {
                    GraphClient.polling(() -> {
                        push.maintain();
                        return null;
                    });
                    if (!push.roundDue(roundGoesOn)) {
                        // notifications work: nothing to do until one arrives or the safety poll is due
                        return 0;
                    }
                }
                int firedNow = retryParked();
                if (firedNow > 0) {
                    continueAtOnce = true;
                    return firedNow;
                }
                return pages();
            } catch (TriggerFencedException e) {
                fenced(e);
                return 0;
            } catch (GraphThrottledException e) {
                // the page was not read: the cursor stays, and the polls of this mailbox pause until Retry-After ends
                // instead of waiting on a poll thread the app's triggers share; not a failed poll
                throttledUntil = e.retryAt();
                return 0;
            } catch (RuntimeException e) {
                if (!pausesFor(e)) {
                    // Graph failed (after its retries): a failed poll, as Camel counts it (health, backoff)
                    throw e;
                }
                if (!ready) {
                    waiting(e);
                } else {
                    // the connection's state machine has logged it and announced the change; poll again after backoff
                    LOG.debug("outlook365:{} '{}' pauses: {}", triggerName(), scope(), e.getMessage());
                }
                return 0;
            }
        } finally {
            polling.unlock();
        }
    }

    /** Fires from the page in progress, reading pages until something fired, the round ended, or a cap or failure. */
    private int pages() throws Exception {
        while (isRunAllowed()) {
            int budget = budget();
            if (budget <= 0) {
                return 0;
            }
            if (page == null) {
                Cursor from = cursor;
                page = GraphClient.polling(() -> fetch(from));
                pending = new ArrayDeque<>(page.candidates());
            }
            int firedNow;
            try {
                Batch batch = batch(budget);
                firedNow = processBatch(new LinkedList<>(batch.candidates()));
            } catch (Exception | Error e) {
                // the state store failed inside the page (a database that went away), or the route threw a JVM error:
                // what was taken from the page must not be skipped, so the page is read again from the stored cursor
                // (dedup keeps what already fired from firing twice)
                page = null;
                pending = null;
                throw e;
            }
            if (page == null) {
                // an exchange failed: the page is read again at the next poll
                return firedNow;
            }
            if (!pending.isEmpty()) {
                // the cap was reached, or the consumer is stopping: the rest of the page waits for the next poll
                return firedNow;
            }
            Page done = page;
            if (!commit(done)) {
                return firedNow;
            }
            page = null;
            pending = null;
            if (done.roundEnd()) {
                return firedNow;
            }
            if (firedNow > 0) {
                continueAtOnce = true;
                return firedNow;
            }
        }
        return 0;
    }

    private int budget() {
        int max = getMaxMessagesPerPoll();
        return max <= 0 ? Integer.MAX_VALUE : max - firedThisRun;
    }

    /** What fires next from the page: at most {@code budget} candidates; what does not fire is recorded or skipped. */
    private record Batch(List<Candidate> candidates) {
    }

    private Batch batch(int budget) {
        Instant horizon = pruneHorizon(cursor);
        List<Candidate> batch = new ArrayList<>();
        while (!pending.isEmpty() && batch.size() < budget) {
            Candidate c = pending.removeFirst();
            if ((horizon != null && c.horizon() != null && c.horizon().isBefore(horizon)) || parked.contains(c.key())
                || state.delivered(c.key())) {
                // older than the cursor, waiting as a parked item, or delivered before (a replay, an update)
                continue;
            }
            if (!c.fires()) {
                state.markDelivered(c.key(), c.horizon());
                continue;
            }
            batch.add(c);
        }
        return new Batch(batch);
    }

    /**
     * Fires a batch of the page in progress, in order, each exchange with Camel's batch properties. Stops at an
     * exchange that failed (unless its item is parked), and at a stop; what was not fired goes back to the page.
     *
     * @return how many exchanges the route completed
     */
    @Override
    public int processBatch(Queue<Object> candidates) throws Exception {
        int size = candidates.size();
        int index = 0;
        int completed = 0;
        while (!candidates.isEmpty()) {
            Candidate c = (Candidate) candidates.peek();
            if (!isBatchAllowed()) {
                // stopping: put back what is left, the page is not committed
                List<Object> rest = new ArrayList<>(candidates);
                for (int i = rest.size() - 1; i >= 0; i--) {
                    pending.addFirst((Candidate) rest.get(i));
                }
                return completed;
            }
            candidates.poll();
            pendingExchanges = candidates.size();
            int attempt = failures.getOrDefault(c.key(), 0) + 1;
            Throwable failure = fire(c, index++, size, attempt, false);
            if (failure == null) {
                failures.remove(c.key());
                completed++;
                continue;
            }
            failures.put(c.key(), attempt);
            int maxAttempts = configuration.getMaxAttempts();
            if (maxAttempts > 0 && attempt >= maxAttempts) {
                park(c, attempt, failure);
                continue;
            }
            getExceptionHandler().handleException("outlook365:" + triggerName() + ": the route failed on " + c.itemId()
                                                  + " (attempt " + attempt + (maxAttempts > 0 ? " of " + maxAttempts : "")
                                                  + "); it fires again when its page is read again from the stored"
                                                  + " cursor", failure);
            waitingAfterFailure = 1 + candidates.size() + pending.size();
            page = null;
            pending = null;
            return completed;
        }
        pendingExchanges = 0;
        return completed;
    }

    /**
     * Fires one exchange and sees it through: on success the key is delivered.
     *
     * @return what the exchange failed with, or null when it succeeded
     */
    private Throwable fire(Candidate c, int index, int size, int attempt, boolean parkedRetry) throws Exception {
        TriggerLeadership leadership = state.leadership();
        if (leadership != null) {
            // a node paused past its lease fires nothing once it wakes: the new leader has taken the trigger over
            leadership.verify(LEADERSHIP_CHECK);
        }
        Exchange exchange = createExchange(false);
        if (leadership != null) {
            exchange.getIn().setHeader(Outlook365Constants.LEADER_EPOCH, leadership.epoch());
        }
        exchange.setProperty(ExchangePropertyKey.BATCH_INDEX, index);
        exchange.setProperty(ExchangePropertyKey.BATCH_SIZE, size);
        exchange.setProperty(ExchangePropertyKey.BATCH_COMPLETE, index == size - 1);
        exchange.getIn().setHeader(Outlook365Constants.ATTEMPT, attempt);
        exchange.getIn().setHeader(Outlook365Constants.PARKED, parkedRetry);
        firedThisRun++;
        try {
            try {
                prepare(exchange, c);
            } catch (RuntimeException e) {
                if (waitsForConnection(e)) {
                    // the connection broke while the page was fired: read the page again once it works
                    page = null;
                    pending = null;
                    throw e;
                }
                exchange.setException(e);
            }
            if (exchange.getException() == null) {
                try {
                    getProcessor().process(exchange);
                } catch (Exception e) {
                    exchange.setException(e);
                } catch (Error e) {
                    // Camel's routing lets a JVM error through: the exchange never completed
                    getEndpoint().getCamelContext().getInflightRepository().remove(exchange, getRouteId());
                    getEndpoint().getCamelContext().getInflightRepository().remove(exchange);
                    throw jvmError(c, e);
                }
            }
            Throwable failure = exchange.getException();
            Error error = failure == null ? null : errorIn(failure);
            if (error != null) {
                throw jvmError(c, error);
            }
            if (failure != null) {
                return failure;
            }
            state.markDelivered(c.key(), c.horizon());
            fired.incrementAndGet();
            lastFiredAt = Instant.now();
            try {
                afterSuccess(c);
            } catch (RuntimeException e) {
                LOG.warn("outlook365:{}: the route succeeded on {} but the follow-up failed: {}", triggerName(),
                        c.itemId(), e.getMessage());
            }
            return null;
        } finally {
            releaseExchange(exchange, false);
        }
    }

    /**
     * A JVM error is no failure of the item (nor of the connection): nothing is counted, parked or committed, and it goes
     * to Camel, which logs it as fatal and stops polling this trigger until its route is started again.
     */
    private Error jvmError(Candidate c, Error error) {
        LOG.error("outlook365:{}: the route threw {} on {}: a JVM error, not a failure of the item; nothing is counted or"
                  + " committed, and the trigger resumes from its stored cursor when its route starts again",
                triggerName(), error, c.itemId());
        page = null;
        pending = null;
        // the error left Camel's routing state of this thread unfinished: a shared trigger thread is replaced
        TriggerScheduler.spoilCurrentThread();
        return error;
    }

    private static Error errorIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Error e) {
                return e;
            }
        }
        return null;
    }

    /** Commits a page whose exchanges all succeeded (or were parked): its further state, then its cursor. */
    private boolean commit(Page done) {
        if (!isRunAllowed()) {
            // a poll that outlives its consumer's stop leaves the state alone: the page is read again, dedup holds
            return false;
        }
        Instant now = Instant.now();
        if (done.feedState() != null) {
            commitFeedState(done.feedState());
        }
        Cursor next = done.next().committed(now);
        if (idleRound(done, next) && writtenAt != null && writtenAt.plus(IDLE_WRITE_INTERVAL).isAfter(now)) {
            // a round that found nothing brings only a new delta link: a thousand idle mailboxes would write (and
            // fsync) their cursors a thousand times per delay. It is written at the latest after IDLE_WRITE_INTERVAL
            // and when the trigger stops; a crash resumes from the older link, whose round Graph answers with what
            // came since (nothing fired in between, and dedup absorbs the rest)
            unwritten = next;
            cursor = next;
            committedAt = now;
            failures.clear();
            waitingAfterFailure = 0;
            return true;
        }
        state.commit(next);
        unwritten = null;
        writtenAt = now;
        cursor = next;
        committedAt = now;
        failures.clear();
        waitingAfterFailure = 0;
        Instant horizon = pruneHorizon(next);
        if (horizon != null) {
            state.pruneBefore(horizon);
        }
        return true;
    }

    /**
     * Whether a page is a whole idle round: no item, at a round's end, and the cursor moved only its delta link (not
     * the first round, nor a catch-up, nor a trigger whose state a cluster shares: each of its writes proves
     * leadership).
     */
    private boolean idleRound(Page done, Cursor next) {
        Cursor before = cursor;
        return done.roundEnd() && done.candidates().isEmpty() && done.feedState() == null && before != null
               && state.leadership() == null && before.deltaLink() != null && next.deltaLink() != null
               && before.nextLink() == null && next.nextLink() == null && !before.baselineRound()
               && !next.baselineRound() && before.catchUpFrom() == null && next.catchUpFrom() == null
               && before.firesFrom() == null && next.firesFrom() == null
               && java.util.Objects.equals(before.lastReceived(), next.lastReceived())
               && java.util.Objects.equals(before.baseline(), next.baseline());
    }

    /** Writes the cursor an idle round left in memory only (at the trigger's stop). */
    private void writeIdleCursor() {
        Cursor c = unwritten;
        unwritten = null;
        if (c == null || state == null) {
            return;
        }
        try {
            state.commit(c);
        } catch (RuntimeException e) {
            // the stored cursor is older, and as good: its round is read again at the next start
            LOG.debug("outlook365:{} '{}' could not write its idle cursor at its stop: {}", triggerName(), scope(),
                    e.getMessage());
        }
    }

    /** Another node took the trigger over: the round ends here, and nothing more fires or commits on this node. */
    private void fenced(TriggerFencedException e) {
        page = null;
        pending = null;
        failures.clear();
        if (fencedBy == null) {
            fencedBy = e;
            LOG.warn("outlook365:{} '{}' of {} stops firing: its state '{}' was taken over by {} (leader epoch {}; this"
                     + " node led with epoch {}). It commits nothing more and fires again only when its route starts"
                     + " again on this node (when the cluster service makes it the leader)", triggerName(), scope(),
                    mailbox(), e.key(), e.leaderNode(), e.leaderEpoch(), e.epoch());
        }
    }

    // ---------------------------------------------------------------- parked items

    private Duration parkedRetryDelay() {
        return Duration.ofMillis(configuration.getParkedRetryDelay());
    }

    private void park(Candidate c, int attempts, Throwable failure) {
        Instant now = Instant.now();
        ParkedItem item = ParkedItems.park(c, attempts, failure.toString(), now, parkedRetryDelay(), parkingPayload(c));
        ParkedItem dropped = parked.put(item);
        state.commitDocument(PARKED_DOCUMENT, parked.toJson());
        parkedCount = parked.size();
        failures.remove(c.key());
        String reason = "outlook365:" + triggerName() + " parked " + c.itemId() + " of " + mailbox() + " after "
                        + attempts + " failed attempts (last error: " + item.lastError() + "); it moves on and retries"
                        + " the item from " + item.nextAttempt();
        LOG.warn(reason);
        announce(ConnectionEvent.TRIGGER_ITEM_PARKED, reason, c.itemId());
        if (dropped != null) {
            giveUp(dropped);
        }
    }

    private void giveUp(ParkedItem dropped) {
        String reason = "outlook365:" + triggerName() + " gives up on " + dropped.itemId() + " of " + mailbox()
                        + " after " + dropped.attempts() + " failed attempts (last error: " + dropped.lastError()
                        + "): more than " + ParkedItems.CAP + " items are parked; it does not fire again";
        LOG.error(reason);
        announce(ConnectionEvent.TRIGGER_ITEM_DROPPED, reason, dropped.itemId());
    }

    private void announce(String type, String reason, String itemId) {
        ConnectionEvent event = new ConnectionEvent(connection.lifecycle().name(), type, connection.lifecycle().state(),
                connection.lifecycle().state(), reason, null, null, null, Instant.now(), triggerName(), itemId);
        connection.lifecycle().publish(event);
    }

    /** Retries the parked items that are due, as one batch. */
    private int retryParked() throws Exception {
        if (parked.size() == 0) {
            return 0;
        }
        List<ParkedItem> due = parked.due(Instant.now());
        int budget = budget();
        if (due.isEmpty() || budget <= 0) {
            return 0;
        }
        if (due.size() > budget) {
            due = due.subList(0, budget);
        }
        int completed = 0;
        boolean changed = false;
        try {
            for (int i = 0; i < due.size() && isBatchAllowed(); i++) {
                ParkedItem item = due.get(i);
                // a throttled re-read pauses the mailbox's polls (the item stays due), not the shared poll thread
                Candidate c = GraphClient.polling(() -> reread(item));
                if (c == null) {
                    LOG.info("outlook365:{}: parked item {} of {} no longer exists (or no longer fires); dropped",
                            triggerName(), item.itemId(), mailbox());
                    parked.remove(item.key());
                    changed = true;
                    continue;
                }
                Throwable failure = fire(c, i, due.size(), item.attempts() + 1, true);
                changed = true;
                if (failure == null) {
                    parked.remove(item.key());
                    completed++;
                } else {
                    ParkedItem again = item.failedAgain(failure.toString(), Instant.now(), parkedRetryDelay());
                    parked.put(again);
                    LOG.warn("outlook365:{}: the retry of parked item {} failed again (attempt {}): {}; next retry at {}",
                            triggerName(), item.itemId(), again.attempts(), again.lastError(), again.nextAttempt());
                }
            }
        } finally {
            if (changed && isRunAllowed()) {
                state.commitDocument(PARKED_DOCUMENT, parked.toJson());
            }
            parkedCount = parked.size();
        }
        return completed;
    }

    // ---------------------------------------------------------------- the JMX view

    @ManagedAttribute(description = "The trigger, e.g. mail/received")
    public String getTriggerName() {
        return triggerName();
    }

    @ManagedAttribute(description = "What the trigger watches: a folder or a calendar, as configured")
    public String getScope() {
        return scope();
    }

    @ManagedAttribute(description = "The mailbox the trigger watches (empty: the signed-in user's own)")
    public String getAccount() {
        String account = endpoint.connectionSettings().account();
        return account == null ? "" : account;
    }

    @ManagedAttribute(description = "The connection the trigger uses: clientId@tenant/account")
    public String getConnectionName() {
        return endpoint.connectionSettings().displayName();
    }

    @ManagedAttribute(description = "CONNECTED, DEGRADED or BROKEN: the state of the trigger's connection")
    public String getConnectionState() {
        Outlook365Connection c = connection;
        return c == null ? "" : c.lifecycle().state().name();
    }

    @ManagedAttribute(description = "Exchanges the route completed since the trigger started")
    public long getFiredCount() {
        return fired.get();
    }

    @ManagedAttribute(description = "When the route last completed an exchange (ISO-8601), or null")
    public String getLastFiredAt() {
        Instant at = lastFiredAt;
        return at == null ? null : at.toString();
    }

    @ManagedAttribute(description = "When the trigger last committed its cursor (ISO-8601), or null")
    public String getCursorCommittedAt() {
        Instant at = committedAt;
        return at == null ? null : at.toString();
    }

    @ManagedAttribute(description = "Seconds since the trigger last committed its cursor, -1 when it never did")
    public long getCursorAgeSeconds() {
        Instant at = committedAt;
        return at == null ? -1 : Math.max(0, Duration.between(at, Instant.now()).toSeconds());
    }

    @ManagedAttribute(description = "Until when Graph's Retry-After pauses the polls of this mailbox (empty: not throttled)")
    public String getThrottledUntil() {
        Instant until = throttledUntil;
        return until == null || !Instant.now().isBefore(until) ? "" : until.toString();
    }

    @ManagedAttribute(description = "Items read but not delivered because an exchange of their page failed")
    public int getWaitingAfterFailure() {
        return waitingAfterFailure;
    }

    @ManagedAttribute(description = "notification=webhook: push (with its subscription), or polling and why; else off")
    public String getNotificationStatus() {
        PushSubscription p = push;
        return p == null ? "off: notification=none, the trigger polls every delay" : p.status();
    }

    @ManagedAttribute(description = "Items parked after maxAttempts failed exchanges, waiting for their retry")
    public int getParkedCount() {
        return parkedCount;
    }

    @ManagedAttribute(description = "With stateDataSource: the leadership epoch this node fires the trigger with (-1"
                                    + " without a shared state, or before the trigger took its state)")
    public long getLeaderEpoch() {
        TriggerLeadership l = leadership();
        return l == null ? -1 : l.epoch();
    }

    @ManagedAttribute(description = "With stateDataSource: the node that leads the trigger as this node last saw it"
                                    + " (this node unless it was fenced); empty without a shared state")
    public String getLeaderNode() {
        TriggerLeadership l = leadership();
        return l == null ? "" : l.leaderNode();
    }

    @ManagedAttribute(description = "With stateDataSource: this node, as the shared trigger state names it (host/pid)")
    public String getNode() {
        TriggerLeadership l = leadership();
        return l == null ? "" : l.node();
    }

    @ManagedAttribute(description = "With stateDataSource: true when another node took the trigger over while it ran"
                                    + " here; it then fires and commits nothing until its route starts again")
    public boolean isFenced() {
        return fencedBy != null;
    }

    private TriggerLeadership leadership() {
        TriggerState s = state;
        return s == null ? null : s.leadership();
    }
}

package io.github.outlook365.camel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphRequest;
import io.github.outlook365.camel.trigger.TriggerConsumer;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.ScheduledPollConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trigger of a route that watches many mailboxes ({@code accounts=a@x,b@x}): one trigger per mailbox, each on an
 * endpoint of its own (its own cursor, dedup and throttle budget) and all firing into the route, each exchange with
 * header {@code CamelOutlook365Account}. A mailbox whose trigger cannot start (no such mailbox, no access) is left out
 * with a WARN and the others run; one that is throttled or failing later holds back only itself. With the app-only
 * modes the triggers share the app's token and scheduler, so many mailboxes cost no thread each. The polls start once
 * every mailbox took its baseline (two Graph requests each: its folder and its first delta round), so a start is not
 * slowed by the polls of the mailboxes started first.
 * <p>
 * This consumer is the one scheduled poller of its mailboxes (Camel's scheduled poll, on the app's trigger scheduler):
 * at each poll it hands every mailbox whose last poll is done to the scheduler's threads. The idle ones, whose next
 * read is the first page of a delta round, are read up to 20 in one JSON {@code $batch} request
 * ({@code batchPolls}); a mailbox whose batched read found something goes on with that page at once, one in a round,
 * a backlog, throttled or failing polls alone as a route of its own would. A mailbox is never polled twice at once,
 * and a poll never waits for the mailboxes: a slow one is simply skipped until its poll is done.
 * <p>
 * With {@code accountsGroup} the mailboxes are the group's members, read at the start and again every
 * {@code accountsGroupRefresh}: a new member's trigger starts (at its own baseline); a member left out (its mailbox
 * not there yet, a transient Graph failure) is tried again at each refresh; a removed member's trigger is suspended
 * (its cursor and dedup kept, so a member added again resumes), and stopped and released once the member has been out
 * of the group for {@link #REMOVED_KEPT} (or when the route stops), so that a group with churn does not keep every
 * former member's trigger; a member added again after that starts its trigger again from its stored state (the state
 * store keeps its cursor and dedup), so nothing that arrived meanwhile is lost or fires twice. A refresh that fails
 * keeps the current members with one WARN until a refresh succeeds again.
 */
@ManagedResource(description = "An Outlook 365 trigger on many mailboxes")
public final class MailboxesConsumer extends ScheduledPollConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxesConsumer.class);
    /** How many mailboxes' triggers start at a time (their polls then run on the app's triggerThreads). */
    static final int STARTS_IN_FLIGHT = 16;

    /** How long a removed group member's trigger stays suspended (ready to resume) before it is stopped and released. */
    static final java.time.Duration REMOVED_KEPT = java.time.Duration.ofHours(24);

    private final Outlook365Endpoint endpoint;
    private volatile List<String> accounts;
    private final GroupMembers group;
    private final Map<String, Consumer> running = new ConcurrentHashMap<>();
    /** The mailboxes whose poll was handed to the scheduler and is not done yet, by the account as running names it. */
    private final Set<String> polling = ConcurrentHashMap.newKeySet();
    /** Triggers of removed group members, suspended, by lower-case mailbox: a member added again resumes. */
    private final Map<String, Removed> removed = new ConcurrentHashMap<>();
    private java.time.Duration removedKept = REMOVED_KEPT;
    private final Map<String, String> leftOut = new ConcurrentHashMap<>();
    private final Object refreshLock = new Object();
    private java.util.concurrent.ScheduledExecutorService refresher;
    private volatile boolean refreshWarned;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong batchedReads = new AtomicLong();
    private long firedAtLastPoll;

    /** A removed member's suspended trigger, and since when (System.nanoTime) the member has been out of the group. */
    private record Removed(Consumer consumer, long since) {
    }

    MailboxesConsumer(Outlook365Endpoint endpoint, Processor processor, List<String> accounts) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.accounts = List.copyOf(accounts);
        this.group = null;
    }

    /** The trigger of option accountsGroup: the mailboxes of the group's members. */
    MailboxesConsumer(Outlook365Endpoint endpoint, Processor processor, GroupMembers group) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.accounts = List.of();
        this.group = group;
    }

    @Override
    protected void doStart() throws Exception {
        if (getScheduledExecutorService() == null) {
            // the app's trigger scheduler: this poll and the polls it hands out run on its triggerThreads
            setScheduledExecutorService(endpoint.triggerScheduler());
        }
        // each mailbox backs off on its own (it then polls alone): not all of them at once here
        setBackoffMultiplier(0);
        leftOut.clear();
        if (group != null) {
            try {
                accounts = List.copyOf(group.read());
            } catch (RuntimeException e) {
                throw new IllegalStateException("outlook365:" + endpoint.operationName() + " cannot read the members of"
                                                + " accountsGroup=" + group.group() + ": " + e.getMessage(), e);
            }
        }
        startAll();
        // every mailbox has its baseline: now they poll
        super.doStart();
        LOG.info("outlook365:{} watches {} of {} mailboxes{}{}", endpoint.operationName(), running.size(), accounts.size(),
                group != null ? " (members of group " + group.group() + ")" : "",
                leftOut.isEmpty() ? "" : "; left out: " + String.join(", ", leftOut.keySet()));
        long every = endpoint.getConfiguration().getAccountsGroupRefresh();
        if (every > 0 && (group != null || !leftOut.isEmpty())) {
            // the group's members read again, or (accounts) the mailboxes left out tried again
            refresher = endpoint.getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                    "outlook365-" + (group != null ? "group " : "accounts ") + endpoint.operationName());
            refresher.scheduleWithFixedDelay(group != null ? this::refresh : this::retryLeftOut, every, every,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /** Option accounts: tries the mailboxes left out again (at DEBUG while they still cannot be watched). */
    void retryLeftOut() {
        synchronized (refreshLock) {
            for (String account : new ArrayList<>(leftOut.keySet())) {
                if (!isRunAllowed()) {
                    return;
                }
                start(account, true);
                if (running.containsKey(account)) {
                    LOG.info("outlook365:{} watches {}: left out at the start, its trigger started now",
                            endpoint.operationName(), account);
                }
            }
        }
    }

    /**
     * Reads the group's members again: starts the triggers of new members (each at its own baseline), resumes those of
     * members added again, suspends those of removed members. A failing read keeps the current members.
     */
    void refresh() {
        synchronized (refreshLock) {
            if (!isRunAllowed()) {
                return;
            }
            List<String> members;
            try {
                members = group.read();
            } catch (RuntimeException e) {
                if (!refreshWarned) {
                    refreshWarned = true;
                    LOG.warn("outlook365:{} cannot read the members of accountsGroup={}: {}; it watches the {} mailboxes it"
                             + " watched, and tries again every {} ms (said once until a read succeeds)",
                            endpoint.operationName(), group.group(), e.getMessage(), running.size(),
                            endpoint.getConfiguration().getAccountsGroupRefresh());
                } else {
                    LOG.debug("outlook365:{}: accountsGroup refresh failed again: {}", endpoint.operationName(),
                            e.getMessage());
                }
                return;
            }
            if (refreshWarned) {
                refreshWarned = false;
                LOG.info("outlook365:{} reads the members of accountsGroup={} again", endpoint.operationName(),
                        group.group());
            }
            Map<String, String> wanted = new java.util.LinkedHashMap<>();
            members.forEach(m -> wanted.putIfAbsent(key(m), m));
            releaseLongRemoved(wanted);
            // removed members: suspended, their state kept
            for (String account : new ArrayList<>(running.keySet())) {
                if (!wanted.containsKey(key(account))) {
                    Consumer consumer = running.remove(account);
                    try {
                        ServiceHelper.suspendService(consumer);
                        removed.put(key(account), new Removed(consumer, System.nanoTime()));
                        LOG.info("outlook365:{} stops watching {}: no longer a member of {}", endpoint.operationName(),
                                account, group.group());
                    } catch (Exception e) {
                        LOG.warn("outlook365:{} cannot pause the trigger of {}: {}", endpoint.operationName(), account,
                                e.getMessage());
                        ServiceHelper.stopAndShutdownService(consumer);
                    }
                }
            }
            leftOut.keySet().removeIf(account -> !wanted.containsKey(key(account)));
            Set<String> watched = new java.util.HashSet<>();
            running.keySet().forEach(a -> watched.add(key(a)));
            for (String account : wanted.values()) {
                if (watched.contains(key(account)) || !isRunAllowed()) {
                    continue;
                }
                Removed paused = removed.remove(key(account));
                if (paused != null) {
                    try {
                        ServiceHelper.resumeService(paused.consumer());
                        running.put(account, paused.consumer());
                        LOG.info("outlook365:{} watches {} again (a member of {} again)", endpoint.operationName(), account,
                                group.group());
                        continue;
                    } catch (Exception e) {
                        ServiceHelper.stopAndShutdownService(paused.consumer());
                    }
                }
                // a member left out before (no mailbox yet, a transient failure) is tried again at every refresh
                // (it stays listed as left out until its trigger started: no moment shows it neither watched nor out)
                boolean retry = leftOut.keySet().stream().anyMatch(a -> key(a).equals(key(account)));
                start(account, retry);
                if (running.containsKey(account)) {
                    // polled from the next poll on
                    LOG.info("outlook365:{} watches {}: {} of {}", endpoint.operationName(), account,
                            retry ? "left out before, its trigger started now, a member" : "a new member",
                            group.group());
                }
            }
            accounts = List.copyOf(wanted.values());
        }
    }

    /**
     * Stops and releases the suspended triggers of members out of the group for longer than {@link #REMOVED_KEPT}: a
     * member added again later starts its trigger again, from the cursor and dedup its state store kept.
     */
    private void releaseLongRemoved(Map<String, String> wanted) {
        long now = System.nanoTime();
        for (Map.Entry<String, Removed> entry : new ArrayList<>(removed.entrySet())) {
            if (!wanted.containsKey(entry.getKey()) && now - entry.getValue().since() >= removedKept.toNanos()) {
                removed.remove(entry.getKey());
                ServiceHelper.stopAndShutdownService(entry.getValue().consumer());
                LOG.info("outlook365:{} releases the trigger of {}: out of {} for {} or more; its state is kept, should it"
                         + " be a member again", endpoint.operationName(), entry.getKey(), group.group(), removedKept);
            }
        }
    }

    /** How long a removed member's trigger stays suspended (tests shorten it). */
    void setRemovedKept(java.time.Duration kept) {
        this.removedKept = kept;
    }

    /** The removed members whose triggers are suspended, ready to resume. */
    List<String> suspended() {
        List<String> list = new ArrayList<>(removed.keySet());
        Collections.sort(list);
        return list;
    }

    private static String key(String account) {
        return account.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Starts the mailboxes' triggers, {@value #STARTS_IN_FLIGHT} (or {@code triggerThreads}, if more) at a time, on
     * threads that end with the start: a start waits mostly for Graph (the folder, the baseline round: two round trips
     * of tens to hundreds of milliseconds each), so a thousand mailboxes start in a fraction of the time one after the
     * other would take. Each start is on a mailbox of its own, so Outlook's limit of 4 concurrent requests per app and
     * mailbox is not approached.
     */
    private void startAll() throws InterruptedException {
        int threads = Math.min(accounts.size(), Math.max(STARTS_IN_FLIGHT,
                Math.max(1, endpoint.getConfiguration().getTriggerThreads())));
        if (threads <= 1) {
            accounts.forEach(account -> start(account, false));
            return;
        }
        ExecutorService pool = endpoint.getCamelContext().getExecutorServiceManager().newFixedThreadPool(this,
                "outlook365-start " + endpoint.operationName(), threads);
        try {
            List<Future<?>> started = new ArrayList<>(accounts.size());
            for (String account : accounts) {
                started.add(pool.submit(() -> start(account, false)));
            }
            for (Future<?> f : started) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    // start() leaves a mailbox out itself; anything else is logged there too
                    LOG.debug("outlook365:{}: a mailbox's start failed: {}", endpoint.operationName(), e.getMessage());
                }
            }
        } finally {
            endpoint.getCamelContext().getExecutorServiceManager().shutdownNow(pool);
        }
    }

    /**
     * Starts the trigger of one mailbox; one that cannot start is left out, with a WARN saying why (at DEBUG when a
     * refresh tries a member left out before again).
     */
    private void start(String account, boolean retry) {
        Consumer consumer = null;
        try {
            consumer = endpoint.forAccount(account).createConsumer(getProcessor());
            if (consumer instanceof org.apache.camel.spi.RouteIdAware aware) {
                aware.setRouteId(getRouteId());
            }
            ServiceHelper.startService(consumer);
            // no longer left out, then watched: a reader never sees it in both
            leftOut.keySet().removeIf(a -> key(a).equals(key(account)));
            running.put(account, consumer);
        } catch (Exception e) {
            ServiceHelper.stopAndShutdownService(consumer);
            leftOut.keySet().removeIf(a -> key(a).equals(key(account)) && !a.equals(account));
            leftOut.put(account, String.valueOf(e.getMessage()));
            long every = endpoint.getConfiguration().getAccountsGroupRefresh();
            if (retry) {
                LOG.debug("outlook365:{} still leaves out mailbox {}: {}", endpoint.operationName(), account,
                        e.getMessage());
            } else {
                LOG.warn("outlook365:{} leaves out mailbox {}: {}; the route watches its other mailboxes, and tries this"
                         + " one again {}", endpoint.operationName(), account, e.getMessage(),
                        every > 0 ? "every " + every + " ms (accountsGroupRefresh)" : "when the route starts again");
            }
        }
    }

    /**
     * Hands the poll of every mailbox whose last poll is done to the scheduler's threads: the idle ones in $batch
     * requests of up to 20 reads, the others alone. Does not wait for them.
     *
     * @return the exchanges the mailboxes fired since the last poll
     */
    @Override
    protected int poll() throws Exception {
        boolean batching = endpoint.getConfiguration().isBatchPolls();
        Map<GraphClient, List<BatchedPoll>> idle = new java.util.IdentityHashMap<>();
        long fired = 0;
        for (Map.Entry<String, Consumer> entry : running.entrySet()) {
            Consumer consumer = entry.getValue();
            String account = entry.getKey();
            if (consumer instanceof TriggerConsumer trigger) {
                fired += trigger.firedCount();
            }
            if (!isRunAllowed() || !polling.add(account)) {
                // its poll of the last time is not done yet
                continue;
            }
            GraphRequest read = batching && consumer instanceof TriggerConsumer trigger ? trigger.batchableRead() : null;
            if (read == null) {
                pollAlone(account, consumer);
                continue;
            }
            TriggerConsumer trigger = (TriggerConsumer) consumer;
            List<BatchedPoll> chunk = idle.computeIfAbsent(trigger.graph(), g -> new ArrayList<>());
            chunk.add(new BatchedPoll(account, trigger, read));
            if (chunk.size() == GraphClient.BATCH_LIMIT) {
                submitBatch(trigger.graph(), List.copyOf(chunk));
                chunk.clear();
            }
        }
        idle.forEach((graph, chunk) -> {
            if (chunk.size() == 1) {
                // one read: no batch for it
                pollAlone(chunk.get(0).account(), chunk.get(0).trigger());
            } else if (!chunk.isEmpty()) {
                submitBatch(graph, List.copyOf(chunk));
            }
        });
        long since = fired - firedAtLastPoll;
        firedAtLastPoll = fired;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, since));
    }

    /** A mailbox's next read, to be made in a $batch with others of the same app. */
    private record BatchedPoll(String account, TriggerConsumer trigger, GraphRequest read) {
    }

    private void pollAlone(String account, Consumer consumer) {
        execute(account, () -> {
            if (consumer instanceof Runnable poll) {
                poll.run();
            }
        });
    }

    private void execute(String account, Runnable poll) {
        try {
            getScheduledExecutorService().execute(() -> {
                try {
                    poll.run();
                } finally {
                    polling.remove(account);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the scheduler is shutting down with the context
            polling.remove(account);
        }
    }

    /**
     * Reads the next page of up to 20 idle mailboxes in one $batch, then runs each mailbox's poll with its answer: an
     * empty page ends its round at once (no further request), a page with messages fires them as its own poll would,
     * a throttled read pauses that mailbox alone. A mailbox the batch left out, or whose answer it must get itself,
     * polls alone; so do all of them when the batch itself failed.
     */
    private void submitBatch(GraphClient graph, List<BatchedPoll> chunk) {
        try {
            getScheduledExecutorService().execute(() -> runBatch(graph, chunk));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            chunk.forEach(p -> polling.remove(p.account()));
        }
    }

    private void runBatch(GraphClient graph, List<BatchedPoll> chunk) {
        List<GraphClient.BatchRead> answers = null;
        int handed = 0;
        try {
            if (isRunAllowed()) {
                List<GraphRequest> reads = new ArrayList<>(chunk.size());
                chunk.forEach(p -> reads.add(p.read()));
                try {
                    answers = graph.readAll(reads);
                    batches.incrementAndGet();
                    batchedReads.addAndGet(answers.stream().filter(java.util.Objects::nonNull).count());
                } catch (io.github.outlook365.camel.graph.GraphThrottledException e) {
                    // the batch as a whole was throttled: so is each of its reads
                    answers = java.util.Collections.nCopies(chunk.size(), new GraphClient.BatchRead(null, e));
                } catch (RuntimeException e) {
                    LOG.debug("outlook365:{}: a $batch of {} mailboxes failed ({}); they poll one by one",
                            endpoint.operationName(), chunk.size(), e.getMessage());
                }
            }
            for (; handed < chunk.size(); handed++) {
                BatchedPoll p = chunk.get(handed);
                GraphClient.BatchRead answer = answers == null ? null : answers.get(handed);
                boolean nothingToFire = answer != null && (answer.failure() != null || answer.page().items().isEmpty()
                                                           && answer.page().nextLink() == null);
                if (nothingToFire) {
                    // an idle round ends (its new delta link kept), or the mailbox pauses: done here, on this thread
                    try {
                        p.trigger().runWith(p.read(), answer);
                    } finally {
                        polling.remove(p.account());
                    }
                } else {
                    // something to fire, or a read of its own: a poll of its own, so that the others go on meanwhile
                    execute(p.account(), () -> p.trigger().runWith(p.read(), answer));
                }
            }
        } finally {
            // what was not handed on (a JVM error above) polls again at the next poll
            for (int i = handed; i < chunk.size(); i++) {
                polling.remove(chunk.get(i).account());
            }
        }
    }

    private void runPolled(BatchedPoll p, GraphClient.BatchRead answer) {
        try {
            p.trigger().runWith(p.read(), answer);
        } finally {
            polling.remove(p.account());
        }
    }

    /** Mailbox polls are never greedy here: each goes on at once with its own round (see TriggerConsumer). */
    @Override
    public boolean isGreedy() {
        return false;
    }

    /** Each mailbox sends its own empty message when idle (sendEmptyMessageWhenIdle): not this poll too. */
    @Override
    public boolean isSendEmptyMessageWhenIdle() {
        return false;
    }

    @ManagedAttribute(description = "$batch requests the mailboxes' idle polls were read in (batchPolls)")
    public long getBatchRequests() {
        return batches.get();
    }

    @ManagedAttribute(description = "Mailbox reads made in $batch requests (batchPolls), instead of a request each")
    public long getBatchedReads() {
        return batchedReads.get();
    }

    @Override
    protected void doStop() throws Exception {
        if (refresher != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdownNow(refresher);
            refresher = null;
        }
        List<Consumer> consumers;
        synchronized (refreshLock) {
            consumers = new ArrayList<>(running.values());
            removed.values().forEach(r -> consumers.add(r.consumer()));
            running.clear();
            removed.clear();
            polling.clear();
        }
        for (Consumer consumer : consumers) {
            ServiceHelper.stopAndShutdownService(consumer);
        }
        super.doStop();
    }

    /** The mailboxes being watched now. */
    public List<String> watched() {
        List<String> list = new ArrayList<>(running.keySet());
        Collections.sort(list);
        return list;
    }

    /** The mailboxes left out (at the start, or at a refresh of the group's members), with why. */
    public Map<String, String> leftOut() {
        return Map.copyOf(leftOut);
    }

    @ManagedAttribute(description = "Mailboxes the route watches")
    public int getMailboxes() {
        return running.size();
    }

    @ManagedAttribute(description = "Mailboxes left out (no such mailbox, no access), with why; a group's are tried"
                                    + " again at each refresh")
    public String getLeftOut() {
        return leftOut.toString();
    }
}

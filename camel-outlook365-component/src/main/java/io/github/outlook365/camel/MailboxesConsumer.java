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

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.DefaultConsumer;
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
 * With {@code accountsGroup} the mailboxes are the group's members, read at the start and again every
 * {@code accountsGroupRefresh}: a new member's trigger starts (at its own baseline), a removed member's trigger is
 * suspended (its cursor and dedup kept, so a member added again resumes), a refresh that fails keeps the current
 * members with one WARN until a refresh succeeds again.
 */
@ManagedResource(description = "An Outlook 365 trigger on many mailboxes")
public final class MailboxesConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxesConsumer.class);

    private final Outlook365Endpoint endpoint;
    private volatile List<String> accounts;
    private final GroupMembers group;
    private final Map<String, Consumer> running = new ConcurrentHashMap<>();
    /** Triggers of removed group members, suspended, by lower-case mailbox: a member added again resumes. */
    private final Map<String, Consumer> removed = new ConcurrentHashMap<>();
    private final Map<String, String> leftOut = new ConcurrentHashMap<>();
    private final Object refreshLock = new Object();
    private java.util.concurrent.ScheduledExecutorService refresher;
    private volatile boolean refreshWarned;

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
        super.doStart();
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
        if (endpoint.isStartScheduler()) {
            // every mailbox has its baseline: now they poll, their first polls spread over the delay
            for (Consumer consumer : running.values()) {
                if (consumer instanceof org.apache.camel.support.ScheduledPollConsumer polled) {
                    polled.startScheduler();
                }
            }
        }
        LOG.info("outlook365:{} watches {} of {} mailboxes{}{}", endpoint.operationName(), running.size(), accounts.size(),
                group != null ? " (members of group " + group.group() + ")" : "",
                leftOut.isEmpty() ? "" : "; left out: " + String.join(", ", leftOut.keySet()));
        long every = endpoint.getConfiguration().getAccountsGroupRefresh();
        if (group != null && every > 0) {
            refresher = endpoint.getCamelContext().getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                    "outlook365-group " + endpoint.operationName());
            refresher.scheduleWithFixedDelay(this::refresh, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
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
            // removed members: suspended, their state kept
            for (String account : new ArrayList<>(running.keySet())) {
                if (!wanted.containsKey(key(account))) {
                    Consumer consumer = running.remove(account);
                    try {
                        ServiceHelper.suspendService(consumer);
                        removed.put(key(account), consumer);
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
            leftOut.keySet().forEach(a -> watched.add(key(a)));
            for (String account : wanted.values()) {
                if (watched.contains(key(account)) || !isRunAllowed()) {
                    continue;
                }
                Consumer paused = removed.remove(key(account));
                if (paused != null) {
                    try {
                        ServiceHelper.resumeService(paused);
                        running.put(account, paused);
                        LOG.info("outlook365:{} watches {} again (a member of {} again)", endpoint.operationName(), account,
                                group.group());
                        continue;
                    } catch (Exception e) {
                        ServiceHelper.stopAndShutdownService(paused);
                    }
                }
                start(account);
                Consumer started = running.get(account);
                if (started != null) {
                    LOG.info("outlook365:{} watches {}: a new member of {}", endpoint.operationName(), account,
                            group.group());
                    if (endpoint.isStartScheduler()
                            && started instanceof org.apache.camel.support.ScheduledPollConsumer polled) {
                        polled.startScheduler();
                    }
                }
            }
            accounts = List.copyOf(wanted.values());
        }
    }

    private static String key(String account) {
        return account.toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Starts the mailboxes' triggers, {@code triggerThreads} at a time: a start waits mostly for Graph (the folder, the
     * baseline round), so a thousand mailboxes start in a fraction of the time one after the other would take.
     */
    private void startAll() throws InterruptedException {
        int threads = Math.min(accounts.size(), Math.max(1, endpoint.getConfiguration().getTriggerThreads()));
        if (threads <= 1) {
            accounts.forEach(this::start);
            return;
        }
        ExecutorService pool = endpoint.getCamelContext().getExecutorServiceManager().newFixedThreadPool(this,
                "outlook365-start " + endpoint.operationName(), threads);
        try {
            List<Future<?>> started = new ArrayList<>(accounts.size());
            for (String account : accounts) {
                started.add(pool.submit(() -> start(account)));
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

    /** Starts the trigger of one mailbox; one that cannot start is left out, with a WARN saying why. */
    private void start(String account) {
        Consumer consumer = null;
        try {
            consumer = endpoint.forAccount(account).createConsumer(getProcessor());
            if (consumer instanceof org.apache.camel.spi.RouteIdAware aware) {
                aware.setRouteId(getRouteId());
            }
            ServiceHelper.startService(consumer);
            running.put(account, consumer);
        } catch (Exception e) {
            ServiceHelper.stopAndShutdownService(consumer);
            leftOut.put(account, String.valueOf(e.getMessage()));
            LOG.warn("outlook365:{} leaves out mailbox {}: {}; the route watches its other mailboxes, and this one once"
                     + " the route starts again", endpoint.operationName(), account, e.getMessage());
        }
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
            consumers.addAll(removed.values());
            running.clear();
            removed.clear();
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

    /** The mailboxes left out at the start, with why. */
    public Map<String, String> leftOut() {
        return Map.copyOf(leftOut);
    }

    @ManagedAttribute(description = "Mailboxes the route watches")
    public int getMailboxes() {
        return running.size();
    }

    @ManagedAttribute(description = "Mailboxes left out at the start (no such mailbox, no access), with why")
    public String getLeftOut() {
        return leftOut.toString();
    }
}

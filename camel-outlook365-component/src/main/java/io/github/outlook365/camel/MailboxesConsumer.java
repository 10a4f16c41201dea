package io.github.outlook365.camel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
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
 */
@ManagedResource(description = "An Outlook 365 trigger on many mailboxes")
public final class MailboxesConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(MailboxesConsumer.class);

    private final Outlook365Endpoint endpoint;
    private final List<String> accounts;
    private final Map<String, Consumer> running = new ConcurrentHashMap<>();
    private final Map<String, String> leftOut = new ConcurrentHashMap<>();

    MailboxesConsumer(Outlook365Endpoint endpoint, Processor processor, List<String> accounts) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.accounts = List.copyOf(accounts);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        leftOut.clear();
        startAll();
        if (endpoint.isStartScheduler()) {
            // every mailbox has its baseline: now they poll, their first polls spread over the delay
            for (Consumer consumer : running.values()) {
                if (consumer instanceof org.apache.camel.support.ScheduledPollConsumer polled) {
                    polled.startScheduler();
                }
            }
        }
        LOG.info("outlook365:{} watches {} of {} mailboxes{}", endpoint.operationName(), running.size(), accounts.size(),
                leftOut.isEmpty() ? "" : "; left out: " + String.join(", ", leftOut.keySet()));
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
        List<Consumer> consumers = new ArrayList<>(running.values());
        running.clear();
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

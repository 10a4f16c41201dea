package io.github.outlook365.camel.benchmark;

import java.time.Duration;
import java.util.BitSet;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.outlook365.camel.ForkedCamel;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.trigger.TriggerState;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.support.processor.state.MemoryStateRepository;

/**
 * The component's side of the trigger benchmark, in a JVM of its own (the benchmark starts it with -Xmx128m): one
 * mail/received route on the simulator whose backlog it fires, counting each mail by the number in its subject. It
 * measures its own CPU time and heap from the moment the route started until the last mail fired, and says how
 * many mails fired and how many of them twice.
 */
public final class TriggerProcess {

    private TriggerProcess() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = ForkedCamel.arguments(args);
        int count = Integer.parseInt(a.get("count"));
        ProcessMeter meter = new ProcessMeter();

        Outlook365Configuration c = ForkedCamel.configuration(a);
        if ("memory".equals(a.get("store"))) {
            c.setIdempotentRepository(MemoryIdempotentRepository.memoryIdempotentRepository(1_000_000));
            c.setStateRepository(new MemoryStateRepository());
        }
        int prefill = Integer.parseInt(a.getOrDefault("prefill", "0"));

        BitSet seen = new BitSet(count);
        AtomicInteger fired = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(1);
        CamelContext context = ForkedCamel.context(c);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?initialDelay=0&delay=" + a.getOrDefault("delay", "1000") + "&pageSize="
                     + a.get("pageSize") + "&since=" + a.get("since")).routeId("backlog").autoStartup(false)
                        .process(e -> {
                            String subject = e.getMessage().getHeader("CamelOutlook365Subject", String.class);
                            int n = Integer.parseInt(subject.substring(1));
                            synchronized (seen) {
                                if (seen.get(n)) {
                                    duplicates.incrementAndGet();
                                }
                                seen.set(n);
                            }
                            if (fired.incrementAndGet() == count) {
                                done.countDown();
                            }
                        });
            }
        });
        context.start();
        Outlook365Endpoint endpoint = (Outlook365Endpoint) context.getRoute("backlog").getEndpoint();
        if (prefill > 0) {
            prefill(endpoint, prefill);
        }
        // the connection (TLS, MSAL, the first token) is set up before the window, as the floor's is
        endpoint.openCheckedConnection().attemptToken();
        meter.start();
        context.getRouteController().startRoute("backlog");
        boolean all = done.await(Long.parseLong(a.getOrDefault("timeoutSeconds", "3600")), TimeUnit.SECONDS);
        meter.stop();
        // a late duplicate would come within a few more polls
        Thread.sleep(Duration.ofSeconds(2).toMillis());
        context.stop();
        meter.put("fired", fired.get());
        meter.put("distinct", seen.cardinality());
        meter.put("duplicates", duplicates.get());
        meter.put("complete", all);
        meter.print();
        System.exit(0);
    }

    /**
     * The state of a deployment that ran for months: {@code prefill} keys already delivered, through the trigger's own
     * state (kept until forgotten, as mail/flagged keeps its keys, so none is pruned while the benchmark runs).
     */
    private static void prefill(Outlook365Endpoint endpoint, int prefill) {
        // closed again, so that the trigger can open its state when its route starts
        try (TriggerState state = endpoint.triggerState("mail.received", "inbox")) {
            for (int i = 0; i < prefill; i++) {
                state.markDelivered("AAMkAGprefilled" + i + "=", null);
            }
        }
    }
}

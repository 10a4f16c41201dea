package io.github.outlook365.camel.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.outlook365.camel.Outlook365Component;
import io.github.outlook365.camel.SimulatedTenant;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;

/**
 * Push (notification=webhook) against polling, on the simulator: the time from a mail's delivery to its exchange, and
 * the Graph requests of an idle hour. Prints what it measured; asserts nothing about time. Run with
 * {@code mvn -B -pl camel-outlook365-component -am test -Dgroups=benchmark -DexcludedTestGroups=none
 * -Dtest=PushLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false [-Dbenchmark.pollDelay=60000]
 * [-Dbenchmark.samples=20] [-Dbenchmark.pollSamples=5]}.
 * <p>
 * Latency: each sample delivers one mail at a random moment (uniformly within the poll delay for the poll, so that a mail
 * does not always arrive just after a poll) and waits for its exchange. The poll runs at {@code benchmark.pollDelay}
 * (default 60 s, the component's default delay). The idle hour is compressed 100 times (a 60 s delay becomes 600 ms,
 * the 15 min safety poll 9 s, the hour 36 s): the counts are those of an hour.
 */
@Tag("benchmark")
class PushLatencyBenchmark {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final int COMPRESSION = 100;

    @TempDir
    Path work;

    private final Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private CamelContext context;

    @Test
    void latencyAndIdleRequestsPushVersusPoll() throws Exception {
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        receiver.createContext("/outlook365/notifications", this::receive);
        receiver.start();
        String url = "http://localhost:" + receiver.getAddress().getPort() + "/outlook365/notifications";
        long pollDelay = Long.getLong("benchmark.pollDelay", 60_000);
        int samples = Integer.getInteger("benchmark.samples", 20);
        int pollSamples = Integer.getInteger("benchmark.pollSamples", 5);
        try {
            // latency, push: polls an hour apart, so only notifications make it fire
            List<Long> push = latency(sim, tenant, url, "&notification=webhook&delay=3600000", samples, "push", 1000);
            // latency, poll at the default delay
            List<Long> poll = latency(sim, tenant, url, "&delay=" + pollDelay, pollSamples, "poll", pollDelay);

            // Graph requests in an idle hour, compressed
            long hourMillis = Duration.ofHours(1).toMillis() / COMPRESSION;
            long pushIdle = idle(sim, tenant, url, "&notification=webhook&delay=" + 60_000 / COMPRESSION
                                                   + "&notificationPollDelay=" + 900_000 / COMPRESSION, hourMillis);
            long pollIdle = idle(sim, tenant, url, "&delay=" + 60_000 / COMPRESSION, hourMillis);

            System.out.printf("%n=== outlook365 push vs poll (mail/received) ===%n");
            System.out.printf("delivery -> exchange, push (notification=webhook): %s%n", summary(push));
            System.out.printf("delivery -> exchange, poll (delay=%d ms): %s%n", pollDelay, summary(poll));
            System.out.printf("Graph requests per idle hour (compressed %dx): push %d, poll %d (delay=60 s; push:"
                              + " safety poll every 15 min, subscription renewed every ~5.6 days)%n%n", COMPRESSION, pushIdle,
                    pollIdle);
        } finally {
            receiver.stop(0);
        }
    }

    private List<Long> latency(Outlook365Simulator sim, SimulatedTenant tenant, String url, String options, int samples,
                               String label, long spread) throws Exception {
        latencies.clear();
        context = tenant.context(routes("outlook365:mail/received?initialDelay=0&stateKey=bench-" + label + options,
                url));
        context.getComponent("outlook365", Outlook365Component.class).getConfiguration().setNotificationUrl(url);
        context.start();
        try {
            if (options.contains("webhook")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> !sim.subscriptions().isEmpty());
            } else {
                await().atMost(Duration.ofSeconds(60)).until(() -> sim.countRequests("GET", "/messages/delta") > 0);
            }
            for (int i = 0; i < samples; i++) {
                // a random moment, as mail arrives (the benchmark models time here; tests wait with Awaitility)
                Thread.sleep((long) (Math.random() * spread));
                String subject = label + " " + i;
                deliveredAt.put(subject, System.nanoTime());
                sim.deliver(SimulatedTenant.ADA, SimMail.from("load@fabrikam.example", "Load").to(SimulatedTenant.ADA)
                        .subject(subject).textBody("x"));
                int expected = i + 1;
                await().atMost(Duration.ofMinutes(5)).until(() -> latencies.size() >= expected);
            }
            return new ArrayList<>(latencies);
        } finally {
            context.stop();
            sim.clearRequests();
        }
    }

    private long idle(Outlook365Simulator sim, SimulatedTenant tenant, String url, String options, long millis)
            throws Exception {
        context = tenant.context(routes("outlook365:mail/received?initialDelay=0&stateKey=bench-idle" + options, url));
        context.getComponent("outlook365", Outlook365Component.class).getConfiguration().setNotificationUrl(url);
        context.start();
        try {
            if (options.contains("webhook")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> !sim.subscriptions().isEmpty());
            } else {
                await().atMost(Duration.ofSeconds(60)).until(() -> sim.countRequests("GET", "/messages/delta") > 0);
            }
            sim.clearRequests();
            Thread.sleep(millis);
            return sim.requests().stream().filter(r -> r.path().startsWith("/v1.0/")).count();
        } finally {
            context.stop();
            sim.clearRequests();
        }
    }

    private RouteBuilder routes(String trigger, String url) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:notifications").to("outlook365:connection/receiveNotification");
                from(trigger).process(e -> {
                    Long at = deliveredAt.get(e.getMessage().getBody(Message.class).subject());
                    if (at != null) {
                        latencies.add((System.nanoTime() - at) / 1_000_000);
                    }
                });
            }
        };
    }

    /** What platform-http does: query parameters become headers, the exchange's answer is sent back. */
    private void receive(HttpExchange http) throws IOException {
        String body;
        try (InputStream in = http.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String query = http.getRequestURI().getRawQuery();
        Exchange result = context.createProducerTemplate().request("direct:notifications", e -> {
            e.getMessage().setBody(body);
            if (query != null && query.startsWith("validationToken=")) {
                e.getMessage().setHeader("validationToken",
                        URLDecoder.decode(query.substring("validationToken=".length()), StandardCharsets.UTF_8));
            }
        });
        int status = result.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 500, Integer.class);
        String text = result.getMessage().getBody(String.class);
        byte[] answer = text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
        String contentType = result.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null) {
            http.getResponseHeaders().set("Content-Type", contentType);
        }
        http.sendResponseHeaders(status, answer.length == 0 ? -1 : answer.length);
        try (OutputStream out = http.getResponseBody()) {
            out.write(answer);
        }
    }

    private static String summary(List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return "no samples";
        }
        long sum = sorted.stream().mapToLong(Long::longValue).sum();
        return String.format("%d samples, median %d ms, p90 %d ms, max %d ms, mean %d ms", sorted.size(),
                sorted.get(sorted.size() / 2), sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.9) - 1)),
                sorted.get(sorted.size() - 1), sum / sorted.size());
    }
}

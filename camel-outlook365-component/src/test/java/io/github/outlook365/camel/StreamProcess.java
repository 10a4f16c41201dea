package io.github.outlook365.camel;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;

/**
 * The application {@link KillAndRestartTest} kills: a mail/received route whose step fails the first time it sees every
 * fifth mail, and whose effect is a line per mail appended to a file (written at once, so it survives kill -9).
 */
public final class StreamProcess {

    private StreamProcess() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = ForkedCamel.arguments(args);
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        try (FileOutputStream effects = new FileOutputStream(a.get("out"), true)) {
            CamelContext context = ForkedCamel.context(ForkedCamel.configuration(a));
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("outlook365:mail/received?delay=100&initialDelay=0&pageSize=3").routeId("stream")
                            .process(e -> {
                                String subject = e.getMessage().getHeader(Outlook365Constants.SUBJECT, String.class);
                                int n = Integer.parseInt(subject.substring(1));
                                if (n % 5 == 0 && attempts.merge(subject, 1, Integer::sum) == 1) {
                                    throw new IllegalStateException("a passing failure on " + subject);
                                }
                                synchronized (effects) {
                                    effects.write((subject + "\n").getBytes(StandardCharsets.UTF_8));
                                }
                            });
                }
            });
            context.start();
            System.out.println("STARTED");
            System.out.flush();
            new CountDownLatch(1).await();
        }
    }
}

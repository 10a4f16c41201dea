package io.github.outlook365.camel;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import io.github.outlook365.camel.auth.AccessToken;
import io.github.outlook365.camel.auth.TokenProvider;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.RetryPolicy;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A JVM error on the way to Graph is not a network problem: the Graph client neither retries it nor reports it to the
 * connection's state; it rethrows it as the Error it is.
 */
class GraphClientErrorsTest {

    /** An HttpClient whose sends fail the way the JDK's do when its own thread runs out of heap. */
    private static final class OutOfHeapHttpClient extends DelegatingHttpClient {
        final AtomicInteger sends = new AtomicInteger();

        OutOfHeapHttpClient() throws Exception {
            super(SSLContext.getDefault());
        }

        @Override
        protected void beforeSend() throws IOException {
            sends.incrementAndGet();
            throw new IOException("Java heap space", new OutOfMemoryError("Java heap space"));
        }
    }

    private static final TokenProvider TOKENS = new TokenProvider() {
        @Override
        public AccessToken token() {
            return new AccessToken("token", Instant.now().plusSeconds(3600));
        }

        @Override
        public void invalidate(AccessToken rejected) {
        }

        @Override
        public long tokenRequests() {
            return 0;
        }
    };

    @Test
    void anOutOfMemoryErrorOfTheHttpClientIsRethrownNotRetriedAndNotReported() throws Exception {
        // given a Graph client with retries, whose HTTP client runs out of heap reading an answer
        OutOfHeapHttpClient http = new OutOfHeapHttpClient();
        GraphClient graph = new GraphClient(http, TOKENS, "https://graph.example", new RetryPolicy(4, Duration.ofMillis(1),
                Duration.ofMillis(10)), 4, Duration.ofSeconds(5));
        List<RuntimeException> reported = new CopyOnWriteArrayList<>();
        graph.setOutcomes(new GraphClient.Outcomes() {
            @Override
            public void succeeded() {
            }

            @Override
            public void failed(RuntimeException failure) {
                reported.add(failure);
            }
        });

        // when a page is read
        OutOfMemoryError error = assertThrows(OutOfMemoryError.class,
                () -> graph.page("ada@contoso.example", "/v1.0/users/ada/mailFolders/inbox/messages/delta"));

        // then the Error itself comes out, after one send, and the connection heard nothing of it
        assertEquals("Java heap space", error.getMessage());
        assertEquals(1, http.sends.get(), "not retried");
        assertTrue(reported.isEmpty(), "not reported as a failure of Graph: " + reported);
    }
}

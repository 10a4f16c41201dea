package io.github.outlook365.camel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.simulator.RecordedRequest;
import io.github.outlook365.simulator.SimFault;
import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the one Graph client behaves under load and faults: what every trigger and action inherits.
 */
class GraphResilienceTest extends SimulatedContextTest {

    @Test
    void neverMoreThanFourRequestsInFlightPerMailbox() throws Exception {
        // given a slow Graph
        sim.setLatency("/sendMail", Duration.ofMillis(200));

        // when 12 sends from one mailbox run at once
        List<CompletableFuture<Object>> sends = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sends.add(template.asyncRequestBodyAndHeader("outlook365:mail/send", "n" + i, Outlook365Constants.TO,
                    SimulatedTenant.BOB));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get();

        // then Graph never saw a fifth concurrent request, so nothing was throttled, and every mail arrived
        assertTrue(sim.maxConcurrentRequests(SimulatedTenant.ADA) <= 4,
                "max in flight " + sim.maxConcurrentRequests(SimulatedTenant.ADA));
        assertEquals(0, sim.requests().stream().filter(r -> r.status() == 429).count());
        assertEquals(12, sim.messages(SimulatedTenant.BOB, "inbox").size());
    }

    @Test
    void unavailableWithoutRetryAfterIsRetriedWithBackoff() {
        // given Graph answering 503 twice, with no Retry-After, to a call that reads
        sim.injectFault(SimFault.status("/mailFolders$", 503, "serviceNotAvailable", 2));

        // when the folders are listed
        List<?> folders = template.requestBody("outlook365:mail/listFolders", (Object) null, List.class);

        // then they came, after two waits that grew (a call that sends is not repeated after a 503: GraphCallSafetyTest)
        assertTrue(folders.size() >= 5);
        List<RecordedRequest> calls = sim.requests().stream().filter(r -> r.path().endsWith("/mailFolders")).toList();
        assertEquals(List.of(503, 503, 200), calls.stream().map(RecordedRequest::status).toList());
        Duration first = Duration.between(calls.get(0).at(), calls.get(1).at());
        Duration second = Duration.between(calls.get(1).at(), calls.get(2).at());
        assertTrue(first.toMillis() >= 900, "first backoff " + first);
        assertTrue(second.toMillis() >= 1500, "second backoff " + second);
    }

    @Test
    void whenRetriesRunOutTheErrorCarriesStatusCodeAndRequestId() {
        sim.injectFault(SimFault.status("/mailFolders$", 504, "UnknownError", 5));

        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.requestBody("outlook365:mail/listFolders?maxRetries=1", (Object) null));

        GraphException graph = assertInstanceOf(GraphException.class, e.getCause());
        assertEquals(504, graph.getStatus());
        assertEquals("UnknownError", graph.getCode());
        assertNotNull(graph.getRequestId());
        assertNotNull(graph.getClientRequestId());
        assertTrue(graph.getMessage().contains("request-id " + graph.getRequestId()), graph.getMessage());
        assertEquals(2, sim.countRequests("GET", "/mailFolders$"));
    }
}

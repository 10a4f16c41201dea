package io.github.outlook365.camel.connection;

import java.io.IOException;
import java.time.Duration;
import java.util.stream.Stream;

import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.Outlook365Exception;
import io.github.outlook365.camel.auth.Outlook365AuthenticationException;
import io.github.outlook365.camel.graph.GraphException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one classification of failures: by OAuth error, AADSTS code and status, never by description text.
 */
class ConnectionFailuresTest {

    static Stream<Arguments> tokenRefusals() {
        return Stream.of(
                Arguments.of("invalid_grant", "70008", 400, ConnectionState.BROKEN, "refresh token has expired"),
                Arguments.of("invalid_grant", "700082", 400, ConnectionState.BROKEN, "long inactivity"),
                Arguments.of("invalid_grant", "50173", 400, ConnectionState.BROKEN, "sessions were revoked"),
                Arguments.of("interaction_required", null, null, ConnectionState.BROKEN, "sign in again"),
                Arguments.of("consent_required", "65001", 400, ConnectionState.BROKEN, "consent is missing"),
                Arguments.of("invalid_client", "7000222", 401, ConnectionState.BROKEN, "client secret has expired"),
                Arguments.of("invalid_client", "7000215", 401, ConnectionState.BROKEN, "client secret is not valid"),
                Arguments.of("invalid_client", "700027", 401, ConnectionState.BROKEN, "refuses the certificate"),
                Arguments.of("invalid_client", null, 401, ConnectionState.BROKEN, "app's credential"),
                Arguments.of("temporarily_unavailable", null, 400, ConnectionState.DEGRADED, "outage"),
                Arguments.of("ServiceNotAvailable", null, 503, ConnectionState.DEGRADED, "outage"),
                Arguments.of("server_error", "90033", 500, ConnectionState.DEGRADED, "outage"),
                Arguments.of("TooManyRequests", null, 429, ConnectionState.DEGRADED, "outage"),
                Arguments.of(null, null, null, ConnectionState.DEGRADED, "unreachable"));
    }

    @ParameterizedTest(name = "{0} AADSTS{1} HTTP {2} -> {3}")
    @MethodSource("tokenRefusals")
    void tokenRefusalsAreClassifiedByErrorAndCode(String error, String code, Integer status, ConnectionState expected,
                                                  String reasonPart) {
        // given a refusal whose description says the opposite of its code: the description must not matter
        Outlook365AuthenticationException refusal = new Outlook365AuthenticationException(
                "AADSTS90033: a transient error has occurred, please try again", error, code, status, null);

        // when
        ConnectionFailures.Failure failure = ConnectionFailures.classify(new RuntimeException("wrapped", refusal));

        // then
        assertEquals(expected, failure.state());
        assertTrue(failure.reason().contains(reasonPart), failure.reason());
        assertEquals(error, failure.error());
        assertEquals(code, failure.aadstsCode());
    }

    static Stream<Arguments> graphAnswers() {
        return Stream.of(
                Arguments.of(429, "ApplicationThrottled", ConnectionState.DEGRADED),
                Arguments.of(503, "ServiceNotAvailable", ConnectionState.DEGRADED),
                Arguments.of(504, "GatewayTimeout", ConnectionState.DEGRADED),
                Arguments.of(500, "InternalServerError", ConnectionState.DEGRADED),
                Arguments.of(404, "ErrorItemNotFound", null),
                Arguments.of(400, "ErrorInvalidRecipients", null),
                Arguments.of(403, "ErrorAccessDenied", null));
    }

    @ParameterizedTest(name = "Graph {0} {1} -> {2}")
    @MethodSource("graphAnswers")
    void graphAnswersDegradeOnlyOnOutagesAndThrottling(int status, String code, ConnectionState expected) {
        GraphException answer = new GraphException("Graph failed", status, code, "text", "rid", "crid", null);

        ConnectionFailures.Failure failure = ConnectionFailures.classify(answer);

        if (expected == null) {
            assertNull(failure, "a " + status + " says nothing about the connection");
        } else {
            assertEquals(expected, failure.state());
        }
    }

    @Test
    void networkErrorsDegradeAndAKnownUnavailableConnectionIsNoNewFailure() {
        assertEquals(ConnectionState.DEGRADED, ConnectionFailures.classify(
                new Outlook365Exception("could not reach Microsoft Graph", new IOException("Connection refused"))).state());
        assertNull(ConnectionFailures.classify(new ConnectionUnavailableException("broken", "c", ConnectionState.BROKEN,
                "invalid_grant", "50173", null)));
        assertNull(ConnectionFailures.classify(new IllegalArgumentException("header To is missing")));
    }

    static Stream<Arguments> jvmErrors() {
        return Stream.of(
                // what the JDK's HttpClient throws when its own thread runs out of heap
                Arguments.of(new IOException("Java heap space", new OutOfMemoryError("Java heap space"))),
                Arguments.of(new Outlook365Exception("could not reach Microsoft Graph",
                        new IOException("x", new StackOverflowError()))),
                Arguments.of(new Outlook365AuthenticationException("token request failed", null, null, null,
                        new java.util.concurrent.ExecutionException(new OutOfMemoryError("Metaspace")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jvmErrors")
    void aJvmErrorSaysNothingAboutTheConnectionHoweverItIsWrapped(Exception failure) {
        assertNull(ConnectionFailures.classify(failure), "an Error is neither an outage nor a refusal");
    }

    @Test
    void backoffDoublesUpToItsCap() {
        LifecycleSettings settings = new LifecycleSettings(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofDays(30));

        assertEquals(Duration.ofSeconds(5), settings.backoff(1));
        assertEquals(Duration.ofSeconds(10), settings.backoff(2));
        assertEquals(Duration.ofSeconds(20), settings.backoff(3));
        assertEquals(Duration.ofSeconds(40), settings.backoff(4));
        assertEquals(Duration.ofSeconds(60), settings.backoff(5));
        assertEquals(Duration.ofSeconds(60), settings.backoff(50));
    }

    static Stream<Arguments> badLifecycleOptions() {
        return Stream.of(
                Arguments.of(0L, 1000L, 30, "option reconnectDelay=0 must be at least 1"),
                Arguments.of(2000L, 1000L, 30, "option reconnectMaxDelay=1000 must be at least reconnectDelay=2000"),
                Arguments.of(1000L, 2000L, -1, "option certificateExpiryWarningDays=-1 must be 0 or more"));
    }

    @ParameterizedTest(name = "{3}")
    @MethodSource("badLifecycleOptions")
    void badLifecycleOptionsAreNamed(long delay, long max, int days, String message) {
        Outlook365Configuration c = new Outlook365Configuration();
        c.setReconnectDelay(delay);
        c.setReconnectMaxDelay(max);
        c.setCertificateExpiryWarningDays(days);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LifecycleSettings.of(c));

        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }
}

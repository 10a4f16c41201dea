package io.github.outlook365.camel.connection;

/**
 * The state of a connection, shared by every endpoint that uses it.
 */
public enum ConnectionState {
    /** Tokens and Graph answer. */
    CONNECTED,
    /** Entra ID or Graph is unreachable, throttles or answers 5xx: retried with backoff, recovers by itself. */
    DEGRADED,
    /** A person must act (sign in again, consent, a new secret or certificate): triggers pause, actions fail fast. */
    BROKEN
}

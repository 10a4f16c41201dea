package io.github.outlook365.camel.connection;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.Set;

import io.github.outlook365.camel.auth.EntraErrors;
import io.github.outlook365.camel.auth.NotSignedInException;
import io.github.outlook365.camel.auth.Outlook365AuthenticationException;
import io.github.outlook365.camel.graph.GraphException;

/**
 * The one place that decides what a failure means for a connection: from the OAuth {@code error}, the AADSTS code and
 * the HTTP status of a token refusal, or the status of a Graph answer. Never from description text. Why a code needs a
 * person is said by {@link EntraErrors}' table.
 */
public final class ConnectionFailures {

    /** What a failure means: the state it puts the connection in, and why, in a sentence with no secret. */
    public record Failure(ConnectionState state, String reason, String error, String aadstsCode) {
    }

    /** OAuth errors that need a person. */
    private static final Set<String> BROKEN_ERRORS = Set.of("invalid_grant", "interaction_required", "consent_required",
            "invalid_client", "unauthorized_client", "access_denied");

    /** OAuth errors of an outage. */
    private static final Set<String> OUTAGE_ERRORS = Set.of("temporarily_unavailable", "server_error");

    private ConnectionFailures() {
    }

    /**
     * What {@code failure} means for the connection, or null when it says nothing about the connection (a 404 of a
     * message, a bad request body, a connection already known to be unavailable, an Error of the JVM).
     */
    public static Failure classify(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Error) {
                // an OutOfMemoryError or StackOverflowError says nothing about the connection, however it is wrapped
                return null;
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectionUnavailableException) {
                return null;
            }
            if (t instanceof Outlook365AuthenticationException a) {
                return token(a);
            }
            if (t instanceof GraphException g) {
                return graph(g);
            }
            if (t instanceof HttpTimeoutException || t instanceof IOException) {
                return new Failure(ConnectionState.DEGRADED, "Microsoft Graph is unreachable (" + t.getClass().getSimpleName()
                                                             + "): retrying with backoff", null, null);
            }
        }
        return null;
    }

    static Failure token(Outlook365AuthenticationException a) {
        if (a instanceof NotSignedInException) {
            return notSignedIn();
        }
        String error = a.getError();
        String code = a.getAadstsCode();
        Integer status = a.getHttpStatus();
        String id = (error != null ? error : "no answer") + (code != null ? " AADSTS" + code : "")
                    + (status != null ? " HTTP " + status : "");
        if (error == null) {
            return new Failure(ConnectionState.DEGRADED, "Entra ID's token endpoint is unreachable or did not answer in"
                                                         + " time: retrying with backoff", null, null);
        }
        if (status != null && (status >= 500 || status == 429) || OUTAGE_ERRORS.contains(error)) {
            return new Failure(ConnectionState.DEGRADED, "Entra ID's token endpoint is having an outage (" + id
                                                         + "): retrying with backoff", error, code);
        }
        String reason = EntraErrors.meaning(code);
        if (reason == null) {
            reason = switch (error) {
                case "invalid_grant" -> "the sign-in is no longer valid: someone must sign in again";
                case "interaction_required" -> "Entra ID needs the user to sign in again";
                case "consent_required" -> "consent is missing: sign in again or have an admin consent";
                case "invalid_client" -> "Entra ID refuses the app's credential: configure a valid secret or"
                                         + " certificate";
                default -> "Entra ID refuses to issue a token: a person must check the app registration";
            };
        }
        if (BROKEN_ERRORS.contains(error) || status == null || status >= 400) {
            return new Failure(ConnectionState.BROKEN, reason + " (" + id + ")", error, code);
        }
        return new Failure(ConnectionState.DEGRADED, "Entra ID answered " + id + ": retrying with backoff", error, code);
    }

    static Failure graph(GraphException g) {
        int status = g.getStatus();
        if (status == 429) {
            return new Failure(ConnectionState.DEGRADED, "Microsoft Graph throttles the connection (HTTP 429 "
                                                         + g.getCode() + "): retrying after Retry-After", null, null);
        }
        if (status >= 500) {
            return new Failure(ConnectionState.DEGRADED, "Microsoft Graph answers HTTP " + status + " " + g.getCode()
                                                         + ": retrying with backoff", null, null);
        }
        return null;
    }

    /** A delegated connection nobody has signed in to yet: a person must sign in (the link says where). */
    static Failure notSignedIn() {
        return new Failure(ConnectionState.BROKEN, "nobody has signed in to this connection yet: a person must open the"
                                                   + " sign-in page with the setup token from the application's log"
                                                   + " (logger outlook365.setup) and sign in", "interaction_required",
                null);
    }

    /** A certificate past its end of validity, known before Entra ID is asked. */
    static Failure certificateExpired(java.time.Instant notAfter) {
        return new Failure(ConnectionState.BROKEN, "the configured certificate expired at " + notAfter
                                                   + ": upload a new certificate to the app registration and configure"
                                                   + " it", "invalid_client", "700027");
    }
}

package io.github.outlook365.camel.auth;

/**
 * Hands out a Graph access token for one connection, reusing it until it is close to expiry.
 */
public interface TokenProvider {

    /** A token valid for at least a few more minutes; asks Entra ID only when the held one is about to expire. */
    AccessToken token();

    /** Forget the held token (Graph said 401): the next {@link #token()} asks Entra ID again. */
    void invalidate(AccessToken rejected);

    /** How many times this provider asked Entra ID for a token. */
    long tokenRequests();
}

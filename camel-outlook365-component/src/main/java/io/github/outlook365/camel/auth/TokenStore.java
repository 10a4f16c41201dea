package io.github.outlook365.camel.auth;

/**
 * Where a delegated connection keeps its tokens between restarts: MSAL4J's serialized token cache (JSON holding the
 * refresh token, access tokens and the signed-in account). Implement it as a bean ({@code tokenStore=#myStore}) to keep
 * them in a vault or a database; the default is an AES-GCM encrypted file ({@link EncryptedFileTokenStore}). The data is
 * as sensitive as a password: never log it.
 */
public interface TokenStore {

    /**
     * The cache stored for the connection, or null when nothing is stored yet.
     *
     * @param  connectionId          names the connection (tenant and client id; no secret)
     * @throws TokenStoreException when something is stored but cannot be read (tampered, wrong key): never ignore it
     *                             silently, since a fresh sign-in would be needed without anyone knowing why
     */
    String load(String connectionId);

    /** Replaces the stored cache of the connection. */
    void save(String connectionId, String serializedCache);

    /** A stored token cache that cannot be used; the message says why and what to do. */
    class TokenStoreException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public TokenStoreException(String message) {
            super(message);
        }

        public TokenStoreException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

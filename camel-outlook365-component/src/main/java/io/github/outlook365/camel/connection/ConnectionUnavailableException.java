package io.github.outlook365.camel.connection;

import io.github.outlook365.camel.Outlook365Exception;

/**
 * An action or trigger refused at once because its connection is BROKEN, or DEGRADED and waiting for its next token
 * attempt. Carries the state, the OAuth error and the AADSTS code that put it there, and the link that fixes it.
 */
public class ConnectionUnavailableException extends Outlook365Exception {

    private final String connectionName;
    private final ConnectionState state;
    private final String error;
    private final String aadstsCode;
    private final String consentUrl;

    public ConnectionUnavailableException(String message, String connectionName, ConnectionState state, String error,
                                          String aadstsCode, String consentUrl) {
        super(message);
        this.connectionName = connectionName;
        this.state = state;
        this.error = error;
        this.aadstsCode = aadstsCode;
        this.consentUrl = consentUrl;
    }

    public String getConnectionName() {
        return connectionName;
    }

    public ConnectionState getState() {
        return state;
    }

    /** The OAuth error, e.g. invalid_grant; null for a Graph outage. */
    public String getError() {
        return error;
    }

    /** The AADSTS code without its prefix, e.g. 50173; null when none. */
    public String getAadstsCode() {
        return aadstsCode;
    }

    /** The link a person opens to fix the connection (sign-in or admin consent); null when none helps. */
    public String getConsentUrl() {
        return consentUrl;
    }
}

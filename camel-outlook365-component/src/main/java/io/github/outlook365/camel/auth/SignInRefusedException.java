package io.github.outlook365.camel.auth;

import io.github.outlook365.camel.Outlook365Exception;

/**
 * A sign-in of authMode=authorizationCode was refused before or after Entra ID was asked: the start without the setup
 * token, a callback from another browser or with a state this connection is not waiting for, a callback that brings
 * Entra ID's error instead of a code, or a user other than the one the connection expects. Nothing about the connection
 * changed. The message says what to do and may be shown to the person in the browser (as text, never as HTML);
 * {@link #getHttpStatus()} is the status for that page. The component has logged it already (anyone can cause one, so
 * at most a line a minute of each kind, with a count of the rest): a route that catches it need not log it again.
 */
public class SignInRefusedException extends Outlook365Exception {

    private final int httpStatus;

    public SignInRefusedException(int httpStatus, String message) {
        super(message);
        this.httpStatus = httpStatus;
    }

    /** 403 for a start without the setup token, 400 for a callback that cannot complete, 409 for another user. */
    public int getHttpStatus() {
        return httpStatus;
    }
}

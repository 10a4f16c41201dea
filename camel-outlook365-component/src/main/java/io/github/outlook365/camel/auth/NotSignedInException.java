package io.github.outlook365.camel.auth;

/**
 * A delegated connection nobody has signed in to yet (and no refreshToken seeds it): no token can be had until a person
 * signs in. Raised without asking Entra ID; the connection shows it as BROKEN with the sign-in link.
 */
public class NotSignedInException extends Outlook365AuthenticationException {

    public NotSignedInException(String message) {
        super(message, "interaction_required", null, null, null);
    }
}

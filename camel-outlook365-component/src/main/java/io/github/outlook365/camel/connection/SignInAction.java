package io.github.outlook365.camel.connection;

import io.github.outlook365.camel.Outlook365Action;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.auth.DelegatedTokenProvider;

/**
 * What the sign-in actions (authorizationUrl, completeAuthorization) share: they exist only for
 * authMode=authorizationCode, which they check when the route starts, and work with the connection's sign-in.
 */
abstract class SignInAction implements Outlook365Action {

    private final String name;
    /** The connection's sign-in, known once the route started. */
    protected DelegatedTokenProvider delegated;

    SignInAction(String name) {
        this.name = name;
    }

    @Override
    public void validate(Outlook365Endpoint endpoint) {
        delegated = endpoint.openCheckedConnection().delegated();
        if (delegated == null) {
            throw new IllegalArgumentException("outlook365:connection/" + name + " signs a user in: it needs"
                                               + " authMode=authorizationCode, not authMode="
                                               + endpoint.connectionSettings().auth().authMode());
        }
    }
}

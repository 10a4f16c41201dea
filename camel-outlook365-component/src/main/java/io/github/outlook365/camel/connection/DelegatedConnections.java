package io.github.outlook365.camel.connection;

import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.auth.DelegatedTokenProvider;

/** The sign-in actions exist only for authMode=authorizationCode; this says so at route start. */
final class DelegatedConnections {

    private DelegatedConnections() {
    }

    static DelegatedTokenProvider require(Outlook365Endpoint endpoint, String action) {
        DelegatedTokenProvider delegated = endpoint.connection().delegated();
        if (delegated == null) {
            throw new IllegalArgumentException("outlook365:connection/" + action + " signs a user in: it needs"
                                               + " authMode=authorizationCode, not authMode="
                                               + endpoint.connectionSettings().auth().authMode());
        }
        return delegated;
    }
}

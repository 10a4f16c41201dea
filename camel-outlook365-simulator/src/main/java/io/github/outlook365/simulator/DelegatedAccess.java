package io.github.outlook365.simulator;

import java.util.Set;

/**
 * What a delegated token may reach: the signed-in user's own mailbox with its scopes, and another mailbox (a shared
 * mailbox) only when the user holds FullAccess on it, and then only through the scopes' .Shared variants
 * (Mail.Read.Shared, Mail.Send.Shared, ...), as in Exchange Online.
 */
final class DelegatedAccess {

    /** Reading one's own profile (GET /me) needs one of these. */
    static final Set<String> OWN_PROFILE = Set.of("User.Read", "User.ReadBasic.All", "User.Read.All",
            "User.ReadWrite", "User.ReadWrite.All", "Directory.Read.All");

    private DelegatedAccess() {
    }

    /** The token as it counts on the mailbox {@code userSegment}; 403 ErrorAccessDenied when the user may not open it. */
    static SimulatorState.AccessToken onMailbox(SimulatorState state, SimulatorState.AccessToken token,
            String userSegment) {
        if (!token.delegated() || token.user().equalsIgnoreCase(userSegment)) {
            return token;
        }
        Mailbox mailbox = state.mailbox(userSegment);
        if (mailbox == null) {
            // the handler answers ErrorInvalidUser, as Graph does
            return token.sharedView();
        }
        if (mailbox.upn.equalsIgnoreCase(token.user())) {
            return token;
        }
        if (!state.mayOpen(token.user(), mailbox)) {
            throw GraphException.accessDenied();
        }
        return token.sharedView();
    }
}

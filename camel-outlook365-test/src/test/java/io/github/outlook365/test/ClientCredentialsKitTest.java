package io.github.outlook365.test;

import io.github.outlook365.simulator.RecordedRequest;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kit's app signs in with a client secret (authMode=clientCredentials). */
class ClientCredentialsKitTest extends AuthModeContract {

    @RegisterExtension
    static final Outlook365TestKit OUTLOOK = Outlook365TestKit.clientCredentials().mailbox(ADA, "Ada Lovelace");

    @Override
    Outlook365TestKit kit() {
        return OUTLOOK;
    }

    @Override
    void tokenRequestIsTheModes(RecordedRequest token) {
        assertTrue(token.body().contains("grant_type=client_credentials"), token.body());
        assertTrue(token.body().contains("client_secret=***") || "Basic ***".equals(token.header("Authorization")),
                token.body());
    }
}

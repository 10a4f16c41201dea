package io.github.outlook365.test;

import io.github.outlook365.simulator.RecordedRequest;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kit's app signs in with a certificate the kit made and registered (authMode=clientCertificate). */
class ClientCertificateKitTest extends AuthModeContract {

    @RegisterExtension
    static final Outlook365TestKit OUTLOOK = Outlook365TestKit.clientCertificate().mailbox(ADA, "Ada Lovelace");

    @Override
    Outlook365TestKit kit() {
        return OUTLOOK;
    }

    @Override
    void tokenRequestIsTheModes(RecordedRequest token) {
        assertTrue(token.body().contains("grant_type=client_credentials"), token.body());
        assertTrue(token.body().contains("client_assertion=***"), token.body());
        assertFalse(token.body().contains("client_secret"), token.body());
        assertNull(OUTLOOK.clientSecret());
        assertEquals("clientCertificate", OUTLOOK.properties().getProperty("camel.component.outlook365.authMode"));
    }
}

package io.github.outlook365.test;

import java.time.Duration;

import io.github.outlook365.simulator.RecordedRequest;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The kit's web app acts for a user who signed in already (authMode=authorizationCode, seeded with a refresh token):
 * no browser; and an admin revoking the user's sessions breaks the connection, as a recovery route must handle.
 */
class AuthorizationCodeKitTest extends AuthModeContract {

    @RegisterExtension
    static final Outlook365TestKit OUTLOOK = Outlook365TestKit.authorizationCode().mailbox(ADA, "Ada Lovelace")
            .option("reconnectDelay", "200");

    @Override
    Outlook365TestKit kit() {
        return OUTLOOK;
    }

    @Override
    void tokenRequestIsTheModes(RecordedRequest token) {
        assertTrue(token.body().contains("grant_type=refresh_token"), token.body());
        assertTrue(token.body().contains("client_secret=***") || "Basic ***".equals(token.header("Authorization")),
                token.body());
    }

    @Test
    void revokedSignInSessionsBreakTheConnection() throws Exception {
        // given a route on the connection's events, and the trigger polling as the signed-in user
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:connection/events").routeId("events").to("mock:events");
            }
        });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> OUTLOOK.simulator().countRequests("GET", "/messages/delta") >= 2);
        MockEndpoint events = getMockEndpoint("mock:events");
        events.expectedMinimumMessageCount(1);

        // when an admin revokes Ada's sign-in sessions and her access token ends
        OUTLOOK.account().revokeSignInSessions();

        // then the connection turns BROKEN with the reason and the link that fixes it (the sign-in page)
        events.assertIsSatisfied(20_000);
        Exchange broken = events.getReceivedExchanges().stream()
                .filter(e -> "BROKEN".equals(e.getMessage().getHeader("CamelOutlook365ConnectionState")))
                .findFirst().orElseThrow();
        String reason = broken.getMessage().getHeader("CamelOutlook365ConnectionReason", String.class);
        assertTrue(reason.contains("sign-in sessions were revoked"), reason);
        String link = broken.getMessage().getHeader("CamelOutlook365ConnectionConsentUrl", String.class);
        assertEquals("http://localhost:8080/provisioning_/signin", link, "the sign-in page, never a live authorize URL");
        assertEquals(ADA, OUTLOOK.properties().getProperty("camel.component.outlook365.account"));
    }
}

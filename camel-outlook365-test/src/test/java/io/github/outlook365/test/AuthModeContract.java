package io.github.outlook365.test;

import java.util.List;

import io.github.outlook365.camel.model.Message;
import io.github.outlook365.simulator.RecordedRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every auth mode of the kit gives: a route that sends and a trigger that receives through the component,
 * signed in the mode's way. Each subclass names its kit and what its token requests look like.
 */
abstract class AuthModeContract extends CamelTestSupport {

    static final String ADA = "ada@contoso.onmicrosoft.com";

    abstract Outlook365TestKit kit();

    /** The grant and credential the mode's token requests carry. */
    abstract void tokenRequestIsTheModes(RecordedRequest tokenRequest);

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return kit().configure(super.createCamelContext());
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").to("outlook365:mail/send");
                from("outlook365:mail/received?delay=100").routeId("received").to("mock:received");
            }
        };
    }

    @Test
    void aMailTheRouteSendsComesBackThroughTheTrigger() throws Exception {
        // given
        MockEndpoint received = getMockEndpoint("mock:received");
        received.expectedMessageCount(1);
        received.expectedHeaderReceived("CamelOutlook365Subject", "Note to self");

        // when the route mails the account's own mailbox
        template.sendBodyAndHeaders("direct:send", "remember the milk",
                java.util.Map.of("CamelOutlook365To", ADA, "CamelOutlook365Subject", "Note to self"));

        // then the trigger fires for it once, with the mail as a Message record
        received.assertIsSatisfied(20_000);
        Message mail = received.getReceivedExchanges().get(0).getMessage().getBody(Message.class);
        assertEquals("remember the milk", mail.body().content().trim());
        assertEquals(List.of("Note to self"), kit().account().inbox().stream().map(Message::subject).toList());
        List<RecordedRequest> tokens = kit().simulator().requests().stream()
                .filter(r -> r.path().endsWith("/oauth2/v2.0/token")).toList();
        assertFalse(tokens.isEmpty());
        tokens.forEach(this::tokenRequestIsTheModes);
        assertTrue(tokens.stream().allMatch(r -> r.status() == 200));
    }
}

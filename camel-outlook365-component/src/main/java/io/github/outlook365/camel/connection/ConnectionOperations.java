package io.github.outlook365.camel.connection;

import java.util.List;

import io.github.outlook365.camel.Outlook365Operation;

/**
 * The connection triggers and actions (sign-in, consent, checks, state events).
 */
public final class ConnectionOperations {

    public static final List<Outlook365Operation> OPERATIONS = List.of(
            Outlook365Operation.action("connection/authorizationUrl", AuthorizationUrlProducer::new),
            Outlook365Operation.action("connection/completeAuthorization", CompleteAuthorizationProducer::new),
            Outlook365Operation.action("connection/adminConsentUrl", AdminConsentUrlProducer::new),
            Outlook365Operation.action("connection/check", CheckProducer::new),
            Outlook365Operation.trigger("connection/events", ConnectionEventsConsumer::new));

    private ConnectionOperations() {
    }
}

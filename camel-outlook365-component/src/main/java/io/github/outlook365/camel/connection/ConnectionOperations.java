package io.github.outlook365.camel.connection;

import java.util.List;

import io.github.outlook365.camel.Outlook365Operation;

import static io.github.outlook365.camel.auth.GraphPermission.NONE;

/**
 * The connection triggers and actions (sign-in, consent, checks, state events).
 */
public final class ConnectionOperations {

    // they work on the connection itself: a token is all they need
    public static final List<Outlook365Operation> OPERATIONS = List.of(
            Outlook365Operation.action("connection/authorizationUrl", NONE, AuthorizationUrlAction::new),
            Outlook365Operation.action("connection/completeAuthorization", NONE, CompleteAuthorizationAction::new),
            Outlook365Operation.action("connection/adminConsentUrl", NONE, AdminConsentUrlAction::new),
            Outlook365Operation.action("connection/check", NONE, CheckAction::new),
            Outlook365Operation.action("connection/receiveNotification", NONE, ReceiveNotificationAction::new),
            Outlook365Operation.trigger("connection/events", NONE, ConnectionEventsConsumer::new));

    private ConnectionOperations() {
    }
}

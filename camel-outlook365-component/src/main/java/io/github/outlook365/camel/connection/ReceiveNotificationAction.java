package io.github.outlook365.camel.connection;

import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Action;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.trigger.PushNotifications;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * {@code outlook365:connection/receiveNotification}: the receiver of Graph change notifications, behind a
 * platform-http route at the notificationUrl (routes/graph-notifications.camel.yaml).
 * <ul>
 * <li>A validation request (query parameter {@code validationToken}, the header platform-http makes of it): the body
 * becomes the token as text/plain with 200, as Graph requires within 10 seconds.</li>
 * <li>A notification request: each notification's clientState is checked against its subscription's secret; good
 * ones wake their trigger or are handled as lifecycle events, off this thread; forged ones are dropped and counted.
 * The answer is 202 with no body, at once. A body that is no notification collection is answered 400.</li>
 * </ul>
 * It calls no Graph API and needs no permission; it reaches the triggers of its own component.
 */
final class ReceiveNotificationAction implements Outlook365Action {

    /** The query parameter of Graph's validation request (platform-http makes it a header). */
    static final String VALIDATION_TOKEN = "validationToken";

    private PushNotifications notifications;

    @Override
    public void validate(Outlook365Endpoint endpoint) {
        notifications = endpoint.getComponent().pushNotifications();
    }

    // docs: https://learn.microsoft.com/en-us/graph/change-notifications-delivery-webhooks (validation: 200 text/plain
    //   with the decoded token within 10 s; notifications: answer 2xx within 3 s, else Graph retries and may drop them)
    @Override
    public void process(ActionExchange call) {
        Message message = call.exchange().getMessage();
        Object token = message.getHeader(VALIDATION_TOKEN);
        message.removeHeader(VALIDATION_TOKEN);
        if (token != null) {
            message.setBody(token.toString());
            message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            // the token comes from whoever called: never let a browser take it for HTML
            message.setHeader("X-Content-Type-Options", "nosniff");
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
            return;
        }
        String body = message.getBody(String.class);
        PushNotifications.Received received;
        try {
            received = notifications.receive(body);
        } catch (IllegalArgumentException e) {
            message.setBody(e.getMessage());
            message.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 400);
            return;
        }
        message.setBody(null);
        message.removeHeader(Exchange.CONTENT_TYPE);
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        message.setHeader(Outlook365Constants.NOTIFICATIONS_ACCEPTED, received.accepted());
        message.setHeader(Outlook365Constants.NOTIFICATIONS_FORGED, received.forged());
    }
}

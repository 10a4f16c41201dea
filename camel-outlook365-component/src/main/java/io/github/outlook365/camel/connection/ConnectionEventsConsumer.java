package io.github.outlook365.camel.connection;

import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * {@code outlook365:connection/events}: one exchange per state change of the endpoint's connection (and a
 * CERTIFICATE_EXPIRING warning while the certificate nears its end), in order, on a thread of its own so that the
 * route never holds up the trigger or action whose failure changed the state. The body is a {@link ConnectionEvent};
 * the headers carry its fields.
 */
public class ConnectionEventsConsumer extends DefaultConsumer {

    private final Outlook365Endpoint endpoint;
    private Outlook365Connection connection;
    private ExecutorService executor;
    private final Consumer<ConnectionEvent> listener = this::onEvent;

    public ConnectionEventsConsumer(Outlook365Endpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        connection = endpoint.openCheckedConnection();
        executor = endpoint.getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this,
                "outlook365-connection-events");
        connection.lifecycle().addListener(listener);
    }

    @Override
    protected void doStop() throws Exception {
        if (connection != null) {
            connection.lifecycle().removeListener(listener);
        }
        if (executor != null) {
            endpoint.getCamelContext().getExecutorServiceManager().shutdown(executor);
            executor = null;
        }
        super.doStop();
    }

    private void onEvent(ConnectionEvent event) {
        ExecutorService running = executor;
        if (running != null && !running.isShutdown()) {
            running.execute(() -> deliver(event));
        }
    }

    private void deliver(ConnectionEvent event) {
        Exchange exchange = createExchange(false);
        Message message = exchange.getMessage();
        message.setBody(event);
        message.setHeader(Outlook365Constants.CONNECTION_NAME, event.connection());
        message.setHeader(Outlook365Constants.CONNECTION_EVENT_TYPE, event.type());
        message.setHeader(Outlook365Constants.CONNECTION_STATE, event.state().name());
        message.setHeader(Outlook365Constants.CONNECTION_PREVIOUS_STATE,
                event.previousState() != null ? event.previousState().name() : null);
        message.setHeader(Outlook365Constants.CONNECTION_REASON, event.reason());
        message.setHeader(Outlook365Constants.CONNECTION_ERROR, event.error());
        message.setHeader(Outlook365Constants.CONNECTION_AADSTS_CODE, event.aadstsCode());
        message.setHeader(Outlook365Constants.CONNECTION_CONSENT_URL, event.consentUrl());
        message.setHeader(Outlook365Constants.CONNECTION_TIME, event.time());
        message.setHeader(Outlook365Constants.CONNECTION_FIRST_SIGN_IN, event.firstSignIn());
        if (event.trigger() != null) {
            message.setHeader(Outlook365Constants.TRIGGER, event.trigger());
            message.setHeader(Outlook365Constants.ITEM_ID, event.itemId());
        }
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("outlook365:connection/events: the route failed on the "
                                                  + event.type() + " event of " + event.connection(),
                    exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
    }
}

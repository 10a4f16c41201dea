package io.github.outlook365.camel;

import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.graph.GraphException;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * The producer of every outlook365 action. When the route starts it has the action check its options, then opens the
 * connection (checking the Graph permission the action is registered with); on each exchange it runs the action and
 * turns Graph's refusals into errors that say what to do.
 */
final class Outlook365Producer extends DefaultProducer {

    private final Outlook365Endpoint endpoint;
    private final Outlook365Operation operation;
    private final Outlook365Action action;
    private Outlook365Connection connection;
    private String preference;

    Outlook365Producer(Outlook365Endpoint endpoint, Outlook365Operation operation, Outlook365Action action) {
        super(endpoint);
        this.endpoint = endpoint;
        this.operation = operation;
        this.action = action;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // bad options stop the route before anything is sent
        action.validate(endpoint);
        preference = action.preference(endpoint.getConfiguration());
        connection = endpoint.openCheckedConnection();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        // the endpoint's account, else (app-only) the mailbox the exchange names: see ExchangeMailbox
        Outlook365Connection target = ExchangeMailbox.of(connection, exchange, "outlook365:" + operation.name());
        ActionExchange call = new ActionExchange(operation, exchange, endpoint.getConfiguration(), target, preference);
        try {
            action.process(call);
        } catch (GraphException e) {
            throw explain(e, call);
        }
    }

    private RuntimeException explain(GraphException e, ActionExchange call) {
        if (GraphRefusals.isNotAMailbox(e)) {
            return GraphRefusals.notAMailbox(e, call.connection());
        }
        if (e.getStatus() == 403) {
            return GraphRefusals.accessDenied(e, call.connection(), "use " + call.action() + " on", operation.permission());
        }
        return action.explain(e, call);
    }
}

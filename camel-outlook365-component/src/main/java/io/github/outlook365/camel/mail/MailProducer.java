package io.github.outlook365.camel.mail;

import java.util.List;

import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.graph.GraphException;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * The producer of every {@code outlook365:mail/<action>}: runs the endpoint's {@link MailAction} and explains Graph's
 * refusals.
 */
public class MailProducer extends DefaultProducer {

    private final Outlook365Endpoint endpoint;
    private final String name;
    private final MailAction action;
    private Outlook365Connection connection;

    MailProducer(Outlook365Endpoint endpoint, String name, MailAction action) {
        super(endpoint);
        this.endpoint = endpoint;
        this.name = name;
        this.action = action;
        // bad options fail the route's start, before anything is sent
        MailBodyType.check(endpoint.getConfiguration().getBodyContentType());
        action.validate(endpoint.getConfiguration());
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        connection = endpoint.connection();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        MailCall call = new MailCall(name, exchange, endpoint.getConfiguration(), connection);
        try {
            List<String> ids = action instanceof BatchableAction && call.header(Outlook365Constants.MESSAGE_ID) == null
                    ? MailBatch.ids(exchange.getMessage().getBody()) : null;
            if (ids != null) {
                MailBatch.run(call, (BatchableAction) action, ids);
            } else {
                action.process(call);
            }
        } catch (GraphException e) {
            throw MailErrors.explain(e, call, action.permission());
        }
    }
}

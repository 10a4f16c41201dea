package io.github.outlook365.camel.mail;

import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Action;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.graph.Prefer;

/**
 * An {@code outlook365:mail/<action>}: Graph answers with message bodies in the endpoint's {@code bodyContentType}, and
 * refusals about a message (gone, bad recipients) are explained by {@link MailErrors}.
 */
interface MailAction extends Outlook365Action {

    @Override
    default String preference(Outlook365Configuration configuration) {
        return Prefer.bodyContentType(configuration.getBodyContentType());
    }

    @Override
    default RuntimeException explain(GraphException e, ActionExchange exchange) {
        return MailErrors.explain(e, exchange);
    }
}

package io.github.outlook365.camel.mail;

import io.github.outlook365.camel.Outlook365Configuration;

/**
 * What one {@code outlook365:mail/<action>} does with an exchange. {@link MailProducer} runs it and turns Graph's
 * refusals into errors that say what to do.
 */
interface MailAction {

    /** Checks the endpoint's options when the route starts, before anything is sent. */
    default void validate(Outlook365Configuration configuration) {
    }

    void process(MailCall call) throws Exception;

    /** The Graph application permission the action needs, named when Graph answers 403. */
    String permission();
}

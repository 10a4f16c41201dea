package io.github.outlook365.camel.mail;

import java.util.List;

import io.github.outlook365.camel.Outlook365Operation;

/**
 * The mail triggers and actions.
 */
public final class MailOperations {

    public static final List<Outlook365Operation> OPERATIONS = List.of(
            Outlook365Operation.trigger("mail/received", MailReceivedConsumer::create),
            Outlook365Operation.action("mail/send", MailSendProducer::new));

    private MailOperations() {
    }
}

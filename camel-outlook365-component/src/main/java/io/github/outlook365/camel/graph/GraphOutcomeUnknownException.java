package io.github.outlook365.camel.graph;

import java.util.List;
import java.util.Locale;

import io.github.outlook365.camel.Outlook365Exception;

/**
 * A call that sends or creates something (sendMail, reply, forward, createEvent without transactionId, move, copy,
 * ...) reached Graph, and then its answer was lost (a timeout, a broken connection, 500/502/503/504): Graph may have
 * carried it out. It is not repeated, since repeating it could send the mail or create the item twice; the message
 * says what may have happened and what to check before trying again. The cause is the failure as it came (a
 * {@link GraphException} with status and request-id, or the I/O error).
 */
public class GraphOutcomeUnknownException extends Outlook365Exception {

    /** What a call may have done, by the last segment of its path; the first match wins. */
    private record Effect(String lastSegment, String mayHave) {
    }

    private static final List<Effect> EFFECTS = List.of(
            new Effect("sendmail", "the mail may have been sent: look in Sent Items of the mailbox before sending it again"),
            new Effect("send", "the draft may have been sent: look in Sent Items of the mailbox before sending it again"),
            new Effect("reply", "the reply may have been sent: look in Sent Items of the mailbox before replying again"),
            new Effect("replyall", "the reply may have been sent: look in Sent Items of the mailbox before replying"
                                   + " again"),
            new Effect("forward", "it may have been forwarded: look in Sent Items of the mailbox before forwarding it"
                                  + " again"),
            new Effect("events", "the event may have been created: look in the calendar before creating it again"),
            new Effect("accept", "the response may have been sent to the organizer: look at the event before"
                                 + " responding again"),
            new Effect("decline", "the response may have been sent to the organizer: look at the event before"
                                  + " responding again"),
            new Effect("tentativelyaccept", "the response may have been sent to the organizer: look at the event"
                                            + " before responding again"),
            new Effect("cancel", "the cancellation may have been sent to the attendees: look at the calendar before"
                                 + " cancelling again"),
            new Effect("move", "the message may have been moved (a moved message has a new id): look in the"
                               + " destination folder before moving it again"),
            new Effect("copy", "the message may have been copied: look in the destination folder before copying it"
                               + " again"),
            new Effect("createreply", "a reply draft may have been created: look in Drafts before creating another"),
            new Effect("createreplyall", "a reply draft may have been created: look in Drafts before creating"
                                         + " another"),
            new Effect("createforward", "a forward draft may have been created: look in Drafts before creating"
                                        + " another"),
            new Effect("messages", "the message (draft) may have been created: look in the folder before creating it"
                                   + " again"),
            new Effect("attachments", "the attachment may have been added: look at the message before adding it"
                                      + " again"),
            new Effect("createuploadsession", "an upload session may have been opened (it expires by itself): start"
                                              + " the upload again"),
            new Effect("childfolders", "the folder may have been created: list the folders before creating it again"),
            new Effect("mailfolders", "the folder may have been created: list the folders before creating it again"),
            new Effect("$batch", "some requests of the batch may have been carried out: check their items before"
                                 + " sending the batch again"));

    private final String method;
    private final String path;

    public GraphOutcomeUnknownException(String method, String path, String why, Throwable cause) {
        super("Graph " + method + " " + path + " may have been carried out: " + why + ", and it is not repeated"
              + " because repeating it could do it twice; " + effect(path), cause);
        this.method = method;
        this.path = path;
    }

    /** What the call may have done and what to check, in a sentence. */
    static String effect(String path) {
        String last = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        for (Effect effect : EFFECTS) {
            if (effect.lastSegment().equals(last)) {
                return effect.mayHave();
            }
        }
        return "check whether it took effect before repeating it";
    }

    public String getMethod() {
        return method;
    }

    public String getPath() {
        return path;
    }
}

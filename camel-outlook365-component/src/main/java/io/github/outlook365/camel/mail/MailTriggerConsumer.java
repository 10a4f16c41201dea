package io.github.outlook365.camel.mail;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.graph.GraphRequest;
import io.github.outlook365.camel.graph.Prefer;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.camel.trigger.Candidate;
import io.github.outlook365.camel.trigger.MessageTrigger;
import io.github.outlook365.camel.trigger.TriggerState;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The mail triggers, over the messages of one folder ({@link MessageTrigger} does the pages, the cursor and the dedup):
 * <ul>
 * <li>{@code mail/received}: each message that newly appears in {@code folder} (default Inbox);</li>
 * <li>{@code mail/sent}: each message that newly appears in Sent Items;</li>
 * <li>{@code mail/flagged}: each time a message of {@code folder} turns flagged (again after it was unflagged).</li>
 * </ul>
 * Each applies the filters of {@link MailFilter}, delivers the body in {@code bodyContentType}, and with
 * {@code markAsRead} marks the message read after the route succeeded.
 */
public class MailTriggerConsumer extends MessageTrigger {

    /** What the triggers ask Graph for: everything the Message record carries. */
    public static final String SELECT = "id,subject,body,bodyPreview,from,sender,toRecipients,ccRecipients,bccRecipients,replyTo,"
                                 + "receivedDateTime,sentDateTime,hasAttachments,importance,isRead,isDraft,conversationId,"
                                 + "internetMessageId,parentFolderId,categories,flag,webLink";

    /**
     * The same without the body: what mail/flagged reads of every message of its folder (its rounds cover the whole
     * folder, and few of its messages ever fire; the one that fires is read again, whole).
     */
    static final String SELECT_WITHOUT_BODY = SELECT.replace("body,", "");

    /** The three mail triggers. */
    enum Kind {
        RECEIVED("mail/received"),
        SENT("mail/sent"),
        FLAGGED("mail/flagged");

        final String trigger;

        Kind(String trigger) {
            this.trigger = trigger;
        }
    }

    private final Kind kind;
    private final MailFilter filter;
    private final String preference;
    private final String select;
    // whether the pages carry what a message's exchange needs (mail/flagged reads its pages without bodies)
    private final boolean pagesWhole;
    private String folderId;

    static MailTriggerConsumer create(Kind kind, Outlook365Endpoint endpoint, Processor processor) throws Exception {
        if (kind == Kind.FLAGGED && !endpoint.connectionSettings().environment().messageDeltaAvailable()) {
            // without message delta a change of flag cannot be seen short of re-reading the whole folder every poll
            throw new IllegalArgumentException("outlook365:" + kind.trigger + " needs Graph's message delta, which"
                                               + " environment=" + endpoint.connectionSettings().environment()
                                               + " does not offer: use mail/received with a filter on flag instead");
        }
        return new MailTriggerConsumer(kind, endpoint, processor);
    }

    MailTriggerConsumer(Kind kind, Outlook365Endpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.kind = kind;
        // bad filters fail the route's start
        this.filter = MailFilter.of(configuration, true);
        this.preference = Prefer.bodyContentType(configuration.getBodyContentType());
        boolean filterReadsBody = configuration.getFilter() != null && configuration.getFilter().contains("body");
        this.pagesWhole = kind != Kind.FLAGGED || filterReadsBody;
        // mail/flagged tells a flag set since the first sign-in by the message's lastModifiedDateTime
        this.select = kind != Kind.FLAGGED ? SELECT : (pagesWhole ? SELECT : SELECT_WITHOUT_BODY) + ",lastModifiedDateTime";
    }

    private String folder() {
        return kind == Kind.SENT ? "sentitems" : configuration.getFolder();
    }

    @Override
    protected String triggerName() {
        return kind.trigger;
    }

    @Override
    protected String scope() {
        return folder();
    }

    @Override
    protected String resolve() {
        folderId = MailFolders.resolveId(connection, folder());
        return folder();
    }

    @Override
    protected String folderId() {
        return folderId;
    }

    @Override
    protected String select() {
        return select;
    }

    @Override
    protected String preference() {
        return preference;
    }

    @Override
    protected boolean firesOnArrival() {
        return kind != Kind.FLAGGED;
    }

    @Override
    protected Candidate candidate(JsonNode message, OffsetDateTime received, boolean baselineRound) {
        String id = message.get("id").asText();
        if (kind != Kind.FLAGGED) {
            // a message the filters turn away is recorded as seen: it does not fire later when it changes
            return new Candidate(id, id, received == null ? null : received.toInstant(), new Item(message, received),
                    !baselineRound && filter.test(message));
        }
        String key = id + "#flagged";
        if (!"flagged".equalsIgnoreCase(message.path("flag").path("flagStatus").asText())) {
            // unflagged or completed: the next flagging fires again
            state().forget(key);
            return null;
        }
        // kept while the message stays flagged (no horizon): the key goes when it is unflagged or leaves the folder
        return new Candidate(key, id, null, new Item(message, received), !baselineRound && filter.test(message));
    }

    /** mail/flagged: a flag set since the first sign-in changed the message then; the others: when it arrived. */
    @Override
    protected Instant firingTime(JsonNode message, OffsetDateTime received) {
        if (kind != Kind.FLAGGED) {
            return super.firingTime(message, received);
        }
        try {
            OffsetDateTime modified = GraphJson.dateTime(message.get("lastModifiedDateTime"));
            return modified == null ? null : modified.toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    protected void removed(String id) {
        if (kind == Kind.FLAGGED) {
            state().forget(id + "#flagged");
        }
    }

    private TriggerState state() {
        return state;
    }

    /** A message as its page brought it, read once. */
    private record Item(JsonNode json, OffsetDateTime received) {
    }

    @Override
    protected void prepare(Exchange exchange, Candidate candidate) {
        Item item = (Item) candidate.item();
        JsonNode json = item.json();
        if (!pagesWhole) {
            // mail/flagged read its pages without bodies: the message that fires is read whole
            json = readMessageWhole(candidate.itemId());
        }
        // the page's JSON is read once: its receivedDateTime was parsed for the candidate already
        Message message = json == item.json() ? Message.fromGraph(json, item.received()) : Message.fromGraph(json);
        org.apache.camel.Message in = exchange.getIn();
        in.setBody(message);
        in.setHeader(Outlook365Constants.MESSAGE_ID, message.id());
        in.setHeader(Outlook365Constants.SUBJECT, message.subject());
        in.setHeader(Outlook365Constants.FROM, message.fromAddress());
        in.setHeader(Outlook365Constants.RECEIVED_DATE_TIME, message.receivedDateTime());
        in.setHeader(Outlook365Constants.CONVERSATION_ID, message.conversationId());
        in.setHeader(Outlook365Constants.INTERNET_MESSAGE_ID, message.internetMessageId());
        in.setHeader(Outlook365Constants.FOLDER_ID, folderId);
        in.setHeader(Outlook365Constants.ACCOUNT, connection.account());
        if (configuration.isIncludeAttachments() && Boolean.TRUE.equals(message.hasAttachments())) {
            IncomingAttachments.attach(connection, message.id(), exchange);
        }
    }

    private JsonNode readMessageWhole(String id) {
        GraphRequest request = GraphRequest.get(connection.account(), connection.mailboxPath() + "/messages/"
                                                                      + GraphClient.encodePathSegment(id) + "?$select="
                                                                      + SELECT);
        return connection.graph().execute(request.prefer(preference)).body();
    }

    @Override
    protected void afterSuccess(Candidate candidate) {
        JsonNode json = ((Item) candidate.item()).json();
        if (configuration.isMarkAsRead() && !json.path("isRead").asBoolean(false)) {
            UpdateAction.markRead(connection, candidate.itemId());
        }
    }
}

package io.github.outlook365.camel.mail;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.graph.DeltaRound;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphRequest;
import io.github.outlook365.camel.graph.Prefer;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.camel.trigger.DeltaTriggerConsumer;
import io.github.outlook365.camel.trigger.TriggerState;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * The mail triggers, over Graph's message delta of one folder ({@link DeltaTriggerConsumer} does the rounds, the
 * cursor and the dedup):
 * <ul>
 * <li>{@code mail/received}: each message that newly appears in {@code folder} (default Inbox);</li>
 * <li>{@code mail/sent}: each message that newly appears in Sent Items;</li>
 * <li>{@code mail/flagged}: each time a message of {@code folder} turns flagged (again after it was unflagged).</li>
 * </ul>
 * Each applies the filters of {@link MailFilter}, delivers the body in {@code bodyContentType}, and with
 * {@code markAsRead} marks the message read after the route succeeded.
 */
public class MailTriggerConsumer extends DeltaTriggerConsumer {

    /** What the triggers ask Graph for: everything the Message record carries. */
    static final String SELECT = "id,subject,body,bodyPreview,from,sender,toRecipients,ccRecipients,bccRecipients,replyTo,"
                                 + "receivedDateTime,sentDateTime,hasAttachments,importance,isRead,isDraft,conversationId,"
                                 + "internetMessageId,parentFolderId,categories,flag,webLink";

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
    private String folderId;

    static MailTriggerConsumer create(Kind kind, Outlook365Endpoint endpoint, Processor processor) throws Exception {
        if (kind == Kind.FLAGGED && !endpoint.connectionSettings().environment().messageDeltaAvailable()) {
            // without message delta a change of flag cannot be seen short of re-reading the whole folder every poll
            throw new IllegalArgumentException("outlook365:" + kind.trigger + " needs Graph's message delta, which"
                                               + " environment=" + endpoint.connectionSettings().environment()
                                               + " does not offer: use mail/received with a filter on flag instead");
        }
        MailTriggerConsumer consumer = new MailTriggerConsumer(kind, endpoint, processor);
        return consumer;
    }

    MailTriggerConsumer(Kind kind, Outlook365Endpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.kind = kind;
        // bad filters fail the route's start
        this.filter = MailFilter.of(configuration, true);
        this.preference = Prefer.bodyContentType(configuration.getBodyContentType());
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
    protected void resolve() {
        folderId = MailFolders.resolveId(connection, folder());
    }

    @Override
    protected String initialLink(Instant from) {
        String link = connection.mailboxPath() + "/mailFolders/" + GraphClient.encodePathSegment(folderId)
                      + "/messages/delta?$select=" + SELECT;
        if (kind == Kind.FLAGGED) {
            // a message flagged today may have arrived long ago: the round covers the whole folder
            return link;
        }
        return link + "&$filter=" + GraphClient.encodeQueryValue("receivedDateTime ge " + from.truncatedTo(ChronoUnit.SECONDS));
    }

    @Override
    protected boolean usesDelta() {
        return endpoint.connectionSettings().environment().messageDeltaAvailable();
    }

    /**
     * Where Graph offers no message delta (environment=china): the folder's messages received since {@code from},
     * oldest first. The cursor is the newest receivedDateTime delivered; what shares that instant comes again and dedup
     * absorbs it, as after a delta reset. Unlike delta, a message moved into the folder with an older receivedDateTime
     * does not fire.
     */
    @Override
    protected DeltaRound listSince(Instant from) {
        List<JsonNode> items = new ArrayList<>();
        String url = connection.mailboxPath() + "/mailFolders/" + GraphClient.encodePathSegment(folderId)
                     + "/messages?$select=" + SELECT
                     + "&$filter=" + GraphClient.encodeQueryValue("receivedDateTime ge " + from.truncatedTo(ChronoUnit.SECONDS))
                     + "&$orderby=" + GraphClient.encodeQueryValue("receivedDateTime asc")
                     + "&$top=" + configuration.getPageSize();
        int calls = 0;
        while (url != null) {
            GraphRequest request = GraphRequest.get(connection.account(), url);
            JsonNode page = connection.graph().execute(request.prefer(preference)).body();
            calls++;
            page.path("value").forEach(items::add);
            url = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
        }
        return new DeltaRound(items, null, calls);
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
    protected String fireKey(JsonNode item, TriggerState state) {
        String id = item.get("id").asText();
        if (kind != Kind.FLAGGED) {
            return id;
        }
        String key = id + "#flagged";
        if ("flagged".equalsIgnoreCase(item.path("flag").path("flagStatus").asText())) {
            return key;
        }
        // unflagged or completed: the next flagging fires again
        state.forget(key);
        return null;
    }

    @Override
    protected boolean accepts(JsonNode item) {
        return filter.test(item);
    }

    @Override
    protected void prepare(Exchange exchange, JsonNode item) {
        Message message = Message.fromGraph(item);
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

    @Override
    protected void afterSuccess(JsonNode item) {
        if (configuration.isMarkAsRead() && !item.path("isRead").asBoolean(false)) {
            UpdateAction.markRead(connection, item.get("id").asText());
        }
    }
}

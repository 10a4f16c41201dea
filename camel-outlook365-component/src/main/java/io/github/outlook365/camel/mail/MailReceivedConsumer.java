package io.github.outlook365.camel.mail;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.graph.DeltaRound;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.camel.trigger.Cursor;
import io.github.outlook365.camel.trigger.TriggerState;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code outlook365:mail/received}: fires once for each message that newly arrives in a folder.
 * <p>
 * Each poll runs one message-delta round on the folder. The first start sets a baseline: what is already there does not
 * fire (unless {@code since} asks for a backlog). Every message fires once: the ids delivered are remembered, so updates
 * (read, flagged) and replayed rounds do not fire again. The round's delta link is committed only after every exchange
 * of the round succeeded; a failed exchange makes the next poll replay the round from the stored link. When Graph
 * forgets a delta token (410 Gone) the round restarts from the newest receivedDateTime seen, and dedup absorbs the
 * overlap.
 * <p>
 * Where Graph offers no message delta (environment=china) a round lists the folder's messages received since the
 * cursor's receivedDateTime, oldest first, with the same dedup and commit rules.
 */
public class MailReceivedConsumer extends ScheduledPollConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(MailReceivedConsumer.class);

    /** What the trigger asks Graph for: everything the Message record carries. */
    static final String SELECT = "id,subject,body,bodyPreview,from,sender,toRecipients,ccRecipients,bccRecipients,replyTo,"
                                 + "receivedDateTime,sentDateTime,hasAttachments,importance,isRead,isDraft,conversationId,"
                                 + "internetMessageId,parentFolderId,categories,flag,webLink";

    // a new trigger's baseline lies this far before its start, so a clock a little ahead of Exchange's loses nothing;
    // what the baseline round finds is recorded as already there and does not fire
    private static final long BASELINE_SKEW_SECONDS = 60;

    private final Outlook365Endpoint endpoint;
    private final Outlook365Configuration configuration;
    private Outlook365Connection connection;
    private TriggerState state;
    private String folderId;
    private Cursor cursor;
    // false where Graph offers no message delta (the China cloud): rounds list the folder by receivedDateTime instead
    private final boolean useDelta;

    // the round in progress: what is still to fire, and the link to commit once it is all done
    private Deque<Message> pending;
    private String pendingDeltaLink;

    static MailReceivedConsumer create(Outlook365Endpoint endpoint, Processor processor) throws Exception {
        MailReceivedConsumer consumer = new MailReceivedConsumer(endpoint, processor);
        endpoint.configureConsumer(consumer);
        return consumer;
    }

    public MailReceivedConsumer(Outlook365Endpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.configuration = endpoint.getConfiguration();
        this.useDelta = endpoint.connectionSettings().environment().messageDeltaAvailable();
    }

    @Override
    protected void doStart() throws Exception {
        connection = endpoint.connection();
        folderId = MailFolders.resolveId(connection, configuration.getFolder());
        state = endpoint.triggerState("mail.received", configuration.getFolder());
        cursor = state.cursor();
        if (cursor != null && cursor.deltaLink() != null && !cursor.deltaLink().startsWith(connection.graph().root() + "/")) {
            // the state was written against another Graph endpoint: its link is worthless here, its position is not
            LOG.warn("The stored delta link of folder '{}' belongs to another Graph endpoint; restarting from {}",
                    configuration.getFolder(), cursor.restartFrom());
            cursor = cursor.withDeltaLink(null);
        }
        if (cursor == null) {
            cursor = firstCursor();
            state.commit(cursor);
        }
        if (!useDelta) {
            LOG.info("environment={} offers no message delta: outlook365:mail/received polls folder '{}' by"
                     + " receivedDateTime instead", endpoint.connectionSettings().environment(), configuration.getFolder());
        }
        LOG.info("outlook365:mail/received watches folder '{}' of {} (fires for mail received from {}{})",
                configuration.getFolder(), connection.account(), cursor.baseline(),
                cursor.deltaLink() != null ? ", resuming from its stored cursor" : "");
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        // what was fetched but not fired is fetched again from the stored cursor
        pending = null;
        pendingDeltaLink = null;
    }

    private Cursor firstCursor() {
        if (configuration.getSince() != null && !configuration.getSince().isBlank()) {
            return new Cursor(null, parseSince(configuration.getSince()), null);
        }
        Instant baseline = Instant.now().minusSeconds(BASELINE_SKEW_SECONDS).truncatedTo(ChronoUnit.SECONDS);
        DeltaRound round = useDelta
                ? connection.graph().deltaRound(connection.account(), initialLink(baseline), configuration.getPageSize())
                : receivedSince(baseline);
        Cursor first = new Cursor(round.deltaLink(), baseline, null);
        int existing = 0;
        for (JsonNode item : round.items()) {
            if (!item.has("@removed") && item.hasNonNull("id")) {
                state.markDelivered(item.get("id").asText());
                first = first.seen(receivedAt(item));
                existing++;
            }
        }
        LOG.debug("Baseline of folder '{}': {} recent messages already there do not fire", configuration.getFolder(),
                existing);
        return first;
    }

    @Override
    protected int poll() throws Exception {
        if (pending == null) {
            DeltaRound round = fetchRound();
            pending = new ArrayDeque<>(newMessages(round));
            pendingDeltaLink = round.deltaLink();
        }
        int max = configuration.getMaxMessagesPerPoll();
        int fired = 0;
        while (!pending.isEmpty() && (max <= 0 || fired < max) && isRunAllowed()) {
            Message message = pending.peekFirst();
            if (state.delivered(message.id())) {
                pending.removeFirst();
                continue;
            }
            Exchange exchange = createExchange(message);
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            fired++;
            if (exchange.getException() != null) {
                getExceptionHandler().handleException(
                        "outlook365:mail/received: the route failed on message " + message.id()
                                                      + "; it fires again when the round is replayed from the stored cursor",
                        exchange, exchange.getException());
                releaseExchange(exchange, false);
                pending = null;
                pendingDeltaLink = null;
                return fired;
            }
            state.markDelivered(message.id());
            cursor = cursor.seen(message.receivedDateTime() == null ? null : message.receivedDateTime().toInstant());
            pending.removeFirst();
            releaseExchange(exchange, false);
        }
        if (pending.isEmpty()) {
            cursor = cursor.withDeltaLink(pendingDeltaLink);
            state.commit(cursor);
            pending = null;
            pendingDeltaLink = null;
        }
        return fired;
    }

    private DeltaRound fetchRound() {
        if (!useDelta) {
            return receivedSince(cursor.restartFrom());
        }
        String start = cursor.deltaLink() != null ? cursor.deltaLink() : initialLink(cursor.restartFrom());
        try {
            return connection.graph().deltaRound(connection.account(), start, configuration.getPageSize());
        } catch (GraphException e) {
            if (!e.isDeltaReset() || cursor.deltaLink() == null) {
                throw e;
            }
            LOG.warn("Graph no longer knows the delta token of folder '{}' of {} ({}); restarting the round from {}",
                    configuration.getFolder(), connection.account(), e.getCode(), cursor.restartFrom());
            cursor = cursor.withDeltaLink(null);
            state.commit(cursor);
            return connection.graph().deltaRound(connection.account(), initialLink(cursor.restartFrom()),
                    configuration.getPageSize());
        }
    }

    /** What in the round fires: new, not removed, not delivered before, not older than the baseline; oldest first. */
    private List<Message> newMessages(DeltaRound round) {
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        for (JsonNode item : round.items()) {
            if (item.hasNonNull("id")) {
                latest.put(item.get("id").asText(), item);
            }
        }
        List<Message> messages = new ArrayList<>();
        for (JsonNode item : latest.values()) {
            if (item.has("@removed")) {
                continue;
            }
            Instant received = receivedAt(item);
            if (received != null && received.isBefore(cursor.baseline())) {
                continue;
            }
            if (!state.delivered(item.get("id").asText())) {
                messages.add(Message.fromGraph(item));
            }
        }
        messages.sort(Comparator.comparing(Message::receivedDateTime, Comparator.nullsLast(Comparator.naturalOrder())));
        return messages;
    }

    /**
     * A round without message delta: every message received since {@code from} (inclusive), oldest first, every page
     * followed. The cursor is the newest receivedDateTime delivered; what shares that instant comes again and dedup
     * absorbs it, as after a delta reset. Unlike delta, a message moved into the folder with an older receivedDateTime
     * does not fire.
     */
    private DeltaRound receivedSince(Instant from) {
        List<JsonNode> items = new ArrayList<>();
        String url = connection.mailboxPath() + "/mailFolders/" + GraphClient.encodePathSegment(folderId)
                     + "/messages?$select=" + SELECT
                     + "&$filter=" + GraphClient.encodeQueryValue("receivedDateTime ge " + from.truncatedTo(ChronoUnit.SECONDS))
                     + "&$orderby=" + GraphClient.encodeQueryValue("receivedDateTime asc")
                     + "&$top=" + configuration.getPageSize();
        int calls = 0;
        while (url != null) {
            JsonNode page = connection.graph().get(connection.account(), url);
            calls++;
            page.path("value").forEach(items::add);
            url = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
        }
        return new DeltaRound(items, null, calls);
    }

    private String initialLink(Instant from) {
        return connection.mailboxPath() + "/mailFolders/" + GraphClient.encodePathSegment(folderId)
               + "/messages/delta?$select=" + SELECT
               + "&$filter=" + GraphClient.encodeQueryValue("receivedDateTime ge " + from.truncatedTo(ChronoUnit.SECONDS));
    }

    private Exchange createExchange(Message message) {
        Exchange exchange = createExchange(false);
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
        return exchange;
    }

    private static Instant receivedAt(JsonNode item) {
        JsonNode value = item.get("receivedDateTime");
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.asText()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static Instant parseSince(String since) {
        try {
            return OffsetDateTime.parse(since.trim()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("option since='" + since + "' is not an ISO-8601 date-time with an offset:"
                                               + " give e.g. 2026-01-31T00:00:00Z");
        }
    }
}

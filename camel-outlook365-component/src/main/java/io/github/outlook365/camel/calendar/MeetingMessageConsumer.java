package io.github.outlook365.camel.calendar;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.graph.DeltaRound;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.graph.GraphRequest;
import io.github.outlook365.camel.model.EventMessage;
import io.github.outlook365.camel.trigger.Cursor;
import io.github.outlook365.camel.trigger.TriggerState;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code outlook365:calendar/invitationReceived} (meeting requests, eventMessageRequest) and
 * {@code outlook365:calendar/responseReceived} (attendees' answers, eventMessageResponse): fire once for each such
 * message that arrives in the Inbox, with the related event attached ({@link EventMessage}).
 * <p>
 * Works like mail/received, with the same {@link Cursor}: a message-delta round on the Inbox per poll, a baseline at
 * the first start (what is there already does not fire), dedup by message id, the delta link committed after every
 * exchange of the round succeeded, a 410 reset restarting from the newest receivedDateTime seen. Each message that
 * fires is read once more with {@code $expand=microsoft.graph.eventMessage/event}.
 */
public class MeetingMessageConsumer extends ScheduledPollConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(MeetingMessageConsumer.class);
    private static final long BASELINE_SKEW_SECONDS = 60;

    private final Outlook365Endpoint endpoint;
    private final Outlook365Configuration configuration;
    private final String trigger;
    private final Set<String> types;
    private final String timeZone;
    private Outlook365Connection connection;
    private TriggerState state;
    private Cursor cursor;
    private Deque<JsonNode> pending;
    private String pendingDeltaLink;

    static MeetingMessageConsumer invitations(Outlook365Endpoint endpoint, Processor processor) throws Exception {
        return create(endpoint, processor, "invitationReceived", Set.of("#microsoft.graph.eventMessageRequest"));
    }

    static MeetingMessageConsumer responses(Outlook365Endpoint endpoint, Processor processor) throws Exception {
        return create(endpoint, processor, "responseReceived", Set.of("#microsoft.graph.eventMessageResponse"));
    }

    private static MeetingMessageConsumer create(Outlook365Endpoint endpoint, Processor processor, String trigger,
                                                 Set<String> types) throws Exception {
        MeetingMessageConsumer consumer = new MeetingMessageConsumer(endpoint, processor, trigger, types);
        endpoint.configureConsumer(consumer);
        return consumer;
    }

    public MeetingMessageConsumer(Outlook365Endpoint endpoint, Processor processor, String trigger, Set<String> types) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.configuration = endpoint.getConfiguration();
        this.trigger = trigger;
        this.types = types;
        this.timeZone = CalendarTimes.checkOption(configuration.getTimeZone());
    }

    @Override
    protected void doStart() throws Exception {
        connection = endpoint.connection();
        state = endpoint.triggerState("calendar." + trigger, "inbox");
        cursor = state.cursor();
        if (cursor != null && cursor.deltaLink() != null && !cursor.deltaLink().startsWith(connection.graph().root() + "/")) {
            cursor = cursor.withDeltaLink(null);
        }
        if (cursor == null) {
            Instant baseline = Instant.now().minusSeconds(BASELINE_SKEW_SECONDS).truncatedTo(ChronoUnit.SECONDS);
            DeltaRound round = round(initialLink(baseline));
            Cursor first = new Cursor(round.deltaLink(), baseline, null);
            for (JsonNode item : round.items()) {
                if (!item.has("@removed") && item.hasNonNull("id")) {
                    state.markDelivered(item.get("id").asText());
                    first = first.seen(received(item));
                }
            }
            cursor = first;
            state.commit(cursor);
        }
        LOG.info("outlook365:calendar/{} watches the Inbox of {}", trigger, connection.account());
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        pending = null;
        pendingDeltaLink = null;
    }

    @Override
    protected int poll() throws Exception {
        if (connection.lifecycle().pollPaused()) {
            // BROKEN, or the token endpoint failed: nothing fires and the cursor stays until the next backoff step
            return 0;
        }
        if (pending == null) {
            DeltaRound round = fetchRound();
            pending = new ArrayDeque<>(wanted(round));
            pendingDeltaLink = round.deltaLink();
        }
        int max = configuration.getMaxMessagesPerPoll();
        int fired = 0;
        while (!pending.isEmpty() && (max <= 0 || fired < max) && isRunAllowed()) {
            JsonNode item = pending.peekFirst();
            String id = item.get("id").asText();
            if (state.delivered(id)) {
                pending.removeFirst();
                continue;
            }
            EventMessage message = EventMessage.fromGraph(expanded(id));
            Exchange exchange = createExchange(message);
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            fired++;
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("outlook365:calendar/" + trigger + ": the route failed on message "
                                                      + id + "; it fires again when the round is replayed", exchange,
                        exchange.getException());
                releaseExchange(exchange, false);
                pending = null;
                pendingDeltaLink = null;
                return fired;
            }
            state.markDelivered(id);
            cursor = cursor.seen(received(item));
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
        String start = cursor.deltaLink() != null ? cursor.deltaLink() : initialLink(cursor.restartFrom());
        try {
            return round(start);
        } catch (GraphException e) {
            if (!e.isDeltaReset() || cursor.deltaLink() == null) {
                throw e;
            }
            LOG.warn("Graph no longer knows the delta token of the Inbox of {} ({}); restarting from {}",
                    connection.account(), e.getCode(), cursor.restartFrom());
            cursor = cursor.withDeltaLink(null);
            state.commit(cursor);
            return round(initialLink(cursor.restartFrom()));
        }
    }

    private DeltaRound round(String link) {
        try {
            return connection.graph().deltaRound(connection.account(), link, configuration.getPageSize());
        } catch (GraphException e) {
            if (e.isDeltaReset()) {
                throw e;
            }
            if (e.getStatus() == 403) {
                throw new io.github.outlook365.camel.Outlook365Exception("the app may not read the mail of '"
                                                                         + connection.account() + "' (" + e.getCode()
                                                                         + "): meeting messages arrive as mail; an admin"
                                                                         + " must grant the application permission"
                                                                         + " Mail.Read (request-id " + e.getRequestId()
                                                                         + ")", e);
            }
            throw Calendars.explain(e, connection, null, "watch");
        }
    }

    private List<JsonNode> wanted(DeltaRound round) {
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        for (JsonNode item : round.items()) {
            if (item.hasNonNull("id")) {
                latest.put(item.get("id").asText(), item);
            }
        }
        List<JsonNode> result = new ArrayList<>();
        for (JsonNode item : latest.values()) {
            if (item.has("@removed") || !types.contains(item.path("@odata.type").asText(""))) {
                continue;
            }
            Instant received = received(item);
            if (received != null && received.isBefore(cursor.baseline())) {
                continue;
            }
            if (!state.delivered(item.get("id").asText())) {
                result.add(item);
            }
        }
        result.sort((a, b) -> String.valueOf(a.path("receivedDateTime").asText())
                .compareTo(String.valueOf(b.path("receivedDateTime").asText())));
        return result;
    }

    private JsonNode expanded(String id) {
        GraphRequest request = GraphRequest.get(connection.account(), connection.mailboxPath() + "/messages/"
                                                                      + GraphClient.encodePathSegment(id)
                                                                      + "?$expand=microsoft.graph.eventMessage/event");
        if (timeZone != null) {
            request = request.withHeader("Prefer", "outlook.timezone=\"" + timeZone + "\"");
        }
        try {
            return connection.graph().execute(request).body();
        } catch (GraphException e) {
            throw Calendars.explain(e, connection, null, "read events of");
        }
    }

    private String initialLink(Instant from) {
        return connection.mailboxPath() + "/mailFolders/inbox/messages/delta?$filter="
               + GraphClient.encodeQueryValue("receivedDateTime ge " + from.truncatedTo(ChronoUnit.SECONDS));
    }

    private Exchange createExchange(EventMessage message) {
        Exchange exchange = createExchange(false);
        org.apache.camel.Message in = exchange.getIn();
        in.setBody(message);
        in.setHeader(Outlook365Constants.MESSAGE_ID, message.message().id());
        in.setHeader(Outlook365Constants.SUBJECT, message.message().subject());
        in.setHeader(Outlook365Constants.FROM, message.message().fromAddress());
        in.setHeader(Outlook365Constants.RECEIVED_DATE_TIME, message.message().receivedDateTime());
        in.setHeader(Outlook365Constants.MEETING_MESSAGE_TYPE, message.meetingMessageType());
        in.setHeader(Outlook365Constants.ACCOUNT, connection.account());
        if (message.event() != null) {
            EventHeaders.set(in, message.event(), timeZone);
        }
        return exchange;
    }


    private static Instant received(JsonNode item) {
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
}

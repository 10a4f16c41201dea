package io.github.outlook365.camel.calendar;

import java.time.OffsetDateTime;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.graph.GraphRequest;
import io.github.outlook365.camel.graph.Prefer;
import io.github.outlook365.camel.model.EventMessage;
import io.github.outlook365.camel.trigger.Candidate;
import io.github.outlook365.camel.trigger.MessageTrigger;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * {@code outlook365:calendar/invitationReceived} (meeting requests, eventMessageRequest) and
 * {@code outlook365:calendar/responseReceived} (attendees' answers, eventMessageResponse): fire once for each such
 * message that arrives in the Inbox, with the related event attached ({@link EventMessage}).
 * <p>
 * Meeting messages are mail, so this is the mail triggers' machinery ({@link MessageTrigger}): the Inbox's message
 * delta page by page, a baseline at the first start, dedup by message id, a reset read again from the newest message
 * seen, a pause while the connection is BROKEN. Its pages carry only ids, types and times (no bodies); each message that
 * fires is read once more with {@code $expand=microsoft.graph.eventMessage/event}.
 */
public class MeetingMessageConsumer extends MessageTrigger {

    /** What the pages carry: enough to tell a meeting message (its @odata.type comes along) and when it arrived. */
    static final String SELECT = "id,receivedDateTime";

    private final String trigger;
    private final Set<String> types;
    private final String timeZone;

    static MeetingMessageConsumer invitations(Outlook365Endpoint endpoint, Processor processor) throws Exception {
        return create(endpoint, processor, "invitationReceived", Set.of("#microsoft.graph.eventMessageRequest"));
    }

    static MeetingMessageConsumer responses(Outlook365Endpoint endpoint, Processor processor) throws Exception {
        return create(endpoint, processor, "responseReceived", Set.of("#microsoft.graph.eventMessageResponse"));
    }

    private static MeetingMessageConsumer create(Outlook365Endpoint endpoint, Processor processor, String trigger,
                                                 Set<String> types) throws Exception {
        MeetingMessageConsumer consumer = new MeetingMessageConsumer(endpoint, processor, trigger, types);
        return consumer;
    }

    public MeetingMessageConsumer(Outlook365Endpoint endpoint, Processor processor, String trigger, Set<String> types) {
        super(endpoint, processor);
        this.trigger = trigger;
        this.types = types;
        this.timeZone = CalendarTimes.checkOption(configuration.getTimeZone());
    }

    @Override
    protected String triggerName() {
        return "calendar/" + trigger;
    }

    @Override
    protected String scope() {
        return "inbox";
    }

    @Override
    protected String resolve() {
        // the Inbox is addressed by its well-known name
        return "inbox";
    }

    @Override
    protected String folderId() {
        return "inbox";
    }

    @Override
    protected String select() {
        return SELECT;
    }

    /** Only meeting messages of the trigger's kind; other mail of the Inbox never concerns it. */
    @Override
    protected Candidate candidate(JsonNode message, OffsetDateTime received, boolean baselineRound) {
        if (!types.contains(message.path("@odata.type").asText(""))) {
            return null;
        }
        String id = message.get("id").asText();
        return new Candidate(id, id, received == null ? null : received.toInstant(), null, !baselineRound);
    }

    @Override
    protected void prepare(Exchange exchange, Candidate candidate) {
        EventMessage message = EventMessage.fromGraph(expanded(candidate.itemId()));
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
    }

    private JsonNode expanded(String id) {
        GraphRequest request = GraphRequest.get(connection.account(), connection.mailboxPath() + "/messages/"
                                                                      + GraphClient.encodePathSegment(id)
                                                                      + "?$expand=microsoft.graph.eventMessage/event")
                .prefer(Prefer.timeZone(timeZone));
        try {
            return connection.graph().execute(request).body();
        } catch (GraphException e) {
            throw Calendars.explain(e, connection, null, "read events of");
        }
    }
}

package io.github.outlook365.camel.calendar;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.graph.GraphRequest;
import io.github.outlook365.camel.graph.Prefer;
import io.github.outlook365.camel.model.EventMessage;
import io.github.outlook365.camel.trigger.DeltaTriggerConsumer;
import io.github.outlook365.camel.trigger.TriggerState;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * {@code outlook365:calendar/invitationReceived} (meeting requests, eventMessageRequest) and
 * {@code outlook365:calendar/responseReceived} (attendees' answers, eventMessageResponse): fire once for each such
 * message that arrives in the Inbox, with the related event attached ({@link EventMessage}).
 * <p>
 * Meeting messages are mail, so this is the mail trigger's machinery ({@link DeltaTriggerConsumer}): a message-delta
 * round on the Inbox per poll, a baseline at the first start, dedup by message id, the delta link committed after every
 * exchange of the round succeeded, a 410 reset restarting from the newest receivedDateTime seen, a pause while the
 * connection is BROKEN. Each message that fires is read once more with {@code $expand=microsoft.graph.eventMessage/event}.
 */
public class MeetingMessageConsumer extends DeltaTriggerConsumer {

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
    protected void resolve() {
        // the Inbox is addressed by its well-known name
    }

    @Override
    protected String initialLink(Instant from) {
        return connection.mailboxPath() + "/mailFolders/inbox/messages/delta?$filter="
               + GraphClient.encodeQueryValue("receivedDateTime ge " + from.truncatedTo(ChronoUnit.SECONDS));
    }

    @Override
    protected String fireKey(JsonNode item, TriggerState state) {
        return item.get("id").asText();
    }

    /** Only meeting messages of the trigger's kind; other mail of the Inbox is seen and passed over. */
    @Override
    protected boolean accepts(JsonNode item) {
        return types.contains(item.path("@odata.type").asText(""));
    }

    @Override
    protected void prepare(Exchange exchange, JsonNode item) {
        EventMessage message = EventMessage.fromGraph(expanded(item.get("id").asText()));
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

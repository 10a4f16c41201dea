package io.github.outlook365.camel.calendar;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.graph.GraphRequest;
import io.github.outlook365.camel.graph.Prefer;
import io.github.outlook365.camel.model.Calendar;
import io.github.outlook365.camel.model.Event;
import io.github.outlook365.camel.trigger.TriggerState;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code outlook365:calendar/startingSoon}: fires once for each event occurrence that starts within
 * {@code minutesBefore} minutes (default 15).
 * <p>
 * Each poll reads the calendar view from a little before now to {@code minutesBefore} ahead (series expanded into
 * occurrences) and fires for each instance that starts in that span and is not cancelled. The dedup key is the
 * instance's id and start, kept in the trigger's IdempotentRepository: an occurrence fires once, also across a
 * restart inside its window, and an event moved to a later time fires again before its new start. What the route
 * fails on fires again at the next poll, while it has not started more than a poll ago.
 */
public class StartingSoonConsumer extends ScheduledPollConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(StartingSoonConsumer.class);
    private static final Duration MIN_GRACE = Duration.ofMinutes(1);
    private static final int PAGE = 50;

    private final Outlook365Endpoint endpoint;
    private final Outlook365Configuration configuration;
    private final String timeZone;
    private Outlook365Connection connection;
    private Calendar calendar;
    private String viewPath;
    private TriggerState state;

    static StartingSoonConsumer create(Outlook365Endpoint endpoint, Processor processor) throws Exception {
        StartingSoonConsumer consumer = new StartingSoonConsumer(endpoint, processor);
        return consumer;
    }

    public StartingSoonConsumer(Outlook365Endpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.configuration = endpoint.getConfiguration();
        this.timeZone = CalendarTimes.checkOption(configuration.getTimeZone());
        if (configuration.getMinutesBefore() < 0 || configuration.getMinutesBefore() > 10080) {
            throw new IllegalArgumentException("option minutesBefore must be from 0 to 10080 (a week), not "
                                               + configuration.getMinutesBefore());
        }
    }

    @Override
    protected void doStart() throws Exception {
        connection = endpoint.openCheckedConnection();
        calendar = Calendars.resolve(connection, configuration.getCalendar());
        boolean named = configuration.getCalendar() != null && !configuration.getCalendar().isBlank();
        viewPath = connection.mailboxPath() + Calendars.path(connection, named ? calendar.id() : null) + "/calendarView";
        state = endpoint.triggerState("calendar.startingSoon", CalendarChangeConsumer.stateScope(named, calendar));
        LOG.info("outlook365:calendar/startingSoon watches calendar '{}' of {} for events starting within {} minutes",
                calendar.name(), connection.account(), configuration.getMinutesBefore());
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (state != null) {
            state.close();
        }
    }

    /** How long after its start an occurrence still fires: a poll may come a little late. */
    private Duration grace() {
        Duration delay = Duration.ofMillis(Math.max(0, getDelay()));
        return delay.compareTo(MIN_GRACE) > 0 ? delay : MIN_GRACE;
    }

    @Override
    protected int poll() throws Exception {
        if (connection.lifecycle().pollPaused()) {
            // BROKEN, or the token endpoint failed: nothing fires and the cursor stays until the next backoff step
            return 0;
        }
        Instant now = Instant.now();
        Instant from = now.minus(grace());
        Instant to = now.plus(Duration.ofMinutes(configuration.getMinutesBefore())).plusSeconds(1);
        List<Event> soon = new ArrayList<>();
        for (Event event : view(from, to)) {
            if (Boolean.TRUE.equals(event.isCancelled()) || event.start() == null) {
                continue;
            }
            Instant start = event.startTime().toInstant();
            if (start.isBefore(from) || start.isAfter(to)) {
                continue;
            }
            soon.add(event);
        }
        int max = configuration.getMaxMessagesPerPoll();
        int fired = 0;
        for (Event event : soon) {
            if ((max > 0 && fired >= max) || !isRunAllowed()) {
                break;
            }
            String key = "soon:" + event.id() + "@" + event.startTime().toInstant().getEpochSecond();
            if (state.delivered(key)) {
                continue;
            }
            Exchange exchange = createExchange(event);
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            fired++;
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("outlook365:calendar/startingSoon: the route failed on event "
                                                      + event.id() + "; it fires again at the next poll", exchange,
                        exchange.getException());
                releaseExchange(exchange, false);
                continue;
            }
            state.markDelivered(key);
            releaseExchange(exchange, false);
        }
        return fired;
    }

    private List<Event> view(Instant from, Instant to) {
        List<Event> events = new ArrayList<>();
        String url = viewPath + "?startDateTime=" + CalendarTimes.queryValue(from) + "&endDateTime="
                     + CalendarTimes.queryValue(to) + "&$top=" + PAGE;
        try {
            while (url != null) {
                GraphRequest request = GraphRequest.get(connection.account(), url).prefer(Prefer.timeZone(timeZone));
                JsonNode page = connection.graph().execute(request).body();
                page.path("value").forEach(e -> events.add(Event.fromGraph(e)));
                url = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
            }
        } catch (GraphException e) {
            throw Calendars.explain(e, connection, null, "watch");
        }
        return events;
    }

    private Exchange createExchange(Event event) {
        Exchange exchange = createExchange(false);
        org.apache.camel.Message in = exchange.getIn();
        in.setBody(event);
        EventHeaders.setWithCalendar(in, event, timeZone, calendar.id(), connection.account());
        return exchange;
    }

}

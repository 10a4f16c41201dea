package io.github.outlook365.camel.calendar;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.graph.GraphPage;
import io.github.outlook365.camel.graph.Prefer;
import io.github.outlook365.camel.model.Calendar;
import io.github.outlook365.camel.model.Event;
import io.github.outlook365.camel.trigger.Candidate;
import io.github.outlook365.camel.trigger.Cursor;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.trigger.Page;
import io.github.outlook365.camel.trigger.PushResource;
import io.github.outlook365.camel.trigger.ParkedItem;
import io.github.outlook365.camel.trigger.TriggerConsumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * {@code outlook365:calendar/startingSoon}: fires once for each event occurrence that starts within
 * {@code minutesBefore} minutes (default 15).
 * <p>
 * Each round (one poll, on the one trigger engine, {@link TriggerConsumer}) reads the calendar view from a little before
 * now to {@code minutesBefore} ahead, page by page (series expanded into occurrences), and fires for each instance that
 * starts in that span and is not cancelled. The dedup key is the instance's id and start, and belongs to that start: an
 * occurrence fires once, also across a restart inside its window, an event moved to a later time fires again before its
 * new start, and keys of occurrences that started more than an hour before the window are forgotten. What the route
 * fails on fires again at the next poll, while it has not started more than a poll ago.
 */
public class StartingSoonConsumer extends TriggerConsumer {

    private static final Duration MIN_GRACE = Duration.ofMinutes(1);
    /** Keys are kept this long after an occurrence's start left the window. */
    private static final Duration OVERLAP = Duration.ofHours(1);
    // the view covers minutes, not a mailbox: a small page is plenty
    private static final int PAGE = 50;

    private final String timeZone;
    private Calendar calendar;
    private String viewPath;

    static StartingSoonConsumer create(Outlook365Endpoint endpoint, Processor processor) throws Exception {
        return new StartingSoonConsumer(endpoint, processor);
    }

    public StartingSoonConsumer(Outlook365Endpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.timeZone = CalendarTimes.checkOption(configuration.getTimeZone());
        if (configuration.getMinutesBefore() < 0 || configuration.getMinutesBefore() > 10080) {
            throw new IllegalArgumentException("option minutesBefore must be from 0 to 10080 (a week), not "
                                               + configuration.getMinutesBefore());
        }
    }

    @Override
    protected String triggerName() {
        return "calendar/startingSoon";
    }

    @Override
    protected String scope() {
        return Calendars.describe(calendar, configuration.getCalendar());
    }

    @Override
    protected String resolve() {
        calendar = Calendars.resolve(connection, configuration.getCalendar());
        boolean named = configuration.getCalendar() != null && !configuration.getCalendar().isBlank();
        viewPath = connection.mailboxPath() + Calendars.path(connection, named ? calendar.id() : null) + "/calendarView";
        return CalendarChangeConsumer.stateScope(named, calendar);
    }

    /** The calendar's events, created or changed (one may now start soon). */
    @Override
    protected PushResource pushResource() {
        return PushResource.of(connection.mailboxPath() + "/calendars/" + GraphClient.encodePathSegment(calendar.id())
                               + "/events", "created,updated");
    }

    /**
     * A trigger that waited for its connection's first sign-in reaches back to it in its first round: an occurrence
     * that started since the sign-in (it was starting soon then) fires too.
     */
    @Override
    protected Cursor firstCursor(Instant now, Instant firesFrom) {
        return Cursor.startingAt(now, false).firingFrom(firesFrom);
    }

    /** How long after its start an occurrence still fires: a poll may come a little late. */
    private Duration grace() {
        Duration delay = Duration.ofMillis(Math.max(0, getDelay()));
        return delay.compareTo(MIN_GRACE) > 0 ? delay : MIN_GRACE;
    }

    @Override
    protected Instant pruneHorizon(Cursor committed) {
        return Instant.now().minus(grace()).minus(OVERLAP);
    }

    /** A page of the view: each round is the window from now, so its position is only kept within the round. */
    @Override
    protected Page fetch(Cursor cursor) {
        Instant now = Instant.now();
        Instant from = now.minus(grace());
        if (cursor.firesFrom() != null && cursor.firesFrom().isBefore(from)) {
            // the first round of a trigger that waited for the first sign-in: its window opens at the sign-in
            from = cursor.firesFrom();
        }
        Instant to = now.plus(Duration.ofMinutes(configuration.getMinutesBefore())).plusSeconds(1);
        String link = cursor.nextLink() != null ? cursor.nextLink()
                : viewPath + "?startDateTime=" + CalendarTimes.queryValue(from) + "&endDateTime="
                  + CalendarTimes.queryValue(to) + "&$top=" + PAGE;
        GraphPage page;
        try {
            page = connection.graph().page(connection.account(), link, Prefer.timeZone(timeZone));
        } catch (GraphException e) {
            throw Calendars.explain(e, connection, null, "watch");
        }
        List<Candidate> candidates = new ArrayList<>();
        for (JsonNode item : page.items()) {
            Event event = Event.fromGraph(item);
            Candidate c = candidate(event, from, to);
            if (c != null) {
                candidates.add(c);
            }
        }
        return page.nextLink() != null
                ? new Page(candidates, cursor.nextPage(page.nextLink(), null), false, null)
                : new Page(candidates, cursor.roundDone(null, null), true, null);
    }

    private static Candidate candidate(Event event, Instant from, Instant to) {
        if (Boolean.TRUE.equals(event.isCancelled()) || event.start() == null) {
            return null;
        }
        Instant start = event.startTime().toInstant();
        if (start.isBefore(from) || start.isAfter(to)) {
            return null;
        }
        return new Candidate("soon:" + event.id() + "@" + start.getEpochSecond(), event.id(), start, event, true);
    }

    @Override
    protected Candidate reread(ParkedItem item) {
        JsonNode current = Calendars.current(connection, item.itemId());
        Event event = current == null ? null : Event.fromGraph(current);
        if (event == null || event.start() == null) {
            return null;
        }
        // a parked reminder still fires while its occurrence has not ended
        if (event.end() != null && event.endTime().toInstant().isBefore(Instant.now())) {
            return null;
        }
        return new Candidate(item.key(), item.itemId(), item.horizon(), event, true);
    }

    @Override
    protected void prepare(Exchange exchange, Candidate candidate) {
        Event event = (Event) candidate.item();
        org.apache.camel.Message in = exchange.getIn();
        in.setBody(event);
        EventHeaders.setWithCalendar(in, event, timeZone, calendar.id(), connection.account());
    }
}

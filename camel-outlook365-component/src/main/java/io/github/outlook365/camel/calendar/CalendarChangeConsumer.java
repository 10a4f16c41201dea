package io.github.outlook365.camel.calendar;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.Outlook365Exception;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.graph.GraphPage;
import io.github.outlook365.camel.graph.GraphRequest;
import io.github.outlook365.camel.graph.Prefer;
import io.github.outlook365.camel.model.Calendar;
import io.github.outlook365.camel.model.DateTimeTimeZone;
import io.github.outlook365.camel.model.Event;
import io.github.outlook365.camel.trigger.Candidate;
import io.github.outlook365.camel.trigger.Cursor;
import io.github.outlook365.camel.trigger.Page;
import io.github.outlook365.camel.trigger.PushResource;
import io.github.outlook365.camel.trigger.ParkedItem;
import io.github.outlook365.camel.trigger.TriggerConsumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code outlook365:calendar/created}, {@code /updated} and {@code /deleted}: fire once for each event that appears,
 * changes or disappears in a window of a calendar ({@code pastDays} back, {@code futureDays} ahead).
 * <p>
 * Rounds run on the calendar view's delta, page by page, on the one trigger engine ({@link TriggerConsumer}). The
 * trigger remembers every instance in the window with its change key ({@link CalendarCursor}): a new id fires created,
 * a new change key fires updated (once per change, however often it polls), an {@code @removed} of a known id fires
 * deleted, and an {@code @removed} of an id it never saw (Graph reports deletions outside the window too) fires
 * nothing. Occurrences of a series that change together in one round (a new series, a change to the whole series, its
 * deletion with its exceptions) fire once, for the earliest; a changed exception or a single cancelled occurrence fires
 * for itself. What it knows is committed with each page whose exchanges succeeded; a failed exchange replays the page
 * and dedup keeps what fired from firing twice. Once a day the window moves on: the trigger starts a fresh view over the
 * new window, and what only entered or left the window by moving does not fire; a delta reset (410) does the same.
 * <p>
 * Dedup keys belong to the event's end: once the window has moved past an event's end it can fire no more, and its keys
 * are forgotten.
 * <p>
 * A new trigger's first round fires nothing: it learns the window. A trigger that started before its connection's
 * first sign-in and waited for it fires in that round for what changed since the sign-in (less a minute): created for
 * an event created since then, updated for one created before and changed since then. calendar/deleted fires for
 * nothing deleted before its first round: Graph's fresh view shows no deleted event, and the trigger never saw the
 * events to miss them; from its first round on it fires for every deletion.
 */
public class CalendarChangeConsumer extends TriggerConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(CalendarChangeConsumer.class);
    private static final String DOCUMENT = "calendar";
    /** A window older than this is moved on before the next round. */
    private static final Duration WINDOW_REFRESH = Duration.ofDays(1);
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
    /** Keys of events that ended this long before the window's start are forgotten. */
    private static final Duration OVERLAP = Duration.ofDays(1);

    private final String change;
    private final String timeZone;
    private Calendar calendar;
    private String viewPath;
    // what the trigger knows, as last committed (a page works on a copy)
    private CalendarCursor known;

    /** One change to fire: the event and what happened to it. */
    private record Fire(String key, Event event, String change) {
    }

    static CalendarChangeConsumer created(Outlook365Endpoint endpoint, Processor processor) throws Exception {
        return create(endpoint, processor, "created");
    }

    static CalendarChangeConsumer updated(Outlook365Endpoint endpoint, Processor processor) throws Exception {
        return create(endpoint, processor, "updated");
    }

    static CalendarChangeConsumer deleted(Outlook365Endpoint endpoint, Processor processor) throws Exception {
        return create(endpoint, processor, "deleted");
    }

    private static CalendarChangeConsumer create(Outlook365Endpoint endpoint, Processor processor, String change)
            throws Exception {
        return new CalendarChangeConsumer(endpoint, processor, change);
    }

    public CalendarChangeConsumer(Outlook365Endpoint endpoint, Processor processor, String change) {
        super(endpoint, processor);
        this.change = change;
        this.timeZone = CalendarTimes.checkOption(configuration.getTimeZone());
        checkWindow(configuration);
    }

    static void checkWindow(Outlook365Configuration configuration) {
        if (configuration.getPastDays() < 0 || configuration.getPastDays() > 3650) {
            throw new IllegalArgumentException("option pastDays must be from 0 to 3650, not " + configuration.getPastDays());
        }
        if (configuration.getFutureDays() < 1 || configuration.getFutureDays() > 3650) {
            throw new IllegalArgumentException("option futureDays must be from 1 to 3650, not "
                                               + configuration.getFutureDays());
        }
    }

    @Override
    protected String triggerName() {
        return "calendar/" + change;
    }

    @Override
    protected String scope() {
        return Calendars.describe(calendar, configuration.getCalendar());
    }

    @Override
    protected String resolve() {
        calendar = Calendars.resolve(connection, configuration.getCalendar());
        boolean named = configuration.getCalendar() != null && !configuration.getCalendar().isBlank();
        viewPath = connection.mailboxPath()
                   + (named ? "/calendars/" + GraphClient.encodePathSegment(calendar.id()) : "") + "/calendarView/delta";
        return stateScope(named, calendar);
    }

    /** The calendar's events: the change type the trigger fires for. */
    @Override
    protected PushResource pushResource() {
        return PushResource.of(connection.mailboxPath() + "/calendars/" + GraphClient.encodePathSegment(calendar.id())
                               + "/events", change);
    }

    @Override
    protected Cursor firstCursor(Instant now, Instant firesFrom) {
        String stored = state.document(DOCUMENT);
        if (stored != null) {
            // state of an older version: the document alone, with the delta link inside
            known = CalendarCursor.parse(stored);
            return restored(new Cursor(known.deltaLink(), known.windowStart(), null, null, null, false, null, null));
        }
        known = CalendarCursor.empty(windowStart(now), windowEnd(now), now);
        state.commitDocument(DOCUMENT, known.toJson());
        return Cursor.startingAt(now, true).firingFrom(firesFrom);
    }

    @Override
    protected Cursor restored(Cursor stored) {
        if (known == null) {
            String document = state.document(DOCUMENT);
            if (document == null) {
                // the cursor outlived its document: take the baseline again
                Instant now = Instant.now();
                known = CalendarCursor.empty(windowStart(now), windowEnd(now), now);
                return Cursor.startingAt(now, true);
            }
            known = CalendarCursor.parse(document);
        }
        String link = stored.nextLink() != null ? stored.nextLink() : stored.deltaLink();
        if (link != null && !link.startsWith(connection.graph().root() + "/")) {
            LOG.warn("The stored delta link of calendar '{}' belongs to another Graph endpoint; starting a fresh view",
                    calendar.name());
            return stored.reset();
        }
        return stored;
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        known = null;
    }

    @Override
    protected Instant pruneHorizon(Cursor committed) {
        CalendarCursor k = known;
        return k == null || k.windowStart() == null ? null : k.windowStart().minus(OVERLAP);
    }

    /**
     * An idle trigger's next read, its calendar view's next delta round on the same window, may go in a $batch with
     * those of other mailboxes: the same GET that {@link #fetch(Cursor)} would send.
     */
    @Override
    protected GraphRequest batchableRead(Cursor cursor) {
        CalendarCursor k = known;
        if (cursor.nextLink() != null || cursor.deltaLink() == null || cursor.baselineRound() || k == null
            || k.windowStart() == null || windowStart(Instant.now()).isAfter(k.windowStart().plus(WINDOW_REFRESH))) {
            return null;
        }
        return GraphRequest.get(connection.account(), cursor.deltaLink())
                .prefer(Prefer.maxPageSize(configuration.getPageSize()));
    }

    @Override
    protected Page fetch(Cursor cursor) {
        Instant now = Instant.now();
        CalendarCursor round = known.copy();
        String link;
        if (cursor.nextLink() != null) {
            link = cursor.nextLink();
        } else {
            boolean stale = windowStart(now).isAfter(known.windowStart().plus(WINDOW_REFRESH));
            if (cursor.deltaLink() != null && !stale) {
                link = cursor.deltaLink();
                round = known.startRound(now, false, known.windowStart(), known.windowEnd());
            } else {
                if (stale) {
                    LOG.debug("Moving the window of calendar '{}' on", calendar.name());
                }
                Instant from = windowStart(now);
                Instant to = windowEnd(now);
                link = viewPath + "?startDateTime=" + CalendarTimes.queryValue(from) + "&endDateTime="
                       + CalendarTimes.queryValue(to);
                round = known.startRound(now, true, from, to);
            }
        }
        GraphPage page;
        try {
            page = batched(link);
            if (page == null) {
                page = connection.graph().page(connection.account(), link, Prefer.maxPageSize(configuration.getPageSize()));
            }
        } catch (GraphException e) {
            if (e.isDeltaReset() && (cursor.deltaLink() != null || cursor.nextLink() != null)) {
                LOG.warn("Graph no longer knows the delta token of calendar '{}' of {} ({}); starting a fresh view and"
                         + " comparing it with the {} events the trigger knows", calendar.name(), connection.account(),
                        e.getCode(), known.known().size());
                return fetch(cursor.reset());
            }
            throw Calendars.explain(e, connection, null, "watch");
        }
        List<Fire> all = round.full() ? applyFull(page.items(), round) : applyDelta(page.items(), round);
        if (page.last()) {
            if (round.full()) {
                all.addAll(gone(round));
            }
        }
        // the first round of a new trigger fires nothing, unless it waited for its connection's first sign-in: then
        // what changed since the sign-in fires
        List<Fire> mine = !cursor.baselineRound() ? mine(all, round.series())
                : cursor.firesFrom() != null ? mine(sinceSignIn(page.items(), cursor), round.series()) : List.of();
        List<Candidate> candidates = new ArrayList<>(mine.size());
        for (Fire fire : mine) {
            Instant end = fire.event().end() == null ? null : fire.event().endTime().toInstant();
            candidates.add(new Candidate(fire.key(), fire.event().id(), end, fire, true));
        }
        if (page.last()) {
            if (page.deltaLink() == null) {
                throw new Outlook365Exception("Graph ended a calendar view delta page of '" + calendar.name()
                                              + "' with neither @odata.nextLink nor @odata.deltaLink");
            }
            return new Page(candidates, cursor.roundDone(page.deltaLink(), null), true, round.endRound());
        }
        return new Page(candidates, cursor.nextPage(page.nextLink(), null), false, round);
    }

    @Override
    protected void commitFeedState(Object feedState) {
        CalendarCursor next = (CalendarCursor) feedState;
        state.commitDocument(DOCUMENT, next.toJson());
        known = next;
    }

    /**
     * The changes a first round finds since the first sign-in ({@link Cursor#firesFrom()}), for a trigger that waited
     * for it: an event created since then is created, one created before and changed since then is updated (once, under
     * the key a later round would give that change). Nothing is deleted: a fresh view shows no deleted event, and what
     * was deleted before the trigger ever saw it is not known to it.
     */
    private List<Fire> sinceSignIn(List<JsonNode> items, Cursor cursor) {
        List<Fire> all = new ArrayList<>();
        for (JsonNode item : latest(items).values()) {
            if (item.has("@removed")) {
                continue;
            }
            String id = item.get("id").asText();
            Instant created = instant(item.path("createdDateTime").asText(null));
            if (cursor.firesAt(created)) {
                all.add(new Fire("created:" + id, Event.fromGraph(item), "created"));
            } else if (created != null && cursor.firesAt(instant(item.path("lastModifiedDateTime").asText(null)))) {
                all.add(new Fire("updated:" + id + ":" + known(item).changeKey(), Event.fromGraph(item), "updated"));
            }
        }
        return all;
    }

    /**
     * A page of a delta round: new ids are created, new change keys updated, known @removed ids deleted (or updated,
     * when they only left the window).
     */
    private List<Fire> applyDelta(List<JsonNode> items, CalendarCursor round) {
        Map<String, CalendarCursor.Known> map = round.known();
        List<Fire> all = new ArrayList<>();
        Set<String> seriesGone = new HashSet<>();
        for (JsonNode item : latest(items).values()) {
            String id = item.get("id").asText();
            if (item.has("@removed")) {
                CalendarCursor.Known was = map.remove(id);
                // what became of it matters to the updated and deleted triggers only
                if (was != null && !change.equals("created")) {
                    all.add(removedOrMoved(id, was, item, seriesGone));
                }
                continue;
            }
            CalendarCursor.Known now = known(item);
            CalendarCursor.Known was = map.put(id, now);
            if (was == null) {
                all.add(new Fire("created:" + id, Event.fromGraph(item), "created"));
            } else if (!String.valueOf(was.changeKey()).equals(now.changeKey())) {
                all.add(new Fire("updated:" + id + ":" + now.changeKey(), Event.fromGraph(item), "updated"));
            }
        }
        return all;
    }

    /**
     * A known event Graph reports as {@code @removed}. Graph reports an event that left the window (moved to another
     * time) so too, with the same reason as a deleted one; that is observed, not documented, so the event itself
     * decides: gone (404, or a cancelled meeting) fires deleted, still there fires updated, as it is now. A series found
     * gone answers for its other occurrences.
     */
    private Fire removedOrMoved(String id, CalendarCursor.Known was, JsonNode removed, Set<String> seriesGone) {
        String series = was.seriesMasterId();
        JsonNode current = series != null && seriesGone.contains(series) ? null : Calendars.current(connection, id);
        if (current != null) {
            return new Fire("updated:" + id + ":" + known(current).changeKey(), Event.fromGraph(current), "updated");
        }
        if (series != null && !seriesGone.contains(series) && Calendars.current(connection, series) == null) {
            seriesGone.add(series);
        }
        return new Fire("deleted:" + id, deletedEvent(id, was, removed), "deleted");
    }

    /**
     * A page of a fresh view (window moved on, or Graph reset the delta), compared with what the trigger knew. An
     * unknown id fires created only when it was created after the last round.
     */
    private List<Fire> applyFull(List<JsonNode> items, CalendarCursor round) {
        Map<String, CalendarCursor.Known> map = round.known();
        List<Fire> all = new ArrayList<>();
        Instant lastRound = round.lastRound() == null ? round.windowStart() : round.lastRound();
        for (JsonNode item : latest(items).values()) {
            if (item.has("@removed")) {
                continue;
            }
            String id = item.get("id").asText();
            CalendarCursor.Known k = known(item);
            CalendarCursor.Known was = map.put(id, k);
            round.seen().add(id);
            if (was == null) {
                Instant created = instant(item.path("createdDateTime").asText(null));
                if (created != null && !created.isBefore(lastRound.minus(CLOCK_SKEW))) {
                    all.add(new Fire("created:" + id, Event.fromGraph(item), "created"));
                }
            } else if (!String.valueOf(was.changeKey()).equals(k.changeKey())) {
                all.add(new Fire("updated:" + id + ":" + k.changeKey(), Event.fromGraph(item), "updated"));
            }
        }
        return all;
    }

    /**
     * At the end of a fresh view: what the trigger knew and the view did not show is gone. It fires deleted only when it
     * has not just fallen off the start of the window.
     */
    private List<Fire> gone(CalendarCursor round) {
        List<Fire> all = new ArrayList<>();
        Iterator<Map.Entry<String, CalendarCursor.Known>> entries = round.known().entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<String, CalendarCursor.Known> entry = entries.next();
            if (round.seen().contains(entry.getKey())) {
                continue;
            }
            CalendarCursor.Known was = entry.getValue();
            entries.remove();
            if (was.end() != null && was.end().isAfter(round.windowStart())
                && (was.start() == null || was.start().isBefore(round.windowEnd()))) {
                all.add(new Fire("deleted:" + entry.getKey(), deletedEvent(entry.getKey(), was, null), "deleted"));
            }
        }
        return all;
    }

    /**
     * The fires of this trigger's change, occurrences of one series that changed together in the round folded into the
     * first (the earliest of its page).
     */
    private List<Fire> mine(List<Fire> all, Set<String> series) {
        List<Fire> result = new ArrayList<>();
        all.stream().filter(f -> f.change().equals(change))
                .sorted((a, b) -> compareStart(a.event(), b.event()))
                .forEach(f -> {
                    Event e = f.event();
                    // a deleted series takes its exceptions with it; otherwise an exception is a change of its own
                    boolean folded = e.seriesMasterId() != null
                                     && ("occurrence".equals(e.type()) || f.change().equals("deleted"));
                    if (!folded || series.add(e.seriesMasterId())) {
                        result.add(f);
                    }
                });
        return result;
    }

    private static int compareStart(Event a, Event b) {
        Instant x = a.start() == null ? Instant.MAX : a.startTime().toInstant();
        Instant y = b.start() == null ? Instant.MAX : b.startTime().toInstant();
        return x.compareTo(y);
    }

    private Instant windowStart(Instant now) {
        return now.minus(Duration.ofDays(configuration.getPastDays())).truncatedTo(ChronoUnit.DAYS);
    }

    private Instant windowEnd(Instant now) {
        return now.plus(Duration.ofDays(configuration.getFutureDays() + 1L)).truncatedTo(ChronoUnit.DAYS);
    }

    /** The last entry of each id in a round, in the order of their last appearance. */
    private static Map<String, JsonNode> latest(List<JsonNode> items) {
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        for (JsonNode item : items) {
            if (item.hasNonNull("id")) {
                latest.remove(item.get("id").asText());
                latest.put(item.get("id").asText(), item);
            }
        }
        return latest;
    }

    private static CalendarCursor.Known known(JsonNode item) {
        return new CalendarCursor.Known(item.path("changeKey").asText(item.path("lastModifiedDateTime").asText(null)),
                item.path("subject").asText(null), time(item.get("start")), time(item.get("end")),
                item.path("type").asText(null), item.path("seriesMasterId").isTextual()
                        ? item.get("seriesMasterId").asText() : null);
    }

    private static Instant time(JsonNode dateTimeTimeZone) {
        if (dateTimeTimeZone == null || !dateTimeTimeZone.isObject()) {
            return null;
        }
        try {
            return new DateTimeTimeZone(dateTimeTimeZone.path("dateTime").asText(),
                    dateTimeTimeZone.path("timeZone").asText("UTC")).toZonedDateTime().toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A deleted event as the trigger last knew it (Graph's @removed entry carries only the id). */
    private static Event deletedEvent(String id, CalendarCursor.Known was, JsonNode removed) {
        DateTimeTimeZone start = was.start() == null ? null
                : DateTimeTimeZone.of(was.start().atOffset(ZoneOffset.UTC).toLocalDateTime(), "UTC");
        DateTimeTimeZone end = was.end() == null ? null
                : DateTimeTimeZone.of(was.end().atOffset(ZoneOffset.UTC).toLocalDateTime(), "UTC");
        Event e = new Event(id, was.subject(), null, null, start, end, null, null, null, null, null, null, was.type(),
                was.seriesMasterId(), null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, was.changeKey(), null, null, null, null, null);
        return removed == null ? e : e.withRaw(removed);
    }

    @Override
    protected void prepare(Exchange exchange, Candidate candidate) {
        Fire fire = (Fire) candidate.item();
        org.apache.camel.Message in = exchange.getIn();
        Event event = fire.event();
        in.setBody(event);
        EventHeaders.setWithCalendar(in, event, timeZone, calendar.id(), connection.account());
        in.setHeader(Outlook365Constants.CHANGE_TYPE, fire.change());
    }

    /** A deleted event cannot be read again: its parked retry fires what the trigger knew of it. */
    @Override
    protected String parkingPayload(Candidate candidate) {
        Fire fire = (Fire) candidate.item();
        if (!"deleted".equals(fire.change())) {
            return null;
        }
        try {
            return GraphJson.MAPPER.writeValueAsString(fire.event());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Candidate reread(ParkedItem item) {
        Event event;
        if (item.payload() != null) {
            try {
                event = GraphJson.MAPPER.readValue(item.payload(), Event.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("a parked deleted event is not readable: " + e.getOriginalMessage(), e);
            }
        } else {
            JsonNode current = Calendars.current(connection, item.itemId());
            if (current == null) {
                return null;
            }
            event = Event.fromGraph(current);
        }
        return new Candidate(item.key(), item.itemId(), item.horizon(), new Fire(item.key(), event, change), true);
    }

    /**
     * What tells the state of one calendar from another's: Graph's ids are case-sensitive base64 and the state stores
     * want plain keys, so a digest of the id.
     */
    static String stateScope(boolean named, Calendar calendar) {
        if (!named) {
            return "default-calendar";
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(calendar.id().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "calendar-" + java.util.HexFormat.of().formatHex(digest, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

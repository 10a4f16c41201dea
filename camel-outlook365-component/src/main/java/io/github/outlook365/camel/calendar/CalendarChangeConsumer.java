package io.github.outlook365.camel.calendar;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
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
import io.github.outlook365.camel.model.Calendar;
import io.github.outlook365.camel.model.DateTimeTimeZone;
import io.github.outlook365.camel.model.Event;
import io.github.outlook365.camel.trigger.TriggerState;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code outlook365:calendar/created}, {@code /updated} and {@code /deleted}: fire once for each event that appears,
 * changes or disappears in a window of a calendar ({@code pastDays} back, {@code futureDays} ahead).
 * <p>
 * Each poll runs one calendarView delta round. The trigger remembers every instance in the window with its change key
 * ({@link CalendarCursor}): a new id fires created, a new change key fires updated (once per change, however often it
 * polls), an {@code @removed} of a known id fires deleted (updated, when the event is still there and only moved out
 * of the window), and an {@code @removed} of an id it never saw (Graph reports deletions outside the window too) fires
 * nothing. Occurrences of a series that change together in one round (a new
 * series, a change to the whole series, its deletion with its exceptions) fire once, for the earliest; a changed
 * exception or a single cancelled occurrence fires for itself. The new state is committed after every exchange of the round succeeded; a failed
 * exchange replays the round and dedup keeps what fired from firing twice. Once a day the window moves on: the
 * trigger starts a fresh view over the new window, and what only entered or left the window by moving does not fire;
 * a delta reset (410) does the same from the stored state.
 */
public class CalendarChangeConsumer extends ScheduledPollConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(CalendarChangeConsumer.class);
    /** A window older than this is moved on before the next round. */
    private static final Duration WINDOW_REFRESH = Duration.ofDays(1);
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private final Outlook365Endpoint endpoint;
    private final Outlook365Configuration configuration;
    private final String change;
    private final String timeZone;
    private Outlook365Connection connection;
    private Calendar calendar;
    private String viewPath;
    private TriggerState state;
    private CalendarCursor cursor;

    private Deque<Fire> pending;
    private CalendarCursor pendingCursor;

    /** One exchange to fire: its dedup key, the event and what happened. */
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
        CalendarChangeConsumer consumer = new CalendarChangeConsumer(endpoint, processor, change);
        return consumer;
    }

    public CalendarChangeConsumer(Outlook365Endpoint endpoint, Processor processor, String change) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.configuration = endpoint.getConfiguration();
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
    protected void doStart() throws Exception {
        connection = endpoint.openCheckedConnection();
        calendar = Calendars.resolve(connection, configuration.getCalendar());
        boolean named = configuration.getCalendar() != null && !configuration.getCalendar().isBlank();
        viewPath = connection.mailboxPath()
                   + (named ? "/calendars/" + GraphClient.encodePathSegment(calendar.id()) : "") + "/calendarView/delta";
        state = endpoint.triggerState("calendar." + change, stateScope(named, calendar));
        String stored = state.document("calendar");
        cursor = stored == null ? null : CalendarCursor.parse(stored);
        if (cursor != null && cursor.deltaLink() != null
            && !cursor.deltaLink().startsWith(connection.graph().root() + "/")) {
            LOG.warn("The stored delta link of calendar '{}' belongs to another Graph endpoint; starting a fresh view",
                    calendar.name());
            cursor = new CalendarCursor(null, cursor.windowStart(), cursor.windowEnd(), cursor.lastRound(), cursor.known());
        }
        if (cursor == null) {
            cursor = baseline();
            state.commitDocument("calendar", cursor.toJson());
        }
        LOG.info("outlook365:calendar/{} watches calendar '{}' of {} from {} to {}", change, calendar.name(),
                connection.account(), cursor.windowStart(), cursor.windowEnd());
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        pending = null;
        pendingCursor = null;
        if (state != null) {
            state.close();
        }
    }

    /** The first round of a new trigger: what is in the window now is known and does not fire. */
    private CalendarCursor baseline() {
        Instant now = Instant.now();
        Instant from = windowStart(now);
        Instant to = windowEnd(now);
        DeltaRound round = round(initialLink(from, to));
        Map<String, CalendarCursor.Known> known = new LinkedHashMap<>();
        for (JsonNode item : latest(round.items()).values()) {
            if (!item.has("@removed")) {
                known.put(item.get("id").asText(), known(item));
            }
        }
        return new CalendarCursor(round.deltaLink(), from, to, now, known);
    }

    @Override
    protected int poll() throws Exception {
        if (connection.lifecycle().pollPaused()) {
            // BROKEN, or the token endpoint failed: nothing fires and the cursor stays until the next backoff step
            return 0;
        }
        if (pending == null) {
            nextRound();
        }
        int max = configuration.getMaxMessagesPerPoll();
        int fired = 0;
        while (!pending.isEmpty() && (max <= 0 || fired < max) && isRunAllowed()) {
            Fire fire = pending.peekFirst();
            if (state.delivered(fire.key())) {
                pending.removeFirst();
                continue;
            }
            Exchange exchange = createExchange(fire);
            try {
                getProcessor().process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            fired++;
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("outlook365:calendar/" + change + ": the route failed on event "
                                                      + fire.event().id()
                                                      + "; it fires again when the round is replayed from the stored"
                                                      + " state", exchange, exchange.getException());
                releaseExchange(exchange, false);
                pending = null;
                pendingCursor = null;
                return fired;
            }
            state.markDelivered(fire.key());
            pending.removeFirst();
            releaseExchange(exchange, false);
        }
        if (pending.isEmpty()) {
            cursor = pendingCursor;
            state.commitDocument("calendar", cursor.toJson());
            pending = null;
            pendingCursor = null;
        }
        return fired;
    }

    private void nextRound() {
        Instant now = Instant.now();
        boolean stale = windowStart(now).isAfter(cursor.windowStart().plus(WINDOW_REFRESH));
        List<Fire> fires = new ArrayList<>();
        if (cursor.deltaLink() != null && !stale) {
            try {
                DeltaRound round = round(cursor.deltaLink());
                pendingCursor = applyDelta(round, now, fires);
                pending = new ArrayDeque<>(fires);
                return;
            } catch (GraphException e) {
                if (!e.isDeltaReset()) {
                    throw e;
                }
                LOG.warn("Graph no longer knows the delta token of calendar '{}' of {} ({}); starting a fresh view and"
                         + " comparing it with the {} events the trigger knows", calendar.name(), connection.account(),
                        e.getCode(), cursor.known().size());
            }
        } else if (stale) {
            LOG.debug("Moving the window of calendar '{}' on", calendar.name());
        }
        Instant from = windowStart(now);
        Instant to = windowEnd(now);
        DeltaRound round = round(initialLink(from, to));
        pendingCursor = applyFull(round, now, from, to, fires);
        pending = new ArrayDeque<>(fires);
    }

    /**
     * An incremental round: new ids are created, new change keys updated, known @removed ids deleted (or updated, when
     * they only left the window).
     */
    private CalendarCursor applyDelta(DeltaRound round, Instant now, List<Fire> fires) {
        Map<String, CalendarCursor.Known> known = new LinkedHashMap<>(cursor.known());
        List<Fire> all = new ArrayList<>();
        Set<String> seriesGone = new HashSet<>();
        for (JsonNode item : latest(round.items()).values()) {
            String id = item.get("id").asText();
            if (item.has("@removed")) {
                CalendarCursor.Known was = known.remove(id);
                // what became of it matters to the updated and deleted triggers only
                if (was != null && !change.equals("created")) {
                    all.add(removedOrMoved(id, was, item, seriesGone));
                }
                continue;
            }
            CalendarCursor.Known was = known.get(id);
            CalendarCursor.Known now2 = known(item);
            known.put(id, now2);
            if (was == null) {
                all.add(new Fire("created:" + id, Event.fromGraph(item), "created"));
            } else if (!String.valueOf(was.changeKey()).equals(now2.changeKey())) {
                all.add(new Fire("updated:" + id + ":" + now2.changeKey(), Event.fromGraph(item), "updated"));
            }
        }
        fires.addAll(mine(all));
        return new CalendarCursor(round.deltaLink(), cursor.windowStart(), cursor.windowEnd(), now, known);
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
     * A fresh view (window moved on, or Graph reset the delta): compared with what the trigger knew. An unknown id
     * fires created only when it was created after the last round; a known id that is gone fires deleted only when it
     * has not just fallen off the start of the window.
     */
    private CalendarCursor applyFull(DeltaRound round, Instant now, Instant from, Instant to, List<Fire> fires) {
        Map<String, CalendarCursor.Known> before = cursor.known();
        Map<String, CalendarCursor.Known> known = new LinkedHashMap<>();
        List<Fire> all = new ArrayList<>();
        Instant lastRound = cursor.lastRound() == null ? cursor.windowStart() : cursor.lastRound();
        for (JsonNode item : latest(round.items()).values()) {
            if (item.has("@removed")) {
                continue;
            }
            String id = item.get("id").asText();
            CalendarCursor.Known k = known(item);
            known.put(id, k);
            CalendarCursor.Known was = before.get(id);
            if (was == null) {
                Instant created = instant(item.path("createdDateTime").asText(null));
                if (created != null && !created.isBefore(lastRound.minus(CLOCK_SKEW))) {
                    all.add(new Fire("created:" + id, Event.fromGraph(item), "created"));
                }
            } else if (!String.valueOf(was.changeKey()).equals(k.changeKey())) {
                all.add(new Fire("updated:" + id + ":" + k.changeKey(), Event.fromGraph(item), "updated"));
            }
        }
        for (Map.Entry<String, CalendarCursor.Known> entry : before.entrySet()) {
            CalendarCursor.Known was = entry.getValue();
            if (!known.containsKey(entry.getKey()) && was.end() != null && was.end().isAfter(from)
                && (was.start() == null || was.start().isBefore(to))) {
                all.add(new Fire("deleted:" + entry.getKey(), deletedEvent(entry.getKey(), was, null), "deleted"));
            }
        }
        fires.addAll(mine(all));
        return new CalendarCursor(round.deltaLink(), from, to, now, known);
    }

    /** The fires of this trigger's change, occurrences of one series that changed together folded into the earliest. */
    private List<Fire> mine(List<Fire> all) {
        List<Fire> result = new ArrayList<>();
        Set<String> series = new HashSet<>();
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

    private DeltaRound round(String link) {
        try {
            return connection.graph().deltaRound(connection.account(), link, configuration.getPageSize());
        } catch (GraphException e) {
            if (e.isDeltaReset()) {
                throw e;
            }
            throw Calendars.explain(e, connection, null, "watch");
        }
    }

    private String initialLink(Instant from, Instant to) {
        return viewPath + "?startDateTime=" + CalendarTimes.queryValue(from) + "&endDateTime="
               + CalendarTimes.queryValue(to);
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

    private Exchange createExchange(Fire fire) {
        Exchange exchange = createExchange(false);
        org.apache.camel.Message in = exchange.getIn();
        Event event = fire.event();
        in.setBody(event);
        EventHeaders.setWithCalendar(in, event, timeZone, calendar.id(), connection.account());
        in.setHeader(Outlook365Constants.CHANGE_TYPE, fire.change());
        return exchange;
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

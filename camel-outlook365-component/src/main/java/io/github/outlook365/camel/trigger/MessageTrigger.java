package io.github.outlook365.camel.trigger;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.Outlook365Exception;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.graph.GraphPage;
import io.github.outlook365.camel.graph.GraphRequest;
import io.github.outlook365.camel.graph.Prefer;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trigger over the messages of one mail folder (the mail triggers, and the meeting-message triggers on the Inbox).
 * <p>
 * Rounds run on Graph's message delta, page by page: a round's {@code @odata.nextLink} is committed after each page, its
 * {@code @odata.deltaLink} at its end. A new trigger takes its baseline with a delta round filtered on
 * {@code receivedDateTime ge <start - 60 s>}: what that round finds was already there and is only recorded. A backlog
 * ({@code since}) and a delta reset (410 Gone) are read through the folder's list instead, oldest first, page by page
 * from the receivedDateTime where they start, because a delta round with a filter returns at most 5,000 messages; once
 * the list is done, delta rounds go on from its newest message. Where Graph offers no message delta
 * ({@code environment=china}) every round is such a list from the newest message delivered.
 * <p>
 * The dedup of a message is needed until the trigger's cursor is past it: keys older than the newest message of the
 * completed rounds less {@link #OVERLAP} are forgotten, and a message that old never fires.
 */
public abstract class MessageTrigger extends TriggerConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(MessageTrigger.class);

    /**
     * How far behind the newest message of the completed rounds the trigger still remembers what it delivered. Graph
     * does not order a delta round, and a message may show up a round later than its receivedDateTime says (a delayed
     * delivery, a clock a little apart): an hour covers that many times over. A message that appears with an older
     * receivedDateTime (moved into the folder, restored) does not fire.
     */
    public static final Duration OVERLAP = Duration.ofHours(1);

    /**
     * How long after a backlog's last list page its first delta round may start before the trigger reads what arrived
     * meanwhile through the list again (a filtered delta round returns at most 5,000 messages). The round normally
     * starts at once; a longer gap means a failure or a pause came between.
     */
    public static final Duration CAUGHT_UP_GRACE = Duration.ofSeconds(10);

    // a new trigger's baseline lies this far before its start, so a clock a little ahead of Exchange's loses nothing;
    // what the baseline round finds is recorded as already there and does not fire
    private static final long BASELINE_SKEW_SECONDS = 60;

    protected MessageTrigger(Outlook365Endpoint endpoint, Processor processor) {
        super(endpoint, processor);
        String since = configuration.getSince();
        if (since != null && !since.isBlank()) {
            // a bad since fails the route's start, even when the connection does not work yet
            parseSince(since);
        }
    }

    /** The Graph id of the folder, once {@link #resolve()} ran. */
    protected abstract String folderId();

    /** The $select of every page: what the candidates and their exchanges need, and no more. */
    protected abstract String select();

    /** A further Prefer value for every page (e.g. {@code outlook.body-content-type="text"}), or null. */
    protected String preference() {
        return null;
    }

    /**
     * Whether the trigger fires for messages by their arrival (received, sent, meeting messages): rounds are then
     * filtered by receivedDateTime. A trigger on changes (flagged) reads the whole folder and fires for old messages
     * too.
     */
    protected boolean firesOnArrival() {
        return true;
    }

    /** False where Graph does not offer message delta (China): every round is then a list of the folder. */
    protected boolean usesDelta() {
        return endpoint.connectionSettings().environment().messageDeltaAvailable();
    }

    /**
     * The candidate a message of a page is, or null when it does not concern the trigger.
     *
     * @param received      its receivedDateTime, parsed (null when Graph sent none)
     * @param baselineRound whether the message was already there: a new trigger's first round found it, from before the
     *                      instant that round fires from (if any); it is only recorded
     */
    protected abstract Candidate candidate(JsonNode message, OffsetDateTime received, boolean baselineRound);

    /**
     * The time by which a trigger that waited for the first sign-in tells what arrived since it (the first round fires
     * for a message whose time is from {@link Cursor#firesFrom()} on): its receivedDateTime; mail/flagged says its
     * lastModifiedDateTime.
     */
    protected Instant firingTime(JsonNode message, OffsetDateTime received) {
        return received == null ? null : received.toInstant();
    }

    /**
     * The folder's messages: a trigger on arrivals is told of messages created in the folder (arrived or moved in), a
     * trigger on changes (flagged) of updated ones.
     */
    @Override
    protected PushResource pushResource() {
        return PushResource.of(connection.mailboxPath() + "/mailFolders('" + folderId() + "')/messages",
                firesOnArrival() ? "created" : "updated");
    }

    /** A message left the folder (an {@code @removed} entry). */
    protected void removed(String id) {
    }

    @Override
    protected Cursor firstCursor(Instant now, Instant firesFrom) {
        String since = configuration.getSince();
        if (since != null && !since.isBlank() && firesOnArrival()) {
            Instant from = parseSince(since);
            return Cursor.startingAt(from, false).catchingUp(from, null);
        }
        Instant baseline = now.minusSeconds(BASELINE_SKEW_SECONDS).truncatedTo(ChronoUnit.SECONDS);
        if (firesFrom != null && firesFrom.isBefore(baseline)) {
            // the first round reaches back to the sign-in: what it finds from then on fires, what is older is recorded
            baseline = firesFrom;
        }
        return Cursor.startingAt(baseline, true).firingFrom(firesFrom);
    }

    /**
     * Whether the cursor says a backlog (or a delta reset) was read through the list up to its newest message, and the
     * delta round that follows it has not run for {@link #CAUGHT_UP_GRACE}: it runs at once after the list's last page
     * unless something held it up.
     */
    private boolean caughtUpLongAgo(Cursor cursor, Instant now) {
        return caughtUp(cursor) && cursor.committedAt() != null && cursor.committedAt().plus(CAUGHT_UP_GRACE).isBefore(now);
    }

    /** A backlog read through the list, its first delta round not run yet. */
    private boolean caughtUp(Cursor cursor) {
        return firesOnArrival() && usesDelta() && cursor.deltaLink() == null && cursor.nextLink() == null
               && cursor.catchUpFrom() == null && !cursor.baselineRound() && cursor.restartFrom() != null;
    }

    /**
     * A plain baseline (no backlog, no first sign-in to fire from) is written by its round's commit only: a crash within
     * that round changes nothing by it. Resumed, the round fires nothing of what it finds; a new baseline's round, taken
     * instead, fires nothing either, and what it does not reach is older than its baseline and never fires. (With
     * {@code since} or a first sign-in the first cursor holds what must fire, and is written first.)
     */
    @Override
    protected boolean commitsFirstCursorBeforeItsRound(Cursor first) {
        return !first.baselineRound() || first.firesFrom() != null;
    }

    @Override
    protected Cursor restored(Cursor stored) {
        if (caughtUp(stored)) {
            // stopped after a backlog was read through the list, before its first delta round: that round's filtered
            // delta would return only Graph's first 5,000 of what arrived while the trigger was down, and never the
            // rest; the list reads all of it
            LOG.info("outlook365:{} '{}' of {} reads what arrived since {} through the folder's list before its first"
                     + " delta round", triggerName(), scope(), mailbox(), stored.restartFrom());
            return stored.catchingUp(stored.restartFrom(), null);
        }
        if (stored.deltaLink() == null && stored.nextLink() == null
            || (stored.nextLink() != null ? stored.nextLink() : stored.deltaLink()).startsWith(connection.graph().root() + "/")) {
            return stored;
        }
        // the state was written against another Graph endpoint: its links are worthless here, its position is not
        LOG.warn("The stored cursor of {} '{}' links to another Graph endpoint; restarting from {}", triggerName(), scope(),
                stored.restartFrom());
        return firesOnArrival() ? stored.reset().catchingUp(stored.restartFrom(), null) : stored.reset();
    }

    @Override
    protected Instant pruneHorizon(Cursor committed) {
        if (!firesOnArrival()) {
            return null;
        }
        Instant position = committed.catchUpFrom() != null ? committed.catchUpFrom() : committed.lastReceived();
        Instant horizon = position == null ? null : position.minus(OVERLAP);
        Instant baseline = committed.baseline();
        if (baseline == null) {
            return horizon;
        }
        return horizon == null || horizon.isBefore(baseline) ? baseline : horizon;
    }

    @Override
    protected Page fetch(Cursor cursor) {
        if (!usesDelta() || cursor.catchUpFrom() != null) {
            return listPage(cursor);
        }
        if (caughtUpLongAgo(cursor, Instant.now())) {
            // a backlog was read through the list, and its first delta round did not follow at once (Graph failed, the
            // connection was BROKEN, the trigger throttled or paused): what arrived meanwhile may be more than the
            // 5,000 a filtered delta round returns, so the list reads it first
            LOG.info("outlook365:{} '{}' of {} reads what arrived since {} through the folder's list: its first delta"
                     + " round did not follow its backlog at once (since {})", triggerName(), scope(), mailbox(),
                    cursor.restartFrom(), cursor.committedAt());
            return listPage(cursor.catchingUp(cursor.restartFrom(), null));
        }
        String link = cursor.nextLink() != null ? cursor.nextLink() : cursor.deltaLink();
        if (link == null) {
            link = initialLink(cursor.restartFrom());
        }
        GraphPage page;
        try {
            page = batched(link);
            if (page == null) {
                page = connection.graph().page(connection.account(), link,
                        Prefer.maxPageSize(configuration.getPageSize()), preference());
            }
        } catch (GraphException e) {
            if (!e.isDeltaReset() || cursor.deltaLink() == null && cursor.nextLink() == null) {
                throw e;
            }
            Cursor reset = cursor.reset();
            LOG.warn("Graph no longer knows the delta token of {} '{}' of {} ({}); restarting from {}", triggerName(),
                    scope(), mailbox(), e.getCode(), reset.restartFrom());
            return firesOnArrival() ? listPage(reset.catchingUp(reset.restartFrom(), null)) : fetch(reset);
        }
        Read read = read(page.items(), cursor);
        if (page.nextLink() != null) {
            return new Page(read.candidates(), cursor.nextPage(page.nextLink(), read.newest()), false, null);
        }
        if (page.deltaLink() == null) {
            throw new Outlook365Exception("Graph ended a delta page of " + triggerName() + " '" + scope()
                                          + "' with neither @odata.nextLink nor @odata.deltaLink");
        }
        return new Page(read.candidates(), cursor.roundDone(page.deltaLink(), read.newest()), true, null);
    }

    /**
     * An idle trigger's next read, the first page of its next delta round, may go in a $batch with those of other
     * mailboxes: the same GET, Prefer header included, that {@link #fetch(Cursor)} would send.
     */
    @Override
    protected GraphRequest batchableRead(Cursor cursor) {
        if (!usesDelta() || cursor.deltaLink() == null || cursor.nextLink() != null || cursor.catchUpFrom() != null
            || cursor.baselineRound() || cursor.inRound()) {
            return null;
        }
        return GraphRequest.get(connection.account(), cursor.deltaLink())
                .prefer(Prefer.maxPageSize(configuration.getPageSize())).prefer(preference());
    }

    /** The first delta request of a round: the folder's delta with the trigger's $select, from {@code from} on. */
    private String initialLink(Instant from) {
        String link = messagesPath() + "/delta?$select=" + select();
        if (!firesOnArrival()) {
            // a message flagged today may have arrived long ago: the round covers the whole folder
            return link;
        }
        return link + "&$filter=" + GraphClient.encodeQueryValue("receivedDateTime ge " + from.truncatedTo(ChronoUnit.SECONDS));
    }

    private String messagesPath() {
        return connection.mailboxPath() + "/mailFolders/" + GraphClient.encodePathSegment(folderId()) + "/messages";
    }


    /**
     * A page of the folder's list, oldest first, from the cursor's receivedDateTime on (inclusive: what shares that
     * instant comes again, and dedup absorbs it). Unlike delta, a list sees no message moved into the folder with an
     * older receivedDateTime.
     */
    private Page listPage(Cursor cursor) {
        Instant from = cursor.catchUpFrom() != null ? cursor.catchUpFrom() : cursor.restartFrom();
        String link = cursor.nextLink() != null ? cursor.nextLink()
                : messagesPath() + "?$select=" + select()
                  + "&$filter=" + GraphClient.encodeQueryValue("receivedDateTime ge " + from.truncatedTo(ChronoUnit.SECONDS))
                  + "&$orderby=" + GraphClient.encodeQueryValue("receivedDateTime asc") + "&$top=" + configuration.getPageSize();
        GraphPage page = connection.graph().page(connection.account(), link, preference());
        Read read = read(page.items(), cursor);
        if (page.nextLink() == null) {
            // the list is done: delta rounds go on from its newest message (or the list starts again, without delta)
            return usesDelta()
                    ? new Page(read.candidates(), cursor.caughtUp(read.newest()), false, null)
                    : new Page(read.candidates(), cursor.roundDone(null, read.newest()), true, null);
        }
        Instant newest = read.newest();
        if (newest != null && newest.truncatedTo(ChronoUnit.SECONDS).isAfter(from.truncatedTo(ChronoUnit.SECONDS))) {
            return new Page(read.candidates(), cursor.catchingUp(newest, null), false, null);
        }
        // a whole page shares one receivedDateTime: Graph's own link goes past it
        return new Page(read.candidates(), cursor.catchingUp(from, page.nextLink()), false, null);
    }

    private record Read(List<Candidate> candidates, Instant newest) {
    }

    /**
     * The candidates of a page, oldest first, each message once (its last entry in the page). In a new trigger's first
     * round what was already there only is recorded, except what is from the cursor's {@link Cursor#firesFrom()} on.
     */
    private Read read(List<JsonNode> items, Cursor cursor) {
        Map<String, JsonNode> latest = new LinkedHashMap<>();
        for (JsonNode item : items) {
            JsonNode id = item.get("id");
            if (id != null && !id.isNull()) {
                latest.remove(id.asText());
                latest.put(id.asText(), item);
            }
        }
        List<Candidate> candidates = new ArrayList<>(latest.size());
        Instant newest = null;
        for (Map.Entry<String, JsonNode> entry : latest.entrySet()) {
            JsonNode item = entry.getValue();
            if (item.has("@removed")) {
                removed(entry.getKey());
                continue;
            }
            OffsetDateTime received = receivedAt(item);
            if (received != null) {
                Instant at = received.toInstant();
                newest = newest == null || at.isAfter(newest) ? at : newest;
            }
            boolean alreadyThere = cursor.baselineRound() && !cursor.firesAt(firingTime(item, received));
            Candidate c = candidate(item, received, alreadyThere);
            if (c != null) {
                candidates.add(c);
            }
        }
        candidates.sort(Comparator.comparing(Candidate::horizon, Comparator.nullsLast(Comparator.naturalOrder())));
        return new Read(candidates, newest);
    }

    /** Reads a message again by id (a parked one); null when it is gone. */
    protected JsonNode readMessage(String id) {
        GraphRequest request = GraphRequest.get(connection.account(), connection.mailboxPath() + "/messages/"
                                                                      + GraphClient.encodePathSegment(id) + "?$select="
                                                                      + select());
        try {
            return connection.graph().execute(request.prefer(preference())).body();
        } catch (GraphException e) {
            if (e.getStatus() == 404 || "ErrorItemNotFound".equalsIgnoreCase(e.getCode())) {
                return null;
            }
            throw e;
        }
    }

    @Override
    protected Candidate reread(ParkedItem item) {
        JsonNode message = readMessage(item.itemId());
        return message == null ? null : candidate(message, receivedAt(message), false);
    }

    protected static OffsetDateTime receivedAt(JsonNode item) {
        try {
            return GraphJson.dateTime(item.get("receivedDateTime"));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The instant {@code since} names, to the second (Graph's receivedDateTime has no finer precision). */
    private static Instant parseSince(String since) {
        try {
            return OffsetDateTime.parse(since.trim()).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("option since='" + since + "' is not an ISO-8601 date-time with an offset:"
                                               + " give e.g. 2026-01-31T00:00:00Z");
        }
    }
}

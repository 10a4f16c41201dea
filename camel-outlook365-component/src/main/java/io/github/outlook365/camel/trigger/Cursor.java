package io.github.outlook365.camel.trigger;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.outlook365.camel.graph.GraphJson;

/**
 * Where a trigger stands, as stored in its trigger state: committed after each page whose exchanges succeeded, so a
 * restart resumes at the page after the last one done. A cursor written by an older version (deltaLink, baseline,
 * lastReceived) still reads.
 *
 * @param deltaLink     the delta link that starts the next round; null before the first completed round and after a
 *                      reset (the next round then starts from {@link #restartFrom()})
 * @param baseline      the trigger fires for nothing received before this instant
 * @param lastReceived  the newest receivedDateTime of the completed rounds: a delta reset restarts from here, and the
 *                      dedup of what is older than it (less an overlap) is no longer needed
 * @param nextLink      the next page of the round in progress (an {@code @odata.nextLink}); null between rounds
 * @param roundReceived the newest receivedDateTime of the round in progress, promoted to lastReceived at its end
 *                      (within a round Graph does not order its items, so only a whole round moves lastReceived)
 * @param baselineRound true while the first round of a new trigger runs: what it finds was already there and only is
 *                      recorded
 * @param catchUpFrom   while a backlog is read page by page through the folder's list, oldest first: the
 *                      receivedDateTime the next list page starts at; null otherwise
 * @param committedAt   when this cursor was committed
 * @param firesFrom     until a new trigger's first round is done: the instant from which what it finds fires although
 *                      it was there before that round (a trigger that waited for its connection's first sign-in fires
 *                      for what arrived since the sign-in); null otherwise, and in cursors of older versions
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record Cursor(String deltaLink, Instant baseline, Instant lastReceived, String nextLink, Instant roundReceived,
                     boolean baselineRound, Instant catchUpFrom, Instant committedAt, Instant firesFrom) {

    /** A cursor between rounds, as older versions wrote it. */
    public Cursor(String deltaLink, Instant baseline, Instant lastReceived) {
        this(deltaLink, baseline, lastReceived, null, null, false, null, null, null);
    }

    /** A cursor without {@link #firesFrom()}. */
    public Cursor(String deltaLink, Instant baseline, Instant lastReceived, String nextLink, Instant roundReceived,
                  boolean baselineRound, Instant catchUpFrom, Instant committedAt) {
        this(deltaLink, baseline, lastReceived, nextLink, roundReceived, baselineRound, catchUpFrom, committedAt, null);
    }

    /** A new trigger's cursor: nothing read yet. */
    public static Cursor startingAt(Instant baseline, boolean baselineRound) {
        return new Cursor(null, baseline, null, null, null, baselineRound, null, null, null);
    }

    /**
     * This cursor, with its first round firing for what it finds from {@code from} on (null: for nothing found, as a
     * baseline does).
     */
    public Cursor firingFrom(Instant from) {
        return new Cursor(deltaLink, baseline, lastReceived, nextLink, roundReceived, baselineRound, catchUpFrom,
                committedAt, from);
    }

    /** Whether what a first round finds at {@code at} fires: only from {@link #firesFrom()} on, if there is one. */
    public boolean firesAt(Instant at) {
        return firesFrom != null && at != null && !at.isBefore(firesFrom);
    }

    public static Cursor parse(String json) {
        try {
            return GraphJson.MAPPER.readValue(json, Cursor.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored trigger state is not readable: " + e.getOriginalMessage(), e);
        }
    }

    public String toJson() {
        try {
            return GraphJson.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Where a round starts when there is no delta link: the newest message of the completed rounds, else the baseline. */
    public Instant restartFrom() {
        return lastReceived != null ? lastReceived : baseline;
    }

    /** Whether a round is under way: the next page is its continuation, not a new round. */
    public boolean inRound() {
        return nextLink != null || catchUpFrom != null;
    }

    /** The round goes on at {@code link}; {@code received} is the newest receivedDateTime of the page just done. */
    public Cursor nextPage(String link, Instant received) {
        return new Cursor(deltaLink, baseline, lastReceived, link, newest(roundReceived, received), baselineRound,
                catchUpFrom, committedAt, firesFrom);
    }

    /** The round ended with {@code link} (a delta link, or null where there is none): the next poll starts a new one. */
    public Cursor roundDone(String link, Instant received) {
        // the first round is done: what it was to fire from has fired
        return new Cursor(link, baseline, newest(lastReceived, newest(roundReceived, received)), null, null, false, null,
                committedAt, null);
    }

    /** A backlog read through the folder's list goes on at {@code from} (inclusive). */
    public Cursor catchingUp(Instant from, String link) {
        return new Cursor(null, baseline, lastReceived, link, roundReceived, baselineRound, from, committedAt, firesFrom);
    }

    /**
     * The list has no more pages: the backlog is done up to {@code received}, and the next round is a delta round
     * from there.
     */
    public Cursor caughtUp(Instant received) {
        return new Cursor(null, baseline, newest(lastReceived, newest(roundReceived, received)), null, null,
                baselineRound, null, committedAt, firesFrom);
    }

    /** Graph forgot the round's token: the next round starts again from {@link #restartFrom()}. */
    public Cursor reset() {
        return new Cursor(null, baseline, lastReceived, null, null, baselineRound, null, committedAt, firesFrom);
    }

    public Cursor committed(Instant at) {
        return new Cursor(deltaLink, baseline, lastReceived, nextLink, roundReceived, baselineRound, catchUpFrom, at,
                firesFrom);
    }

    private static Instant newest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || !b.isAfter(a) ? a : b;
    }
}

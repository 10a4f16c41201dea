package io.github.outlook365.camel.trigger;

import java.util.List;

/**
 * What a trigger read from one page: the candidates in the order they fire, and the cursor to commit once every one of
 * them is done.
 *
 * @param candidates what may fire, in order
 * @param next       the cursor after this page
 * @param roundEnd   whether this page ended a round: the next page waits for the next poll
 * @param feedState  a further state of the trigger to commit with the cursor (e.g. what a calendar trigger knows of
 *                   its window), or null
 */
public record Page(List<Candidate> candidates, Cursor next, boolean roundEnd, Object feedState) {
}

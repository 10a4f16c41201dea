package io.github.outlook365.camel.trigger;

import java.time.Instant;

/**
 * An item of a page that may fire, as its trigger read it (once).
 *
 * @param key     the dedup key it fires under (a message id, {@code created:<event id>}, ...)
 * @param itemId  the Graph id of the item, for logs, parking and re-reading it
 * @param horizon the instant the key belongs to (a mail's receivedDateTime, an occurrence's start, an event's end):
 *                what is older than the trigger's pruned horizon never fires; null for a key kept until forgotten
 * @param item    the trigger's own form of the item (a message's JSON, an event), handed back to build its exchange
 * @param fires   false for an item that is only recorded as seen (filtered out, or already there at the baseline)
 */
public record Candidate(String key, String itemId, Instant horizon, Object item, boolean fires) {
}

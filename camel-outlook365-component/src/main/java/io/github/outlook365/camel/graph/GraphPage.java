package io.github.outlook365.camel.graph;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One page of a Graph collection: a page of a delta round, of a list or of a calendar view. A trigger holds one page
 * in memory, never a whole round.
 *
 * @param items     the page's items in Graph's order ({@code @removed} entries of a delta included)
 * @param nextLink  {@code @odata.nextLink}: the rest of the round or list; null on its last page
 * @param deltaLink {@code @odata.deltaLink} of a delta round's last page: where the next round starts; null otherwise
 */
public record GraphPage(List<JsonNode> items, String nextLink, String deltaLink) {

    /** Whether this is the last page of its round or list. */
    public boolean last() {
        return nextLink == null;
    }
}

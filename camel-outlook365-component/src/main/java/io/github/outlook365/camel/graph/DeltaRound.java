package io.github.outlook365.camel.graph;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Everything one delta round returned, every page followed, and the link that starts the next round.
 *
 * @param items     changed items in page order ({@code @removed} entries included)
 * @param deltaLink {@code @odata.deltaLink} of the last page
 * @param requests  how many Graph requests the round took
 */
public record DeltaRound(List<JsonNode> items, String deltaLink, int requests) {
}

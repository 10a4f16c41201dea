package io.github.outlook365.camel.graph;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one JSON mapper of the component: Graph's ISO-8601 times as java.time values, unknown properties ignored (Graph
 * adds properties over time), nulls left out of request bodies.
 */
public final class GraphJson {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private GraphJson() {
    }

    /**
     * A Graph date-time ({@code 2026-01-31T09:00:00Z}) as the mapper reads one: in UTC. Null for a missing or null
     * value.
     *
     * @throws java.time.format.DateTimeParseException when it is not an ISO-8601 date-time with an offset
     */
    public static OffsetDateTime dateTime(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        OffsetDateTime parsed = OffsetDateTime.parse(value.asText());
        return parsed.getOffset() == ZoneOffset.UTC ? parsed : parsed.withOffsetSameInstant(ZoneOffset.UTC);
    }
}

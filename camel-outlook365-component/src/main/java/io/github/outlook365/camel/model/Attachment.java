package io.github.outlook365.camel.model;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.graph.GraphJson;

/** A message's attachment as mail/getAttachments lists it (Graph's attachment, without its content). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Attachment(String id, String name, String contentType, Long size, Boolean isInline, String contentId,
        OffsetDateTime lastModifiedDateTime) {

    public static Attachment fromGraph(JsonNode json) {
        try {
            return GraphJson.MAPPER.treeToValue(json, Attachment.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a Graph attachment: " + e.getOriginalMessage(), e);
        }
    }
}

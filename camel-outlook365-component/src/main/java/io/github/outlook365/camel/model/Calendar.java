package io.github.outlook365.camel.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.graph.GraphJson;

/** A calendar of a mailbox, as {@code calendar/listCalendars} gives it. {@link #raw()} keeps Graph's JSON. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Calendar(String id, String name, String color, Boolean isDefaultCalendar, Boolean canEdit,
                       EmailAddress owner, String changeKey, @JsonIgnore JsonNode raw) {

    public static Calendar fromGraph(JsonNode json) {
        try {
            Calendar c = GraphJson.MAPPER.treeToValue(json, Calendar.class);
            return new Calendar(c.id, c.name, c.color, c.isDefaultCalendar, c.canEdit, c.owner, c.changeKey, json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a Graph calendar: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "Calendar[id=" + id + ", name=" + name + ", default=" + isDefaultCalendar + "]";
    }
}

package io.github.outlook365.camel.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.graph.GraphJson;

/**
 * What {@code calendar/findMeetingTimes} gives: the suggestions, best first, and when there are none, why
 * ({@code emptySuggestionsReason}, e.g. AttendeesUnavailable). {@link #raw()} keeps Graph's JSON.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MeetingTimeSuggestionsResult(List<MeetingTimeSuggestion> meetingTimeSuggestions,
                                           String emptySuggestionsReason, @JsonIgnore JsonNode raw) {

    public static MeetingTimeSuggestionsResult fromGraph(JsonNode json) {
        try {
            MeetingTimeSuggestionsResult r = GraphJson.MAPPER.treeToValue(json, MeetingTimeSuggestionsResult.class);
            return new MeetingTimeSuggestionsResult(r.meetingTimeSuggestions == null ? List.of()
                    : r.meetingTimeSuggestions, r.emptySuggestionsReason, json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not a Graph meetingTimeSuggestionsResult: " + e.getOriginalMessage(), e);
        }
    }
}

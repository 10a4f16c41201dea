package io.github.outlook365.camel.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Graph's timeSlot. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TimeSlot(DateTimeTimeZone start, DateTimeTimeZone end) {
}

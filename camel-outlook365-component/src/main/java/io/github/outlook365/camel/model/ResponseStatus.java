package io.github.outlook365.camel.model;

import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Graph's responseStatus: {@code none}, {@code organizer}, {@code tentativelyAccepted}, {@code accepted},
 * {@code declined} or {@code notResponded}, and when.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResponseStatus(String response, OffsetDateTime time) {
}

package io.github.outlook365.camel.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Graph's followupFlag; {@code flagStatus} is notFlagged, flagged or complete. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FollowupFlag(String flagStatus) {
}

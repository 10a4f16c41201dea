package io.github.outlook365.camel.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Graph's attendeeAvailability: free, tentative, busy, oof, workingElsewhere or unknown. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AttendeeAvailability(Attendee attendee, String availability) {
}

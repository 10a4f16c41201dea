package io.github.outlook365.camel.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** One meeting time findMeetingTimes suggests. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MeetingTimeSuggestion(Double confidence, String organizerAvailability, String suggestionReason,
                                    TimeSlot meetingTimeSlot, List<AttendeeAvailability> attendeeAvailability,
                                    List<Location> locations) {
}

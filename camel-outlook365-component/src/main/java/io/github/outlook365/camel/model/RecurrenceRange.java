package io.github.outlook365.camel.model;

import java.time.LocalDate;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Graph's recurrenceRange: {@code type} endDate, noEnd or numbered. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RecurrenceRange(String type, LocalDate startDate, LocalDate endDate, Integer numberOfOccurrences,
                              String recurrenceTimeZone) {
}

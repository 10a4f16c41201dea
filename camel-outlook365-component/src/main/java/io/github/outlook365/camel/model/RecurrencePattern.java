package io.github.outlook365.camel.model;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Graph's recurrencePattern: {@code type} daily, weekly, absoluteMonthly, relativeMonthly, absoluteYearly or
 * relativeYearly; {@code daysOfWeek} as Graph spells them (monday, ...).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RecurrencePattern(String type, Integer interval, List<String> daysOfWeek, String firstDayOfWeek,
                                Integer dayOfMonth, Integer month, String index) {
}

package io.github.outlook365.camel.model;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Graph's patternedRecurrence: how a series repeats and for how long. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PatternedRecurrence(RecurrencePattern pattern, RecurrenceRange range) {

    /** Every {@code interval} days from {@code start}, until {@code end} (inclusive) or forever when null. */
    public static PatternedRecurrence daily(int interval, LocalDate start, LocalDate end) {
        return new PatternedRecurrence(new RecurrencePattern("daily", interval, null, null, null, null, null),
                range(start, end));
    }

    /** On the given days every {@code interval} weeks from {@code start}, until {@code end} or forever when null. */
    public static PatternedRecurrence weekly(int interval, List<DayOfWeek> days, LocalDate start, LocalDate end) {
        List<String> names = days.stream().map(d -> d.name().toLowerCase(Locale.ROOT)).toList();
        return new PatternedRecurrence(new RecurrencePattern("weekly", interval, names, "sunday", null, null, null),
                range(start, end));
    }

    /** The same pattern, ending after {@code count} occurrences. */
    public PatternedRecurrence times(int count) {
        return new PatternedRecurrence(pattern, new RecurrenceRange("numbered", range.startDate(), null, count,
                range.recurrenceTimeZone()));
    }

    private static RecurrenceRange range(LocalDate start, LocalDate end) {
        return end == null ? new RecurrenceRange("noEnd", start, null, null, null)
                : new RecurrenceRange("endDate", start, end, null, null);
    }
}

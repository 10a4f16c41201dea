package io.github.outlook365.simulator;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A patternedRecurrence ({"pattern":{type,interval,daysOfWeek,firstDayOfWeek,dayOfMonth,month,index},
 * "range":{type,startDate,endDate,numberOfOccurrences,recurrenceTimeZone}}): validated, and expanded into the dates
 * of its occurrences. Supports daily, weekly, absoluteMonthly and absoluteYearly patterns.
 */
final class Recurrence {

    /** Expansion never runs past this many occurrences (a noEnd series is cut at the requested window). */
    static final int MAX_OCCURRENCES = 5000;
    private static final Set<String> PATTERNS = Set.of("daily", "weekly", "absoluteMonthly", "absoluteYearly");
    private static final Set<String> RANGES = Set.of("endDate", "noEnd", "numbered");

    final String type;
    final int interval;
    final List<DayOfWeek> daysOfWeek;
    final DayOfWeek firstDayOfWeek;
    final int dayOfMonth;
    final int month;
    final String rangeType;
    final LocalDate startDate;
    final LocalDate endDate;
    final int numberOfOccurrences;

    private Recurrence(JsonNode json) {
        JsonNode pattern = json.path("pattern");
        JsonNode range = json.path("range");
        if (!pattern.isObject() || !range.isObject()) {
            throw invalid("A recurrence needs both a pattern and a range.");
        }
        type = canonical(pattern.path("type").asText(""), PATTERNS, "pattern type");
        interval = pattern.path("interval").asInt(1);
        if (interval < 1 || interval > 99) {
            throw invalid("The recurrence interval must be from 1 to 99.");
        }
        daysOfWeek = new ArrayList<>();
        for (JsonNode d : pattern.path("daysOfWeek")) {
            daysOfWeek.add(day(d.asText()));
        }
        firstDayOfWeek = pattern.hasNonNull("firstDayOfWeek") ? day(pattern.get("firstDayOfWeek").asText())
                : DayOfWeek.SUNDAY;
        dayOfMonth = pattern.path("dayOfMonth").asInt(0);
        month = pattern.path("month").asInt(0);
        if (type.equals("weekly") && daysOfWeek.isEmpty()) {
            throw invalid("A weekly recurrence pattern needs daysOfWeek.");
        }
        if ((type.equals("absoluteMonthly") || type.equals("absoluteYearly")) && (dayOfMonth < 1 || dayOfMonth > 31)) {
            throw invalid("An absolute recurrence pattern needs dayOfMonth from 1 to 31.");
        }
        if (type.equals("absoluteYearly") && (month < 1 || month > 12)) {
            throw invalid("An absoluteYearly recurrence pattern needs month from 1 to 12.");
        }
        rangeType = canonical(range.path("type").asText(""), RANGES, "range type");
        startDate = date(range.path("startDate").asText(null), "startDate");
        endDate = rangeType.equals("endDate") ? date(range.path("endDate").asText(null), "endDate") : null;
        if (endDate != null && endDate.isBefore(startDate)) {
            throw invalid("The recurrence range's endDate is before its startDate.");
        }
        numberOfOccurrences = range.path("numberOfOccurrences").asInt(0);
        if (rangeType.equals("numbered") && numberOfOccurrences < 1) {
            throw invalid("A numbered recurrence range needs numberOfOccurrences of at least 1.");
        }
    }

    static Recurrence parse(JsonNode json) {
        return new Recurrence(json);
    }

    /** The canonical JSON Graph returns for this recurrence. */
    static ObjectNode normalize(JsonNode json, String startZone) {
        Recurrence r = parse(json);
        ObjectNode out = Json.object();
        ObjectNode pattern = out.putObject("pattern");
        pattern.put("type", r.type);
        pattern.put("interval", r.interval);
        pattern.put("month", r.month);
        pattern.put("dayOfMonth", r.dayOfMonth);
        ArrayNode days = pattern.putArray("daysOfWeek");
        r.daysOfWeek.forEach(d -> days.add(d.name().toLowerCase(Locale.ROOT)));
        pattern.put("firstDayOfWeek", r.firstDayOfWeek.name().toLowerCase(Locale.ROOT));
        pattern.put("index", json.path("pattern").path("index").asText("first"));
        ObjectNode range = out.putObject("range");
        range.put("type", r.rangeType);
        range.put("startDate", r.startDate.toString());
        range.put("endDate", r.endDate == null ? "0001-01-01" : r.endDate.toString());
        range.put("recurrenceTimeZone", json.path("range").path("recurrenceTimeZone").asText(startZone));
        range.put("numberOfOccurrences", r.numberOfOccurrences);
        return out;
    }

    /** Dates of the occurrences, in order, up to {@code until} (inclusive) or the range's end. */
    List<LocalDate> dates(LocalDate until) {
        List<LocalDate> dates = new ArrayList<>();
        LocalDate last = endDate != null && endDate.isBefore(until) ? endDate : until;
        switch (type) {
            case "daily" -> {
                for (LocalDate d = startDate; !d.isAfter(last) && more(dates); d = d.plusDays(interval)) {
                    dates.add(d);
                }
            }
            case "weekly" -> {
                LocalDate weekStart = startDate.with(TemporalAdjusters.previousOrSame(firstDayOfWeek));
                for (LocalDate w = weekStart; !w.isAfter(last) && more(dates); w = w.plusWeeks(interval)) {
                    for (int i = 0; i < 7 && more(dates); i++) {
                        LocalDate d = w.plusDays(i);
                        if (daysOfWeek.contains(d.getDayOfWeek()) && !d.isBefore(startDate) && !d.isAfter(last)) {
                            dates.add(d);
                        }
                    }
                }
            }
            case "absoluteMonthly" -> {
                LocalDate m = startDate.withDayOfMonth(1);
                for (; !m.isAfter(last) && more(dates); m = m.plusMonths(interval)) {
                    if (dayOfMonth <= m.lengthOfMonth()) {
                        LocalDate d = m.withDayOfMonth(dayOfMonth);
                        if (!d.isBefore(startDate) && !d.isAfter(last)) {
                            dates.add(d);
                        }
                    }
                }
            }
            default -> {
                for (LocalDate y = startDate.withDayOfYear(1); !y.isAfter(last) && more(dates);
                        y = y.plusYears(interval)) {
                    LocalDate m = y.withMonth(month);
                    if (dayOfMonth <= m.lengthOfMonth()) {
                        LocalDate d = m.withDayOfMonth(dayOfMonth);
                        if (!d.isBefore(startDate) && !d.isAfter(last)) {
                            dates.add(d);
                        }
                    }
                }
            }
        }
        return dates;
    }

    private boolean more(List<LocalDate> dates) {
        int cap = rangeType.equals("numbered") ? numberOfOccurrences : MAX_OCCURRENCES;
        return dates.size() < Math.min(cap, MAX_OCCURRENCES);
    }

    long spanDays() {
        return ChronoUnit.DAYS.between(startDate, endDate == null ? startDate : endDate);
    }

    private static String canonical(String value, Set<String> allowed, String what) {
        for (String a : allowed) {
            if (a.equalsIgnoreCase(value)) {
                return a;
            }
        }
        if (value.toLowerCase(Locale.ROOT).startsWith("relative")) {
            throw invalid("The simulator does not expand " + value + " recurrence patterns.");
        }
        throw invalid("The recurrence " + what + " '" + value + "' is not valid.");
    }

    private static DayOfWeek day(String name) {
        try {
            return DayOfWeek.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid("'" + name + "' is not a day of the week.");
        }
    }

    private static LocalDate date(String text, String what) {
        if (text == null) {
            throw invalid("The recurrence range needs " + what + ".");
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid("The recurrence range's " + what + " '" + text + "' is not a date.");
        }
    }

    private static GraphException invalid(String message) {
        return new GraphException(400, "ErrorInvalidRequest", message);
    }
}

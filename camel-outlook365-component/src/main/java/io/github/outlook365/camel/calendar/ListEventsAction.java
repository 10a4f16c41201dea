package io.github.outlook365.camel.calendar;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.model.Event;

/**
 * {@code outlook365:calendar/listEvents}: the calendar view ({@code GET .../calendarView?startDateTime=&endDateTime=})
 * of the calendar option's calendar between headers CamelOutlook365StartDateTime and CamelOutlook365EndDateTime
 * (default: now until futureDays ahead), recurring series expanded into their occurrences, following Graph's pages up
 * to the limit option. The body becomes a List of {@link Event}, ordered by start.
 */
final class ListEventsAction implements CalendarAction {

    private static final int PAGE = 50;

    private final CalendarLookup calendar = new CalendarLookup();

    @Override
    public void validate(Outlook365Endpoint endpoint) {
        int limit = endpoint.getConfiguration().getLimit();
        if (limit < 1) {
            throw new IllegalArgumentException("option limit must be at least 1, not " + limit);
        }
    }

    @Override
    public void process(ActionExchange call) {
        Outlook365Configuration configuration = call.configuration();
        String timeZone = CalendarAction.timeZone(call);
        Object startValue = call.headerValue(Outlook365Constants.START_DATE_TIME);
        Object endValue = call.headerValue(Outlook365Constants.END_DATE_TIME);
        Instant start = startValue == null ? Instant.now()
                : CalendarTimes.instant(startValue, timeZone, "header " + Outlook365Constants.START_DATE_TIME);
        Instant end = endValue == null ? start.plus(Duration.ofDays(Math.max(1, configuration.getFutureDays())))
                : CalendarTimes.instant(endValue, timeZone, "header " + Outlook365Constants.END_DATE_TIME);
        if (!end.isAfter(start)) {
            throw new IllegalArgumentException("header " + Outlook365Constants.END_DATE_TIME + " (" + end + ") is not after "
                                               + Outlook365Constants.START_DATE_TIME + " (" + start
                                               + "): give an end after the start");
        }
        int limit = configuration.getLimit();
        List<Event> events = new ArrayList<>();
        String url = calendar.path(call) + "/calendarView?startDateTime=" + CalendarTimes.queryValue(start) + "&endDateTime="
                     + CalendarTimes.queryValue(end) + "&$top=" + Math.min(PAGE, limit);
        while (url != null && events.size() < limit) {
            JsonNode page = call.get(url);
            for (JsonNode e : page.path("value")) {
                if (events.size() < limit) {
                    events.add(Event.fromGraph(e));
                }
            }
            url = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
        }
        call.message().setBody(events);
    }
}

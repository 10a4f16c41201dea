package io.github.outlook365.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Microsoft Graph v1.0 calendarView of a calendar: the events and occurrences (series expanded) between
 * startDateTime and endDateTime, and its delta ({@link CalendarDelta}).
 */
final class CalendarViewApi {

    private final CalendarApi calendars;
    private final CalendarDelta delta;

    CalendarViewApi(CalendarApi calendars, CalendarDelta delta) {
        this.calendars = calendars;
        this.delta = delta;
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/user-list-calendarview,
    //   https://learn.microsoft.com/en-us/graph/api/calendar-list-calendarview (startDateTime and endDateTime
    //   required; series expanded)
    void handle(HttpCall call, Mailbox mailbox, CalendarStore.Calendar calendar, List<String> rest,
            boolean viaCalendar) {
        if (rest.size() == 1 && rest.get(0).equalsIgnoreCase("delta")) {
            delta.handle(call, mailbox, calendar, viaCalendar);
            return;
        }
        if (!rest.isEmpty()) {
            throw GraphException.segmentNotFound(rest.get(0));
        }
        Instant from = CalendarTime.queryInstant(call, "startDateTime");
        Instant to = CalendarTime.queryInstant(call, "endDateTime");
        if (from == null || to == null) {
            throw new GraphException(400, "ErrorInvalidParameter", "This request requires a time window specified by"
                    + " the query string parameters StartDateTime and EndDateTime.");
        }
        int top = call.param("$top") == null ? 10 : GraphApi.intParam(call, "$top", 1, 1000);
        int skip = call.param("$skip") == null ? 0 : GraphApi.intParam(call, "$skip", 0, Integer.MAX_VALUE);
        String zone = CalendarApi.zone(call);
        List<ObjectNode> all = new ArrayList<>();
        synchronized (mailbox.calendars) {
            for (CalendarStore.Instance i : mailbox.calendars.view(calendar.id, from, to)) {
                all.add(CalendarStore.render(i, zone));
            }
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("startDateTime", call.param("startDateTime"));
        params.put("endDateTime", call.param("endDateTime"));
        calendars.page(call, mailbox, viaCalendar ? "calendars/" + calendar.id + "/calendarView" : "calendarView", all,
                top, skip, params);
    }
}

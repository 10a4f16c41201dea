package io.github.outlook365.camel.calendar;

import java.util.List;
import java.util.function.Supplier;

import io.github.outlook365.camel.Outlook365Operation;
import io.github.outlook365.camel.auth.GraphPermission;

import static io.github.outlook365.camel.auth.GraphPermission.CALENDARS_READ;
import static io.github.outlook365.camel.auth.GraphPermission.CALENDARS_READ_WRITE;
import static io.github.outlook365.camel.auth.GraphPermission.MAIL_READ;

/**
 * The calendar triggers and actions, each with the Graph permission it needs.
 */
public final class CalendarOperations {

    public static final List<Outlook365Operation> OPERATIONS = List.of(
            Outlook365Operation.trigger("calendar/created", CALENDARS_READ, CalendarChangeConsumer::created),
            Outlook365Operation.trigger("calendar/updated", CALENDARS_READ, CalendarChangeConsumer::updated),
            Outlook365Operation.trigger("calendar/deleted", CALENDARS_READ, CalendarChangeConsumer::deleted),
            Outlook365Operation.trigger("calendar/startingSoon", CALENDARS_READ, StartingSoonConsumer::create),
            // meeting requests and responses are messages in the Inbox
            Outlook365Operation.trigger("calendar/invitationReceived", MAIL_READ, MeetingMessageConsumer::invitations),
            Outlook365Operation.trigger("calendar/responseReceived", MAIL_READ, MeetingMessageConsumer::responses),
            action("calendar/createEvent", CALENDARS_READ_WRITE, CalendarActions.CreateEvent::new),
            action("calendar/updateEvent", CALENDARS_READ_WRITE, CalendarActions.UpdateEvent::new),
            action("calendar/getEvent", CALENDARS_READ, CalendarActions.GetEvent::new),
            action("calendar/listEvents", CALENDARS_READ, ListEventsAction::new),
            action("calendar/deleteEvent", CALENDARS_READ_WRITE, CalendarActions.DeleteEvent::new),
            action("calendar/cancelEvent", CALENDARS_READ_WRITE, CalendarActions.CancelEvent::new),
            action("calendar/respond", CALENDARS_READ_WRITE, EventResponseAction::new),
            action("calendar/forwardEvent", CALENDARS_READ_WRITE, CalendarActions.ForwardEvent::new),
            action("calendar/listCalendars", CALENDARS_READ, CalendarActions.ListCalendars::new),
            action("calendar/findMeetingTimes", CALENDARS_READ, FindMeetingTimesAction::new));

    private CalendarOperations() {
    }

    // a CalendarAction, so every calendar action answers in timeZone and explains refusals about events
    private static Outlook365Operation action(String name, GraphPermission permission, Supplier<CalendarAction> action) {
        return Outlook365Operation.action(name, permission, action);
    }
}

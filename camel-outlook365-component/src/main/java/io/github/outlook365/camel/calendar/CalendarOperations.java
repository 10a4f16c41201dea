package io.github.outlook365.camel.calendar;

import java.util.List;

import io.github.outlook365.camel.Outlook365Operation;

/**
 * The calendar triggers and actions.
 */
public final class CalendarOperations {

    public static final List<Outlook365Operation> OPERATIONS = List.of(
            Outlook365Operation.trigger("calendar/created", CalendarChangeConsumer::created),
            Outlook365Operation.trigger("calendar/updated", CalendarChangeConsumer::updated),
            Outlook365Operation.trigger("calendar/deleted", CalendarChangeConsumer::deleted),
            Outlook365Operation.trigger("calendar/startingSoon", StartingSoonConsumer::create),
            Outlook365Operation.trigger("calendar/invitationReceived", MeetingMessageConsumer::invitations),
            Outlook365Operation.trigger("calendar/responseReceived", MeetingMessageConsumer::responses),
            Outlook365Operation.action("calendar/createEvent", CreateEventProducer::new),
            Outlook365Operation.action("calendar/updateEvent", UpdateEventProducer::new),
            Outlook365Operation.action("calendar/getEvent", GetEventProducer::new),
            Outlook365Operation.action("calendar/listEvents", ListEventsProducer::new),
            Outlook365Operation.action("calendar/deleteEvent", DeleteEventProducer::new),
            Outlook365Operation.action("calendar/cancelEvent", CancelEventProducer::new),
            Outlook365Operation.action("calendar/respond", RespondProducer::new),
            Outlook365Operation.action("calendar/forwardEvent", ForwardEventProducer::new),
            Outlook365Operation.action("calendar/listCalendars", ListCalendarsProducer::new),
            Outlook365Operation.action("calendar/findMeetingTimes", FindMeetingTimesProducer::new));

    private CalendarOperations() {
    }
}

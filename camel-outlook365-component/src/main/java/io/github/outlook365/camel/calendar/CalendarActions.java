package io.github.outlook365.camel.calendar;

import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.model.Event;
import io.github.outlook365.camel.model.Recipient;

/**
 * The calendar actions on one event (create, update, get, delete, cancel, forward) and listCalendars. The event id
 * comes from header CamelOutlook365EventId (the calendar triggers, createEvent and listEvents set it).
 */
final class CalendarActions {

    private CalendarActions() {
    }

    /**
     * {@code outlook365:calendar/createEvent}: {@code POST /users/{account}/calendar/events} (or
     * {@code /calendars/{id}/events} for the calendar option). The body becomes the created {@link Event}; header
     * CamelOutlook365EventId its id. Every event is sent with a transactionId (the body's, or a new one per exchange), so
     * that a create whose answer was lost is repeated without creating the event twice.
     */
    static final class CreateEvent implements CalendarAction {

        private static final String TRANSACTION_ID = "CamelOutlook365TransactionId";

        private final CalendarLookup calendar = new CalendarLookup();

        @Override
        public void process(ActionExchange call) {
            ObjectNode event = EventInput.read(call, true);
            if (!event.hasNonNull("transactionId")) {
                // Graph creates no second event for a transactionId it has seen, so the call may be repeated after a
                // lost answer; kept on the exchange, a redelivery of the same exchange reuses it too
                String transactionId = call.exchange().getProperty(TRANSACTION_ID, String.class);
                if (transactionId == null) {
                    transactionId = java.util.UUID.randomUUID().toString();
                    call.exchange().setProperty(TRANSACTION_ID, transactionId);
                }
                event.put("transactionId", transactionId);
            }
            Event created = Event.fromGraph(call.send("POST", calendar.path(call) + "/events", event).body());
            call.message().setBody(created);
            call.message().setHeader(Outlook365Constants.EVENT_ID, created.id());
        }
    }

    /**
     * {@code outlook365:calendar/updateEvent}: {@code PATCH /users/{account}/events/{id}} with the properties the body
     * gives (only those change; an occurrence's id changes that occurrence alone). The body becomes the updated event.
     */
    static final class UpdateEvent implements CalendarAction {
        @Override
        public void process(ActionExchange call) {
            String id = call.eventId();
            ObjectNode patch = EventInput.read(call, false);
            if (patch.isEmpty()) {
                throw new IllegalArgumentException(call.action() + " has nothing to change: give the properties to change"
                                                   + " in the body (a Map or an Event)");
            }
            call.message().setBody(Event.fromGraph(call.send("PATCH", call.connection().eventPath(id), patch).body()));
        }
    }

    /** {@code outlook365:calendar/getEvent}: {@code GET /users/{account}/events/{id}}; the body becomes the {@link Event}. */
    static final class GetEvent implements CalendarAction {
        @Override
        public void process(ActionExchange call) {
            call.message().setBody(Event.fromGraph(call.get(call.connection().eventPath(call.eventId()))));
        }
    }

    /**
     * {@code outlook365:calendar/deleteEvent}: {@code DELETE /users/{account}/events/{id}}. A series master's id deletes
     * the series, an occurrence's id that occurrence. Organizers: Outlook sends the attendees a cancellation; use
     * cancelEvent to add a message.
     */
    static final class DeleteEvent implements CalendarAction {
        @Override
        public void process(ActionExchange call) {
            call.send("DELETE", call.connection().eventPath(call.eventId()), null);
        }
    }

    /**
     * {@code outlook365:calendar/cancelEvent}: {@code POST /users/{account}/events/{id}/cancel {"comment": ...}}. Only
     * the organizer can cancel; the attendees get the comment (header CamelOutlook365Comment, else the body, else the
     * comment option).
     */
    static final class CancelEvent implements CalendarAction {
        @Override
        public void process(ActionExchange call) {
            String id = call.eventId();
            String comment = call.comment();
            call.send("POST", call.connection().eventPath(id) + "/cancel",
                    GraphJson.MAPPER.createObjectNode().put("comment", comment == null ? "" : comment));
        }
    }

    /**
     * {@code outlook365:calendar/forwardEvent}: {@code POST /users/{account}/events/{id}/forward {"toRecipients",
     * "comment"}}. Recipients from header CamelOutlook365To (addresses separated by ;), the body's key to, or the to
     * option; the comment from header CamelOutlook365Comment, the body, or the comment option.
     */
    static final class ForwardEvent implements CalendarAction {
        @Override
        public void process(ActionExchange call) {
            String id = call.eventId();
            ActionExchange.Given to = call.given(Outlook365Constants.TO, "to", "to", call.configuration().getTo());
            List<Recipient> recipients = to == null ? List.of() : Recipient.parseList(to.value(), to.source());
            if (recipients.isEmpty()) {
                throw new IllegalArgumentException(call.action() + " has no recipient: set header "
                                                   + Outlook365Constants.TO + " or the to option");
            }
            ObjectNode body = GraphJson.MAPPER.createObjectNode();
            body.set("toRecipients", GraphJson.MAPPER.valueToTree(recipients));
            String comment = call.comment();
            if (comment != null) {
                body.put("comment", comment);
            }
            call.send("POST", call.connection().eventPath(id) + "/forward", body);
        }
    }

    /**
     * {@code outlook365:calendar/listCalendars}: {@code GET /users/{account}/calendars}, every page; the body becomes a
     * List of {@link io.github.outlook365.camel.model.Calendar}.
     */
    static final class ListCalendars implements CalendarAction {
        @Override
        public void process(ActionExchange call) {
            call.message().setBody(Calendars.list(call.connection()));
        }
    }
}

package io.github.outlook365.camel.calendar;

import java.util.LinkedHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphException;
import io.github.outlook365.camel.graph.GraphRequest;
import io.github.outlook365.camel.graph.GraphResponse;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * What the calendar actions share: the connection, the checked timeZone option sent as
 * {@code Prefer: outlook.timezone}, the event id header, the calendar option, and errors that say what to fix.
 */
abstract class CalendarProducer extends DefaultProducer {

    protected final Outlook365Endpoint endpoint;
    protected final Outlook365Configuration configuration;
    protected final String operation;
    /** The timeZone option, checked when the route is created; null for UTC. */
    protected final String timeZone;
    protected Outlook365Connection connection;
    private String calendarPath;

    CalendarProducer(Outlook365Endpoint endpoint, String operation) {
        super(endpoint);
        this.endpoint = endpoint;
        this.configuration = endpoint.getConfiguration();
        this.operation = "outlook365:calendar/" + operation;
        this.timeZone = CalendarTimes.checkOption(configuration.getTimeZone());
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        connection = endpoint.connection();
    }

    @Override
    public final void process(Exchange exchange) throws Exception {
        handle(exchange);
    }

    protected abstract void handle(Exchange exchange) throws Exception;

    /** A Graph request with {@code Prefer: outlook.timezone} when the timeZone option is set. */
    protected GraphRequest request(String method, String path, String body) {
        GraphRequest request = new GraphRequest(method, path, connection.account(), new LinkedHashMap<>(), body);
        return timeZone == null ? request : request.withHeader("Prefer", "outlook.timezone=\"" + timeZone + "\"");
    }

    protected JsonNode call(GraphRequest request, String eventId, String doing) {
        try {
            GraphResponse response = connection.graph().execute(request);
            return response.body();
        } catch (GraphException e) {
            throw Calendars.explain(e, connection, eventId, doing);
        }
    }

    protected String json(Object value) {
        try {
            return io.github.outlook365.camel.graph.GraphJson.MAPPER.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** The id from header CamelOutlook365EventId, required. */
    protected String eventId(Exchange exchange) {
        String id = exchange.getMessage().getHeader(Outlook365Constants.EVENT_ID, String.class);
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(operation + " needs the event's id in header " + Outlook365Constants.EVENT_ID
                                               + " (calendar triggers, createEvent and listEvents set it)");
        }
        return id.trim();
    }

    protected String eventPath(String id) {
        return connection.mailboxPath() + "/events/" + GraphClient.encodePathSegment(id);
    }

    /** {@code /v1.0/users/{account}/calendar} or {@code .../calendars/{id}} for the calendar option (looked up once). */
    protected String calendarPath() {
        if (calendarPath == null) {
            calendarPath = connection.mailboxPath() + Calendars.path(connection, configuration.getCalendar());
        }
        return calendarPath;
    }

    /** The header or, failing that, the option. */
    protected String headerOrOption(Exchange exchange, String header, String option) {
        String value = exchange.getMessage().getHeader(header, String.class);
        return value != null ? value : option;
    }
}

package io.github.outlook365.camel;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.auth.GraphPermission;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.graph.GraphRequest;
import io.github.outlook365.camel.graph.GraphResponse;
import io.github.outlook365.camel.model.Message;
import org.apache.camel.Exchange;

/**
 * One exchange as an action sees it: what the route gives (headers, body, the endpoint's options), read in one order
 * by every action, and the connection it calls Graph through.
 * <p>
 * The order: a header wins, else the body (a Map's key, or a text body where the action reads one), else the
 * endpoint's option. A header that is absent, or a String that is empty or blank, counts as not given: the body or the
 * option then applies. So does an empty option. A List header (such as an empty list of categories) is a value.
 */
public final class ActionExchange {

    /** A value the route gave, and where it came from ({@code header CamelOutlook365To}, {@code option to}, ...). */
    public record Given(String value, String source) {
    }

    private final Outlook365Operation operation;
    private final Exchange exchange;
    private final Outlook365Configuration configuration;
    private final Outlook365Connection connection;
    private final String preference;
    // the id the exchange works on, once known (for error messages), and whether the body gave it
    private String messageId;
    private String eventId;
    private boolean bodyIsTheId;

    ActionExchange(Outlook365Operation operation, Exchange exchange, Outlook365Configuration configuration,
                   Outlook365Connection connection, String preference) {
        this.operation = operation;
        this.exchange = exchange;
        this.configuration = configuration;
        this.connection = connection;
        this.preference = preference;
    }

    /** The action as a route names it, e.g. {@code outlook365:mail/send}, for messages. */
    public String action() {
        return "outlook365:" + operation.name();
    }

    /** The Graph permission the action is registered with. */
    public GraphPermission permission() {
        return operation.permission();
    }

    public Exchange exchange() {
        return exchange;
    }

    public org.apache.camel.Message message() {
        return exchange.getMessage();
    }

    /** The endpoint's options. */
    public Outlook365Configuration configuration() {
        return configuration;
    }

    public Outlook365Connection connection() {
        return connection;
    }

    /** A header as text, or null when it is absent or blank. */
    public String header(String name) {
        String value = message().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value;
    }

    /** A header as it is (a List, a date-time, ...), or null when it is absent or a blank String. */
    public Object headerValue(String name) {
        Object value = message().getHeader(name);
        return value instanceof CharSequence text && text.toString().isBlank() ? null : value;
    }

    /**
     * A value in the one order: header {@code header}, else key {@code bodyKey} of a Map body, else the option named
     * {@code option} whose value is {@code optionValue}. Null when none gives one. Any of the names may be null.
     */
    public Given given(String header, String bodyKey, String option, String optionValue) {
        String value = header == null ? null : header(header);
        if (value != null) {
            return new Given(value, "header " + header);
        }
        if (bodyKey != null && message().getBody() instanceof Map<?, ?> map && map.get(bodyKey) != null
                && !String.valueOf(map.get(bodyKey)).isBlank()) {
            return new Given(String.valueOf(map.get(bodyKey)), "body key " + bodyKey);
        }
        if (optionValue != null && !optionValue.isBlank()) {
            return new Given(optionValue, "option " + option);
        }
        return null;
    }

    /** {@link #given} without where it came from: the value, or null. */
    public String value(String header, String bodyKey, String option, String optionValue) {
        Given given = given(header, bodyKey, option, optionValue);
        return given == null ? null : given.value();
    }

    /** The body when it is text that says something (not blank, and not the id of the message the action works on). */
    public String textBody() {
        return message().getBody() instanceof CharSequence text && !text.toString().isBlank() && !bodyIsTheId
                ? text.toString() : null;
    }

    /**
     * The text sent along (reply, forward, respond, cancel): header CamelOutlook365Comment, else the body's comment (a
     * Map's key or text), else the option comment; null when none.
     */
    public String comment() {
        Given given = given(Outlook365Constants.COMMENT, "comment", null, null);
        if (given != null) {
            return given.value();
        }
        String text = textBody();
        return text != null ? text : value(null, null, "comment", configuration.getComment());
    }

    /**
     * The id of the message to act on: header CamelOutlook365MessageId (the triggers set it), else the body (a String
     * id, a {@link Message}, or a Map with an id).
     */
    public String messageId() {
        String id = header(Outlook365Constants.MESSAGE_ID);
        if (id == null) {
            Object body = message().getBody();
            if (body instanceof Message m) {
                id = m.id();
            } else if (body instanceof Map<?, ?> map && map.get("id") != null) {
                id = String.valueOf(map.get("id"));
            } else if (body instanceof String s && !s.isBlank() && !s.contains(" ")) {
                id = s.trim();
            }
            bodyIsTheId = id != null && !id.isBlank();
        }
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(action() + " needs the id of a message: set header "
                                               + Outlook365Constants.MESSAGE_ID + " (the mail triggers set it) or give the"
                                               + " id, or a Message, as the body");
        }
        messageId = id.trim();
        return messageId;
    }

    /** The id from header CamelOutlook365EventId, required. */
    public String eventId() {
        String id = header(Outlook365Constants.EVENT_ID);
        if (id == null) {
            throw new IllegalArgumentException(action() + " needs the event's id in header " + Outlook365Constants.EVENT_ID
                                               + " (calendar triggers, createEvent and listEvents set it)");
        }
        eventId = id.trim();
        return eventId;
    }

    /** The message id this exchange works on once {@link #messageId()} read it, else null. */
    public String knownMessageId() {
        return messageId;
    }

    /** The event id this exchange works on once {@link #eventId()} read it, else null. */
    public String knownEventId() {
        return eventId;
    }

    /**
     * Calls Graph on the connection's mailbox with the action's {@code Prefer} value.
     *
     * @param jsonBody a String of JSON, an object Jackson writes, or null
     */
    public GraphResponse send(String method, String url, Object jsonBody) {
        String body;
        try {
            body = jsonBody == null ? null
                    : jsonBody instanceof String s ? s : GraphJson.MAPPER.writeValueAsString(jsonBody);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request of " + action() + ": " + e.getMessage(), e);
        }
        return connection.graph().execute(
                new GraphRequest(method, url, connection.account(), new LinkedHashMap<>(), body).prefer(preference));
    }

    public JsonNode get(String url) {
        return send("GET", url, null).body();
    }

    /** A Graph answer that is not JSON (a file, a MIME message), streamed; the route closes it. */
    public InputStream download(String url) {
        return connection.graph().download(GraphRequest.get(connection.account(), url));
    }
}

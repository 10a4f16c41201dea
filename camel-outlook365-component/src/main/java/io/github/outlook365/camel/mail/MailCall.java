package io.github.outlook365.camel.mail;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.graph.GraphRequest;
import io.github.outlook365.camel.graph.GraphResponse;
import io.github.outlook365.camel.model.Message;
import org.apache.camel.Exchange;

/** One exchange passing through a mail action: its message, the endpoint's options and the connection. */
final class MailCall {

    final String action;
    final Exchange exchange;
    final Outlook365Configuration configuration;
    final Outlook365Connection connection;
    /** The message id the call works on, once known (for error messages). */
    String messageId;

    MailCall(String action, Exchange exchange, Outlook365Configuration configuration, Outlook365Connection connection) {
        this.action = action;
        this.exchange = exchange;
        this.configuration = configuration;
        this.connection = connection;
    }

    org.apache.camel.Message in() {
        return exchange.getMessage();
    }

    String header(String name) {
        return in().getHeader(name, String.class);
    }

    /** A header, else an option, else null; blanks count as absent. */
    String headerOrOption(String header, String option) {
        String value = header(header);
        if (value != null && !value.isBlank()) {
            return value;
        }
        return option == null || option.isBlank() ? null : option;
    }

    /**
     * The id of the message to act on: header CamelOutlook365MessageId (the triggers set it), else the body (a String
     * id, a {@link Message}, or a Map with an id).
     */
    String messageId() {
        String id = header(Outlook365Constants.MESSAGE_ID);
        if (id == null || id.isBlank()) {
            Object body = in().getBody();
            if (body instanceof Message m) {
                id = m.id();
            } else if (body instanceof Map<?, ?> map && map.get("id") != null) {
                id = String.valueOf(map.get("id"));
            } else if (body instanceof String s && !s.isBlank() && !s.contains(" ")) {
                id = s.trim();
            }
        }
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("outlook365:" + action + " needs the id of a message: set header "
                                               + Outlook365Constants.MESSAGE_ID + " (the mail triggers set it) or give the"
                                               + " id, or a Message, as the body");
        }
        messageId = id.trim();
        return messageId;
    }

    String messagePath(String id) {
        return connection.mailboxPath() + "/messages/" + GraphClient.encodePathSegment(id);
    }

    /** The message's path below the Graph version root, for a request inside a $batch. */
    String batchPath(String id) {
        return messagePath(id).substring("/v1.0".length());
    }

    GraphResponse send(String method, String url, Object jsonBody) {
        String body;
        try {
            body = jsonBody == null ? null
                    : jsonBody instanceof String s ? s : GraphJson.MAPPER.writeValueAsString(jsonBody);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request of outlook365:" + action + ": " + e.getMessage(), e);
        }
        GraphRequest request = new GraphRequest(method, url, connection.account(), new LinkedHashMap<>(), body);
        String prefer = bodyPreference();
        if (prefer != null) {
            request = request.withHeader("Prefer", prefer);
        }
        return connection.graph().execute(request);
    }

    JsonNode get(String url) {
        return send("GET", url, null).body();
    }

    /** {@code outlook.body-content-type="text|html"} when the endpoint asks for one, else null. */
    String bodyPreference() {
        return MailBodyType.preference(configuration.getBodyContentType());
    }

    String folderId(String folder, String what) {
        return MailFolders.resolveId(connection, folder, what);
    }
}

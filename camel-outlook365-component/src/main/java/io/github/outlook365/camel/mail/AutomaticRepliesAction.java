package io.github.outlook365.camel.mail;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.model.AutomaticRepliesStatus;
import io.github.outlook365.camel.model.ExternalAudience;

/**
 * {@code outlook365:mail/setAutomaticReplies}: {@code PATCH /users/{account}/mailboxSettings} with
 * {@code {"automaticRepliesSetting": {"status", "externalAudience", "scheduledStartDateTime",
 * "scheduledEndDateTime", "internalReplyMessage", "externalReplyMessage"}}}. The messages come from the body: text
 * (the same for both audiences) or a Map with internalReplyMessage and externalReplyMessage (and any other property
 * of Graph's automaticRepliesSetting). The body becomes the automaticRepliesSetting Graph answered (a Map).
 */
final class AutomaticRepliesAction implements MailAction {

    private static final DateTimeFormatter GRAPH_LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    @Override
    public void validate(Outlook365Endpoint endpoint) {
        Outlook365Configuration c = endpoint.getConfiguration();
        if (status(c) == AutomaticRepliesStatus.scheduled) {
            OffsetDateTime start = time(c.getScheduledStartDateTime(), "scheduledStartDateTime");
            OffsetDateTime end = time(c.getScheduledEndDateTime(), "scheduledEndDateTime");
            if (!start.isBefore(end)) {
                throw new IllegalArgumentException("option scheduledStartDateTime must lie before scheduledEndDateTime");
            }
        }
    }

    @Override
    public void process(ActionExchange call) {
        Outlook365Configuration c = call.configuration();
        ObjectNode setting = GraphJson.MAPPER.createObjectNode();
        AutomaticRepliesStatus status = status(c);
        setting.put("status", status.name());
        setting.put("externalAudience", audience(c).name());
        if (status == AutomaticRepliesStatus.scheduled) {
            setting.set("scheduledStartDateTime", dateTimeTimeZone(time(c.getScheduledStartDateTime(),
                    "scheduledStartDateTime")));
            setting.set("scheduledEndDateTime", dateTimeTimeZone(time(c.getScheduledEndDateTime(), "scheduledEndDateTime")));
        }
        Object body = call.message().getBody();
        if (body instanceof Map<?, ?> map) {
            setting.setAll((ObjectNode) GraphJson.MAPPER.valueToTree(map));
        } else if (body != null) {
            String text = call.message().getBody(String.class);
            setting.put("internalReplyMessage", text);
            setting.put("externalReplyMessage", text);
        }
        ObjectNode request = GraphJson.MAPPER.createObjectNode();
        request.set("automaticRepliesSetting", setting);
        JsonNode answer = call.send("PATCH", call.connection().mailboxPath() + "/mailboxSettings", request).body();
        JsonNode result = answer == null ? setting : answer.path("automaticRepliesSetting");
        call.message().setBody(GraphJson.MAPPER.convertValue(result, Map.class));
    }

    private static AutomaticRepliesStatus status(Outlook365Configuration c) {
        return c.getAutoReplyStatus() == null ? AutomaticRepliesStatus.alwaysEnabled : c.getAutoReplyStatus();
    }

    private static ExternalAudience audience(Outlook365Configuration c) {
        return c.getExternalAudience() == null ? ExternalAudience.all : c.getExternalAudience();
    }

    private static OffsetDateTime time(String value, String option) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("autoReplyStatus=scheduled needs option " + option + " (an ISO-8601"
                                               + " date-time with offset, e.g. 2026-07-01T08:00:00+02:00)");
        }
        try {
            return OffsetDateTime.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("option " + option + "='" + value + "' is not an ISO-8601 date-time with"
                                               + " offset, e.g. 2026-07-01T08:00:00+02:00");
        }
    }

    private static ObjectNode dateTimeTimeZone(OffsetDateTime time) {
        ObjectNode node = GraphJson.MAPPER.createObjectNode();
        node.put("dateTime", GRAPH_LOCAL.format(time.withOffsetSameInstant(ZoneOffset.UTC)));
        node.put("timeZone", "UTC");
        return node;
    }
}

package io.github.outlook365.camel.mail;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.ActionExchange;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.Outlook365Constants;
import io.github.outlook365.camel.Outlook365Endpoint;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.model.Message;
import org.apache.camel.Exchange;

/** {@code outlook365:mail/get}, {@code outlook365:mail/list} and {@code outlook365:mail/exportEml}: reading messages. */
final class ReadActions {

    private ReadActions() {
    }

    /** {@code GET /messages/{id}}: the body becomes the {@link Message}. */
    static final class Get implements MailAction {
        @Override
        public void process(ActionExchange call) {
            String id = call.messageId();
            Message message = Message.fromGraph(call.get(call.connection().messagePath(id) + "?$select="
                                                         + MailTriggerConsumer.SELECT));
            call.message().setBody(message);
            call.message().setHeader(Outlook365Constants.MESSAGE_ID, message.id());
            call.message().setHeader(Outlook365Constants.SUBJECT, message.subject());
            call.message().setHeader(Outlook365Constants.FROM, message.fromAddress());
        }
    }

    /**
     * {@code GET /mailFolders/{folder}/messages}: newest first (or by relevance with {@code search}), following Graph's
     * pages ({@code pageSize} each) until {@code limit} messages pass the trigger's filters (from, to, cc, subjectContains,
     * importance, onlyWithAttachments, unreadOnly, filter; checked here, as Graph does not combine them with $search).
     * The body becomes a {@code List<Message>} (and header CamelOutlook365MessageId is removed).
     */
    static final class ListMessages implements MailAction {

        private MailFilter filter;

        @Override
        public void validate(Outlook365Endpoint endpoint) {
            Outlook365Configuration configuration = endpoint.getConfiguration();
            filter = MailFilter.of(configuration, true);
            if (configuration.getLimit() < 1) {
                throw new IllegalArgumentException("option limit=" + configuration.getLimit() + " must be at least 1: it"
                                                   + " is the most messages outlook365:mail/list returns");
            }
        }

        @Override
        public void process(ActionExchange call) {
            Outlook365Configuration options = call.configuration();
            int limit = options.getLimit();
            String folderId = MailFolders.resolveId(call.connection(), options.getFolder(), "option folder");
            StringBuilder url = new StringBuilder(call.connection().mailboxPath()).append("/mailFolders/")
                    .append(GraphClient.encodePathSegment(folderId)).append("/messages?$select=")
                    .append(MailTriggerConsumer.SELECT).append("&$top=")
                    .append(Math.min(limit, Math.max(1, options.getPageSize())));
            String search = options.getSearch();
            if (search != null && !search.isBlank()) {
                String quoted = search.trim().startsWith("\"") ? search.trim() : "\"" + search.trim() + "\"";
                url.append("&$search=").append(GraphClient.encodeQueryValue(quoted));
            } else {
                url.append("&$orderby=").append(GraphClient.encodeQueryValue("receivedDateTime desc"));
            }
            List<Message> messages = new ArrayList<>();
            String next = url.toString();
            while (next != null && messages.size() < limit) {
                JsonNode page = call.get(next);
                for (JsonNode item : page.path("value")) {
                    if (messages.size() < limit && filter.test(item)) {
                        messages.add(Message.fromGraph(item));
                    }
                }
                next = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
            }
            call.message().setBody(messages);
            // the body is many messages now: a single id left from a trigger would make the next action (archive,
            // markRead, ...) act on that one message instead of the list
            call.message().removeHeader(Outlook365Constants.MESSAGE_ID);
        }
    }

    /**
     * {@code GET /messages/{id}/$value}: the message as MIME (an .eml file), streamed; the body becomes an InputStream,
     * Content-Type message/rfc822.
     */
    static final class ExportEml implements MailAction {
        @Override
        public void process(ActionExchange call) {
            String id = call.messageId();
            call.message().setBody(call.download(call.connection().messagePath(id) + "/$value"));
            call.message().setHeader(Exchange.CONTENT_TYPE, "message/rfc822");
        }
    }
}

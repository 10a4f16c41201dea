package io.github.outlook365.camel.mail;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.Outlook365Configuration;
import io.github.outlook365.camel.model.Recipient;

/**
 * The message filters of the mail triggers and of mail/list, checked on a message's Graph JSON: from, to, cc (each a
 * {@code ;} list, any match), subjectContains, importance, onlyWithAttachments, unreadOnly and an OData filter. Every
 * option is checked when the route starts.
 */
final class MailFilter implements Predicate<JsonNode> {

    private final List<Predicate<JsonNode>> checks = new ArrayList<>();

    private MailFilter() {
    }

    /** The filters the endpoint's options ask for; {@code recipientsFilter} says whether to and cc filter. */
    static MailFilter of(Outlook365Configuration c, boolean recipientsFilter) {
        MailFilter filter = new MailFilter();
        List<String> from = addresses(c.getFrom(), "option from");
        if (!from.isEmpty()) {
            filter.checks.add(m -> from.contains(address(m.path("from")))
                                   || from.contains(address(m.path("sender"))));
        }
        if (recipientsFilter) {
            List<String> to = addresses(c.getTo(), "option to");
            if (!to.isEmpty()) {
                filter.checks.add(m -> anyOf(m.path("toRecipients"), to));
            }
            List<String> cc = addresses(c.getCc(), "option cc");
            if (!cc.isEmpty()) {
                filter.checks.add(m -> anyOf(m.path("ccRecipients"), cc));
            }
            if (c.getImportance() != null) {
                String importance = c.getImportance().name();
                filter.checks.add(m -> importance.equalsIgnoreCase(m.path("importance").asText()));
            }
        }
        if (c.getSubjectContains() != null && !c.getSubjectContains().isEmpty()) {
            String words = c.getSubjectContains().toLowerCase(Locale.ROOT);
            filter.checks.add(m -> m.path("subject").asText("").toLowerCase(Locale.ROOT).contains(words));
        }
        if (c.isOnlyWithAttachments()) {
            filter.checks.add(m -> m.path("hasAttachments").asBoolean(false));
        }
        if (c.isUnreadOnly()) {
            filter.checks.add(m -> !m.path("isRead").asBoolean(false));
        }
        if (c.getFilter() != null && !c.getFilter().isBlank()) {
            filter.checks.add(ODataFilter.parse(c.getFilter().trim(), "option filter"));
        }
        return filter;
    }

    boolean isEmpty() {
        return checks.isEmpty();
    }

    @Override
    public boolean test(JsonNode message) {
        for (Predicate<JsonNode> check : checks) {
            if (!check.test(message)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> addresses(String list, String what) {
        List<String> result = new ArrayList<>();
        for (Recipient r : Recipient.parseList(list, what)) {
            result.add(r.address().toLowerCase(Locale.ROOT));
        }
        return result;
    }

    private static String address(JsonNode recipient) {
        return recipient.path("emailAddress").path("address").asText("").toLowerCase(Locale.ROOT);
    }

    private static boolean anyOf(JsonNode recipients, List<String> wanted) {
        for (JsonNode r : recipients) {
            if (wanted.contains(address(r))) {
                return true;
            }
        }
        return false;
    }
}

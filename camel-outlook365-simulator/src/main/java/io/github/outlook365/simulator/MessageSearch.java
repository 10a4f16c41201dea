package io.github.outlook365.simulator;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The part of $search on messages the simulator understands: {@code "words"} (found in subject, body or sender) or
 * {@code "from:x"}, {@code "subject:x"}, {@code "body:x"}. Graph treats the words as a KQL query; the simulator
 * matches them as one case-insensitive substring.
 */
final class MessageSearch {

    private final String property;
    private final String words;

    private MessageSearch(String property, String words) {
        this.property = property;
        this.words = words;
    }

    static MessageSearch parse(String search) {
        if (search == null) {
            return null;
        }
        String s = search.trim();
        if (s.length() < 2 || !s.startsWith("\"") || !s.endsWith("\"")) {
            throw GraphException.badRequest("Syntax error: the $search value must be enclosed in double quotes.");
        }
        s = s.substring(1, s.length() - 1).trim();
        String property = null;
        int colon = s.indexOf(':');
        if (colon > 0) {
            String p = s.substring(0, colon).toLowerCase(Locale.ROOT);
            if (p.equals("from") || p.equals("subject") || p.equals("body")) {
                property = p;
                s = s.substring(colon + 1).trim();
            }
        }
        return new MessageSearch(property, s.toLowerCase(Locale.ROOT));
    }

    boolean test(JsonNode message) {
        boolean subject = contains(message.path("subject").asText(""));
        boolean body = contains(message.path("body").path("content").asText(""));
        boolean from = contains(message.path("from").path("emailAddress").path("address").asText(""))
                || contains(message.path("from").path("emailAddress").path("name").asText(""));
        if (property == null) {
            return subject || body || from;
        }
        switch (property) {
            case "from":
                return from;
            case "subject":
                return subject;
            default:
                return body;
        }
    }

    private boolean contains(String text) {
        return text.toLowerCase(Locale.ROOT).contains(words);
    }
}

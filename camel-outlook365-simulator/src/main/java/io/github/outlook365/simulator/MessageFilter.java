package io.github.outlook365.simulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The small part of OData $filter the simulator understands: clauses joined by "and", each
 * {@code property op literal}. For delta queries only {@code receivedDateTime ge|gt <date-time>} is allowed, as in
 * Graph.
 */
final class MessageFilter {

    private static final Pattern CLAUSE = Pattern.compile("^\\s*([A-Za-z][A-Za-z/]*)\\s+(eq|ne|ge|gt|le|lt)\\s+(.+?)\\s*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern AND = Pattern.compile("\\s+and\\s+", Pattern.CASE_INSENSITIVE);

    private static final List<String> TIME_PROPERTIES =
            List.of("receivedDateTime", "sentDateTime", "createdDateTime", "lastModifiedDateTime");
    private static final List<String> BOOLEAN_PROPERTIES = List.of("isRead", "hasAttachments", "isDraft");
    private static final List<String> STRING_PROPERTIES = List.of("importance", "subject", "inferenceClassification",
            "conversationId", "internetMessageId", "from/emailAddress/address", "sender/emailAddress/address");

    record Clause(String property, String op, Object value) {
    }

    final String expression;
    final List<Clause> clauses;

    private MessageFilter(String expression, List<Clause> clauses) {
        this.expression = expression;
        this.clauses = clauses;
    }

    static GraphException invalid() {
        return new GraphException(400, "ErrorInvalidUrlQueryFilter",
                "The query filter contains one or more invalid nodes.");
    }

    /** Parses $filter; null when absent. */
    static MessageFilter parse(String expression, boolean delta) {
        if (expression == null || expression.isBlank()) {
            return null;
        }
        List<Clause> clauses = new ArrayList<>();
        for (String part : AND.split(expression.trim())) {
            Matcher m = CLAUSE.matcher(part);
            if (!m.matches()) {
                throw invalid();
            }
            String property = canonical(m.group(1));
            String op = m.group(2).toLowerCase(Locale.ROOT);
            String literal = m.group(3);
            if (property == null) {
                throw invalid();
            }
            Object value;
            if (TIME_PROPERTIES.contains(property)) {
                value = parseInstant(literal);
            } else if (BOOLEAN_PROPERTIES.contains(property)) {
                if (!literal.equalsIgnoreCase("true") && !literal.equalsIgnoreCase("false")) {
                    throw invalid();
                }
                if (!op.equals("eq") && !op.equals("ne")) {
                    throw invalid();
                }
                value = Boolean.parseBoolean(literal.toLowerCase(Locale.ROOT));
            } else {
                if (literal.length() < 2 || !literal.startsWith("'") || !literal.endsWith("'")) {
                    throw invalid();
                }
                if (!op.equals("eq") && !op.equals("ne")) {
                    throw invalid();
                }
                value = literal.substring(1, literal.length() - 1).replace("''", "'");
            }
            clauses.add(new Clause(property, op, value));
        }
        if (delta && (clauses.size() != 1 || !clauses.get(0).property().equals("receivedDateTime")
                || !(clauses.get(0).op().equals("ge") || clauses.get(0).op().equals("gt")))) {
            throw invalid();
        }
        return new MessageFilter(expression, List.copyOf(clauses));
    }

    private static String canonical(String property) {
        for (List<String> list : List.of(TIME_PROPERTIES, BOOLEAN_PROPERTIES, STRING_PROPERTIES)) {
            for (String candidate : list) {
                if (candidate.equalsIgnoreCase(property)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    static Instant parseInstant(String literal) {
        String text = literal.trim();
        if (text.length() >= 2 && text.startsWith("'") && text.endsWith("'")) {
            text = text.substring(1, text.length() - 1);
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw invalid();
        }
    }

    boolean test(ObjectNode message) {
        for (Clause clause : clauses) {
            if (!test(clause, message)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The earliest receivedDateTime the filter lets through (from its {@code receivedDateTime ge|gt} clauses), or null:
     * where an index of the folder by receivedDateTime can start.
     */
    Instant receivedFrom() {
        Instant from = null;
        for (Clause clause : clauses) {
            if (clause.property().equals("receivedDateTime")
                && (clause.op().equals("ge") || clause.op().equals("gt") || clause.op().equals("eq"))) {
                Instant value = (Instant) clause.value();
                from = from == null || value.isAfter(from) ? value : from;
            }
        }
        return from;
    }

    /** For removed messages, of which only the received time is known. */
    boolean testReceived(Instant received) {
        for (Clause clause : clauses) {
            if (clause.property().equals("receivedDateTime") && !compare(received, clause)) {
                return false;
            }
        }
        return true;
    }

    private static boolean test(Clause clause, ObjectNode message) {
        JsonNode node = message;
        for (String segment : clause.property().split("/")) {
            node = node.path(segment);
        }
        if (clause.value() instanceof Instant) {
            if (!node.isTextual()) {
                return false;
            }
            return compare(Instant.parse(node.asText()), clause);
        }
        boolean equal;
        if (clause.value() instanceof Boolean) {
            equal = node.asBoolean() == (Boolean) clause.value();
        } else {
            equal = node.isTextual() && node.asText().equalsIgnoreCase((String) clause.value());
        }
        return clause.op().equals("eq") == equal;
    }

    private static boolean compare(Instant actual, Clause clause) {
        int c = actual.compareTo((Instant) clause.value());
        switch (clause.op()) {
            case "eq":
                return c == 0;
            case "ne":
                return c != 0;
            case "ge":
                return c >= 0;
            case "gt":
                return c > 0;
            case "le":
                return c <= 0;
            default:
                return c < 0;
        }
    }
}

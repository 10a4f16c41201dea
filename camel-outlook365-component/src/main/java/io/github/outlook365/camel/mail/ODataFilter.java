package io.github.outlook365.camel.mail;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An OData {@code $filter} expression evaluated on a message's JSON, for what Graph does not filter itself (message
 * delta accepts only {@code receivedDateTime} in {@code $filter}).
 * <p>
 * Understands {@code and}, {@code or}, {@code not}, parentheses; {@code eq ne gt ge lt le} between property paths
 * ({@code from/emailAddress/address}) and literals ('text', true, false, null, numbers, date-times);
 * {@code contains}, {@code startswith}, {@code endswith}; and {@code any} over collections
 * ({@code categories/any(c:c eq 'Red')}, {@code toRecipients/any(r:r/emailAddress/address eq 'a@b.c')}). Text
 * compares without regard to case, as Exchange does.
 */
final class ODataFilter implements Predicate<JsonNode> {

    private interface Node {
        Object eval(JsonNode root, Map<String, JsonNode> vars);
    }

    private final String expression;
    private final Node root;

    private ODataFilter(String expression, Node root) {
        this.expression = expression;
        this.root = root;
    }

    /** Parses the expression; an IllegalArgumentException names the option and where it went wrong. */
    static ODataFilter parse(String expression, String what) {
        Parser parser = new Parser(expression, what);
        Node node = parser.expression();
        parser.expectEnd();
        return new ODataFilter(expression, node);
    }

    @Override
    public boolean test(JsonNode message) {
        return Boolean.TRUE.equals(root.eval(message, Map.of()));
    }

    @Override
    public String toString() {
        return expression;
    }

    // ---------------------------------------------------------------- evaluation

    private static Object value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            return node.asText();
        }
        return node;
    }

    private static int compare(Object a, Object b) {
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y);
        }
        if (a instanceof String x && b instanceof String y) {
            OffsetDateTime dx = dateTime(x);
            OffsetDateTime dy = dateTime(y);
            if (dx != null && dy != null) {
                return dx.toInstant().compareTo(dy.toInstant());
            }
            return x.toLowerCase(Locale.ROOT).compareTo(y.toLowerCase(Locale.ROOT));
        }
        return String.valueOf(a).compareToIgnoreCase(String.valueOf(b));
    }

    private static OffsetDateTime dateTime(String s) {
        if (s.length() < 19 || !Character.isDigit(s.charAt(0))) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a instanceof Boolean || b instanceof Boolean) {
            return a.equals(b);
        }
        return compare(a, b) == 0;
    }

    // ---------------------------------------------------------------- parsing

    private static final class Parser {
        private final String text;
        private final String what;
        private final List<String> tokens = new ArrayList<>();
        private final List<Integer> positions = new ArrayList<>();
        private int next;

        Parser(String text, String what) {
            this.text = text;
            this.what = what;
            tokenize();
        }

        private IllegalArgumentException error(String problem) {
            int at = next < positions.size() ? positions.get(next) : text.length();
            return new IllegalArgumentException(what + "='" + text + "' is not an OData filter the trigger understands: "
                                                + problem + " at position " + at + ". Use e.g. importance eq 'high' and"
                                                + " contains(subject,'invoice'), from/emailAddress/address eq"
                                                + " 'ada@contoso.com', categories/any(c:c eq 'Red')");
        }

        private void tokenize() {
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (c == '(' || c == ')' || c == ',' || c == ':') {
                    add(String.valueOf(c), i);
                    i++;
                } else if (c == '\'') {
                    StringBuilder s = new StringBuilder("'");
                    int start = i++;
                    while (true) {
                        if (i >= text.length()) {
                            positions.add(start);
                            next = positions.size() - 1;
                            throw error("a text literal is not closed");
                        }
                        char d = text.charAt(i++);
                        if (d == '\'') {
                            if (i < text.length() && text.charAt(i) == '\'') {
                                s.append('\'');
                                i++;
                            } else {
                                break;
                            }
                        } else {
                            s.append(d);
                        }
                    }
                    add(s.toString(), start);
                } else {
                    int start = i;
                    boolean literal = Character.isDigit(c) || c == '-';
                    while (i < text.length()) {
                        char d = text.charAt(i);
                        if (Character.isLetterOrDigit(d) || d == '_' || d == '/' || d == '.' || d == '-' || d == '+'
                                || (literal && d == ':')) {
                            i++;
                        } else {
                            break;
                        }
                    }
                    if (i == start) {
                        positions.add(start);
                        next = positions.size() - 1;
                        throw error("unexpected '" + c + "'");
                    }
                    add(text.substring(start, i), start);
                }
            }
        }

        private void add(String token, int position) {
            tokens.add(token);
            positions.add(position);
        }

        private String peek() {
            return next < tokens.size() ? tokens.get(next) : null;
        }

        private boolean acceptWord(String word) {
            if (word.equalsIgnoreCase(peek())) {
                next++;
                return true;
            }
            return false;
        }

        private void expect(String token) {
            if (!token.equals(peek())) {
                throw error("expected '" + token + "'" + (peek() == null ? " but the expression ended" : ""));
            }
            next++;
        }

        void expectEnd() {
            if (peek() != null) {
                throw error("unexpected '" + peek() + "'");
            }
        }

        Node expression() {
            Node left = and();
            while (acceptWord("or")) {
                Node l = left;
                Node r = and();
                left = (m, v) -> Boolean.TRUE.equals(l.eval(m, v)) || Boolean.TRUE.equals(r.eval(m, v));
            }
            return left;
        }

        private Node and() {
            Node left = not();
            while (acceptWord("and")) {
                Node l = left;
                Node r = not();
                left = (m, v) -> Boolean.TRUE.equals(l.eval(m, v)) && Boolean.TRUE.equals(r.eval(m, v));
            }
            return left;
        }

        private Node not() {
            if (acceptWord("not")) {
                Node inner = not();
                return (m, v) -> !Boolean.TRUE.equals(inner.eval(m, v));
            }
            return comparison();
        }

        private Node comparison() {
            Node left = operand();
            String op = peek() == null ? null : peek().toLowerCase(Locale.ROOT);
            if (op != null && List.of("eq", "ne", "gt", "ge", "lt", "le").contains(op)) {
                next++;
                Node right = operand();
                return (m, v) -> {
                    Object a = left.eval(m, v);
                    Object b = right.eval(m, v);
                    return switch (op) {
                        case "eq" -> equal(a, b);
                        case "ne" -> !equal(a, b);
                        default -> {
                            if (a == null || b == null) {
                                yield false;
                            }
                            int c = compare(a, b);
                            yield op.equals("gt") ? c > 0 : op.equals("ge") ? c >= 0 : op.equals("lt") ? c < 0 : c <= 0;
                        }
                    };
                };
            }
            return left;
        }

        private Node operand() {
            String token = peek();
            if (token == null) {
                throw error("the expression ended early");
            }
            if (token.equals("(")) {
                next++;
                Node inner = expression();
                expect(")");
                return inner;
            }
            next++;
            if (token.startsWith("'")) {
                String literal = token.substring(1);
                return (m, v) -> literal;
            }
            String lower = token.toLowerCase(Locale.ROOT);
            switch (lower) {
                case "true":
                    return (m, v) -> Boolean.TRUE;
                case "false":
                    return (m, v) -> Boolean.FALSE;
                case "null":
                    return (m, v) -> null;
                default:
                    break;
            }
            if (Character.isDigit(token.charAt(0)) || token.charAt(0) == '-') {
                if (token.length() >= 10 && token.charAt(4) == '-') {
                    return (m, v) -> token;
                }
                try {
                    BigDecimal number = new BigDecimal(token);
                    return (m, v) -> number;
                } catch (NumberFormatException e) {
                    throw error("'" + token + "' is not a number");
                }
            }
            if ("(".equals(peek()) && List.of("contains", "startswith", "endswith").contains(lower)) {
                next++;
                Node a = operand();
                expect(",");
                Node b = operand();
                expect(")");
                return (m, v) -> {
                    Object x = a.eval(m, v);
                    Object y = b.eval(m, v);
                    if (!(x instanceof String s) || !(y instanceof String t)) {
                        return false;
                    }
                    String hay = s.toLowerCase(Locale.ROOT);
                    String needle = t.toLowerCase(Locale.ROOT);
                    return lower.equals("contains") ? hay.contains(needle)
                            : lower.equals("startswith") ? hay.startsWith(needle) : hay.endsWith(needle);
                };
            }
            if (lower.endsWith("/any") && "(".equals(peek())) {
                String collection = token.substring(0, token.length() - 4);
                next++;
                String variable = peek();
                if (variable == null || variable.startsWith("'")) {
                    throw error("expected a variable name in any(...)");
                }
                next++;
                expect(":");
                Node body = expression();
                expect(")");
                return (m, v) -> {
                    JsonNode list = resolve(collection, m, v);
                    if (list == null || !list.isArray()) {
                        return false;
                    }
                    for (JsonNode element : list) {
                        Map<String, JsonNode> scope = new java.util.HashMap<>(v);
                        scope.put(variable, element);
                        if (Boolean.TRUE.equals(body.eval(m, scope))) {
                            return true;
                        }
                    }
                    return false;
                };
            }
            if (!Character.isLetter(token.charAt(0))) {
                throw error("unexpected '" + token + "'");
            }
            return (m, v) -> value(resolve(token, m, v));
        }

        private static JsonNode resolve(String path, JsonNode message, Map<String, JsonNode> vars) {
            String[] steps = path.split("/");
            JsonNode node = vars.containsKey(steps[0]) ? vars.get(steps[0]) : message.get(steps[0]);
            for (int i = 1; i < steps.length && node != null; i++) {
                node = node.get(steps[i]);
            }
            return node;
        }
    }
}

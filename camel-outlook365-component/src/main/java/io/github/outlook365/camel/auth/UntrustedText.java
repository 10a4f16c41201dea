package io.github.outlook365.camel.auth;

/**
 * Text that came from outside (a callback's query parameters, a user name in a token) made safe to put into a log line
 * or an error page shown as text: control characters (CR and LF above all, which would forge log lines) become a
 * space, and it is cut to a length a person can read.
 */
public final class UntrustedText {

    private static final int MAX = 200;

    private UntrustedText() {
    }

    public static String clean(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX + 3));
        for (int i = 0; i < text.length() && out.length() < MAX; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        if (text.length() > MAX) {
            out.append("...");
        }
        return out.toString();
    }

    /** For an HTML page: clean, then &amp; &lt; &gt; &quot; &#39; escaped. */
    public static String html(String text) {
        String clean = clean(text);
        if (clean == null) {
            return "";
        }
        return clean.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}

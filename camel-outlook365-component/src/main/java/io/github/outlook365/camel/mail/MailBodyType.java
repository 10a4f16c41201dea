package io.github.outlook365.camel.mail;

import java.util.Locale;

import io.github.outlook365.camel.graph.Prefer;

/** The bodyContentType option: in which format Graph returns message bodies. */
final class MailBodyType {

    private MailBodyType() {
    }

    /** Checks the option; null when unset. */
    static String check(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!v.equals("text") && !v.equals("html")) {
            throw new IllegalArgumentException("option bodyContentType='" + value + "' is not known: use text or html"
                                               + " (or leave it out to get bodies as they were written)");
        }
        return v;
    }

    /** The Prefer header value that asks Graph for that body format, or null. */
    static String preference(String value) {
        String v = check(value);
        return Prefer.bodyContentType(v);
    }
}

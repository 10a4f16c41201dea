package io.github.outlook365.camel.model;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Graph's recipient: {@code {"emailAddress": {"address": ..., "name": ...}}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Recipient(EmailAddress emailAddress) {

    // "Name <a@b.c>" or "a@b.c"
    private static final Pattern NAMED = Pattern.compile("^\\s*\"?([^\"<]*?)\"?\\s*<([^>]+)>\\s*$");
    private static final Pattern ADDRESS = Pattern.compile("^[^@\\s<>(),;:\"]+@[^@\\s<>(),;:\"]+\\.[^@\\s<>(),;:\"]+$");

    public static Recipient of(String address) {
        return new Recipient(new EmailAddress(address, null));
    }

    public static Recipient of(String address, String name) {
        return new Recipient(new EmailAddress(address, name));
    }

    public String address() {
        return emailAddress == null ? null : emailAddress.address();
    }

    /**
     * Parses a list as users type it: addresses separated by {@code ;} or {@code ,}, each either {@code a@b.c} or
     * {@code Name <a@b.c>}.
     *
     * @param  what                     names the option or header the list came from, for the error message
     * @throws IllegalArgumentException naming {@code what} when an entry is not an email address
     */
    public static List<Recipient> parseList(String list, String what) {
        List<Recipient> result = new ArrayList<>();
        if (list == null || list.isBlank()) {
            return result;
        }
        for (String entry : list.split("[;,]")) {
            if (entry.isBlank()) {
                continue;
            }
            String name = null;
            String address = entry.trim();
            Matcher m = NAMED.matcher(entry);
            if (m.matches()) {
                name = m.group(1).isBlank() ? null : m.group(1).trim();
                address = m.group(2).trim();
            }
            if (!isEmailAddress(address)) {
                throw new IllegalArgumentException("'" + entry.trim() + "' in " + what + " is not an email address:"
                                                   + " give addresses like ada@contoso.com or Ada Lovelace <ada@contoso.com>,"
                                                   + " separated by ;");
            }
            result.add(of(address, name));
        }
        return result;
    }

    public static boolean isEmailAddress(String address) {
        return address != null && ADDRESS.matcher(address).matches();
    }
}

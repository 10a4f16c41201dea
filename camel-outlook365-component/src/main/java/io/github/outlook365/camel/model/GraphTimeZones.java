package io.github.outlook365.camel.model;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;
import java.util.TreeMap;

/**
 * Graph names time zones the Windows way ("Pacific Standard Time") or the IANA way ("America/Los_Angeles"); Java
 * knows only the second. This maps the Windows names Outlook uses (CLDR windowsZones, territory 001).
 */
public final class GraphTimeZones {

    private static final Map<String, String> WINDOWS = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    static {
        String[][] pairs = {
            {"UTC", "UTC"}, {"Coordinated Universal Time", "UTC"}, {"Dateline Standard Time", "Etc/GMT+12"},
            {"UTC-11", "Etc/GMT+11"}, {"Hawaiian Standard Time", "Pacific/Honolulu"},
            {"Alaskan Standard Time", "America/Anchorage"}, {"Pacific Standard Time", "America/Los_Angeles"},
            {"Pacific Standard Time (Mexico)", "America/Tijuana"}, {"US Mountain Standard Time", "America/Phoenix"},
            {"Mountain Standard Time", "America/Denver"}, {"Central America Standard Time", "America/Guatemala"},
            {"Central Standard Time", "America/Chicago"}, {"Central Standard Time (Mexico)", "America/Mexico_City"},
            {"Canada Central Standard Time", "America/Regina"}, {"SA Pacific Standard Time", "America/Bogota"},
            {"Eastern Standard Time", "America/New_York"}, {"US Eastern Standard Time", "America/Indianapolis"},
            {"Atlantic Standard Time", "America/Halifax"}, {"Newfoundland Standard Time", "America/St_Johns"},
            {"E. South America Standard Time", "America/Sao_Paulo"}, {"Argentina Standard Time", "America/Buenos_Aires"},
            {"GMT Standard Time", "Europe/London"}, {"Greenwich Standard Time", "Atlantic/Reykjavik"},
            {"W. Europe Standard Time", "Europe/Berlin"}, {"Central Europe Standard Time", "Europe/Budapest"},
            {"Romance Standard Time", "Europe/Paris"}, {"Central European Standard Time", "Europe/Warsaw"},
            {"W. Central Africa Standard Time", "Africa/Lagos"}, {"GTB Standard Time", "Europe/Bucharest"},
            {"FLE Standard Time", "Europe/Kiev"}, {"E. Europe Standard Time", "Europe/Chisinau"},
            {"Egypt Standard Time", "Africa/Cairo"}, {"South Africa Standard Time", "Africa/Johannesburg"},
            {"Israel Standard Time", "Asia/Jerusalem"}, {"Turkey Standard Time", "Europe/Istanbul"},
            {"Russian Standard Time", "Europe/Moscow"}, {"Arab Standard Time", "Asia/Riyadh"},
            {"Arabian Standard Time", "Asia/Dubai"}, {"Iran Standard Time", "Asia/Tehran"},
            {"Pakistan Standard Time", "Asia/Karachi"}, {"India Standard Time", "Asia/Calcutta"},
            {"Nepal Standard Time", "Asia/Katmandu"}, {"Bangladesh Standard Time", "Asia/Dhaka"},
            {"SE Asia Standard Time", "Asia/Bangkok"}, {"China Standard Time", "Asia/Shanghai"},
            {"Singapore Standard Time", "Asia/Singapore"}, {"Taipei Standard Time", "Asia/Taipei"},
            {"W. Australia Standard Time", "Australia/Perth"}, {"Tokyo Standard Time", "Asia/Tokyo"},
            {"Korea Standard Time", "Asia/Seoul"}, {"Cen. Australia Standard Time", "Australia/Adelaide"},
            {"AUS Eastern Standard Time", "Australia/Sydney"}, {"E. Australia Standard Time", "Australia/Brisbane"},
            {"New Zealand Standard Time", "Pacific/Auckland"}
        };
        for (String[] pair : pairs) {
            WINDOWS.put(pair[0], pair[1]);
        }
    }

    private GraphTimeZones() {
    }

    /**
     * The zone of a Windows or IANA time zone name.
     *
     * @throws IllegalArgumentException when Java and this table know neither
     */
    public static ZoneId zone(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("no time zone given");
        }
        String iana = WINDOWS.get(name.trim());
        try {
            return ZoneId.of(iana != null ? iana : name.trim());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + name + "': use an IANA name such as"
                                               + " Europe/Paris or a Windows name such as W. Europe Standard Time", e);
        }
    }

    public static boolean isKnown(String name) {
        try {
            zone(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

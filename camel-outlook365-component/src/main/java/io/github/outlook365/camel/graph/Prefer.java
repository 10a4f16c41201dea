package io.github.outlook365.camel.graph;

import io.github.outlook365.camel.model.BodyType;

/**
 * The {@code Prefer} header values the component asks Graph for, each written once: page size, body format and time
 * zone. Graph answers in the preferred way and says so in {@code Preference-Applied}.
 */
public final class Prefer {

    private Prefer() {
    }

    /** {@code odata.maxpagesize=N}: the most items per page of a delta round or a list. */
    public static String maxPageSize(int pageSize) {
        return "odata.maxpagesize=" + pageSize;
    }

    /** {@code outlook.body-content-type="text|html"}: message bodies converted to that format; null for none. */
    public static String bodyContentType(BodyType format) {
        return format == null ? null : "outlook.body-content-type=\"" + format.name() + "\"";
    }

    /** {@code outlook.timezone="..."}: event times in that zone instead of UTC; null for none. */
    public static String timeZone(String zone) {
        return zone == null ? null : "outlook.timezone=\"" + zone + "\"";
    }
}

package io.github.outlook365.camel.graph;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One call to Graph.
 *
 * @param method  HTTP method
 * @param url     a path below the Graph root ({@code /v1.0/users/...}) or an absolute link Graph gave
 *                ({@code @odata.nextLink}, {@code @odata.deltaLink})
 * @param mailbox whose throttle budget the call counts against (Outlook allows 4 concurrent requests per mailbox)
 * @param headers extra headers, e.g. {@code Prefer}
 * @param body    JSON body or null
 */
public record GraphRequest(String method, String url, String mailbox, Map<String, String> headers, String body) {

    public static GraphRequest get(String mailbox, String url) {
        return new GraphRequest("GET", url, mailbox, new LinkedHashMap<>(), null);
    }

    public static GraphRequest post(String mailbox, String url, String jsonBody) {
        return new GraphRequest("POST", url, mailbox, new LinkedHashMap<>(), jsonBody);
    }

    public GraphRequest withHeader(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(headers);
        copy.put(name, value);
        return new GraphRequest(method, url, mailbox, copy, body);
    }

    /**
     * The request with one more {@code Prefer} value (see {@link Prefer}), joined to those it has; the request itself
     * when {@code preference} is null.
     */
    public GraphRequest prefer(String preference) {
        if (preference == null) {
            return this;
        }
        String current = headers.get("Prefer");
        return withHeader("Prefer", current == null ? preference : current + ", " + preference);
    }
}

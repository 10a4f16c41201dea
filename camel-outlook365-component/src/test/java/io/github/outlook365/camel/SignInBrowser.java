package io.github.outlook365.camel;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.outlook365.simulator.Outlook365Simulator;

/**
 * What a person does in a browser with a sign-in link, over HTTP against the simulator's sign-in page: open the link,
 * pick the account, accept, and follow the redirect back to the redirect URI (whose query holds code and state).
 */
final class SignInBrowser {

    private static final Pattern FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\">");
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");

    private final HttpClient http;
    private final Outlook365Simulator simulator;
    String lastPage;

    SignInBrowser(Outlook365Simulator simulator) {
        this.simulator = simulator;
        this.http = HttpClient.newBuilder().sslContext(simulator.clientSslContext())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Signs in as {@code user}, accepting ({@code consent=accept}) or declining; returns the callback URL's query. */
    Map<String, String> signIn(String authorizationUrl, String user, boolean accept) throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(authorizationUrl)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        lastPage = page.body();
        if (page.statusCode() != 200) {
            throw new AssertionError("the sign-in page answered " + page.statusCode() + ": " + page.body());
        }
        Matcher form = FORM.matcher(page.body());
        if (!form.find()) {
            throw new AssertionError("no sign-in form in: " + page.body());
        }
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = HIDDEN.matcher(page.body());
        while (hidden.find()) {
            fields.put(unescape(hidden.group(1)), unescape(hidden.group(2)));
        }
        fields.put("login", user);
        fields.put("consent", accept ? "accept" : "cancel");
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl() + unescape(form.group(1))))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 302) {
            throw new AssertionError("the sign-in answered " + answer.statusCode() + ": " + answer.body());
        }
        return query(URI.create(answer.headers().firstValue("Location").orElseThrow()));
    }

    /** Opens a link and returns where it redirects to (e.g. admin consent). */
    URI follow(String url) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 302) {
            throw new AssertionError(url + " answered " + answer.statusCode() + ": " + answer.body());
        }
        return URI.create(answer.headers().firstValue("Location").orElseThrow());
    }

    static Map<String, String> query(URI uri) {
        Map<String, String> query = new LinkedHashMap<>();
        if (uri.getRawQuery() == null) {
            return query;
        }
        for (String part : uri.getRawQuery().split("&")) {
            int eq = part.indexOf('=');
            query.put(URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }

    private static String form(Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return body.toString();
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}

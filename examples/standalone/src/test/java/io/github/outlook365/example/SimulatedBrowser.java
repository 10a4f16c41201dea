package io.github.outlook365.example;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.simulator.Outlook365Simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A person's browser in the example's tests: it keeps the cookies the application sets (one instance, one cookie jar),
 * trusts the simulator's certificate, follows no redirect by itself, and signs in on the simulator's sign-in page.
 */
final class SimulatedBrowser {

    private static final Pattern FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\">");
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");
    private static final Pattern POSTING_FORM = Pattern.compile("<form method=\"POST\" name=\"hiddenform\" action=\"([^\"]+)\">");
    private static final Pattern POSTED = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\" />");
    private static final Pattern SETUP_TOKEN = Pattern.compile("setupToken=([A-Za-z0-9_-]+)");

    final HttpClient http;
    private final Outlook365Simulator simulator;

    SimulatedBrowser(Outlook365Simulator simulator) {
        this.simulator = simulator;
        this.http = HttpClient.newBuilder().sslContext(simulator.clientSslContext()).cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * What Entra sends the browser back to the redirect URI with: the form its page posts there (response_mode=form_post,
     * what the component asks for), or a redirect's URL.
     */
    record Callback(URI target, String form) {
        @Override
        public String toString() {
            return form == null ? target.toString() : target + " (POST " + form + ")";
        }
    }

    /** On the simulator's sign-in page: pick the account, accept; returns what Entra sends the browser back with. */
    Callback signInAtMicrosoft(String authorizeUrl, String user) throws Exception {
        HttpResponse<String> page = get(authorizeUrl);
        assertEquals(200, page.statusCode(), page.body());
        Matcher form = FORM.matcher(page.body());
        assertTrue(form.find(), page.body());
        Map<String, String> fields = fields(page.body(), HIDDEN);
        fields.put("login", user);
        fields.put("consent", "accept");
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(simulator.baseUrl()
                                                                                  + unescape(form.group(1))))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(fields))).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 302) {
            return new Callback(URI.create(answer.headers().firstValue("Location").orElseThrow()), null);
        }
        assertEquals(200, answer.statusCode(), answer.body());
        Matcher post = POSTING_FORM.matcher(answer.body());
        assertTrue(post.find(), answer.body());
        return new Callback(URI.create(unescape(post.group(1))), encode(fields(answer.body(), POSTED)));
    }

    /** Goes where Entra sent the browser: posts the form, as its page's script does, or follows the redirect. */
    HttpResponse<String> comeBack(Callback callback) throws Exception {
        if (callback.form() == null) {
            return get(callback.target().toString());
        }
        return http.send(HttpRequest.newBuilder(callback.target())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(callback.form())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Map<String, String> fields(String html, Pattern pattern) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher field = pattern.matcher(html);
        while (field.find()) {
            fields.put(unescape(field.group(1)), unescape(field.group(2)));
        }
        return fields;
    }

    private static String encode(Map<String, String> fields) {
        StringBuilder body = new StringBuilder();
        fields.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return body.toString();
    }

    /** The setup token of the latest sign-in invitation the application logged (logger outlook365.setup). */
    static String setupToken(CapturedLogs log) {
        List<String> invitations = log.lines().stream().filter(l -> l.startsWith("outlook365.setup ")).toList();
        assertTrue(!invitations.isEmpty(), "no sign-in invitation in the log");
        return setupToken(invitations.get(invitations.size() - 1));
    }

    /** The setup token of one sign-in invitation line ({@code Outlook 365 sign-in for ...: open ...?setupToken=...}). */
    static String setupToken(String invitation) {
        Matcher token = SETUP_TOKEN.matcher(invitation);
        assertTrue(token.find(), invitation);
        return token.group(1);
    }

    private static String unescape(String html) {
        return html.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">")
                .replace("&amp;", "&");
    }
}

package io.github.outlook365.camel;

import java.net.HttpCookie;
import java.net.URI;
import java.net.URLDecoder;
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
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * What a person does in a browser with a sign-in link, over HTTP against the simulator's sign-in page: open the link,
 * pick the account, accept, and follow the redirect back to the redirect URI (whose query holds code and state). One
 * instance is one browser: it keeps the cookies the sign-in start sets and brings them to the callback.
 */
final class SignInBrowser {

    private static final Pattern FORM = Pattern.compile("<form method=\"post\" action=\"([^\"]+)\">");
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">");
    private static final Pattern POSTED = Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\" />");
    private static final Pattern SETUP_TOKEN = Pattern.compile("setupToken=([A-Za-z0-9_-]+)");

    private final HttpClient http;
    private final Outlook365Simulator simulator;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    String lastPage;

    SignInBrowser(Outlook365Simulator simulator) {
        this.simulator = simulator;
        this.http = HttpClient.newBuilder().sslContext(simulator.clientSslContext())
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * Signs in as {@code user}, accepting ({@code consent=accept}) or declining; returns what comes back to the redirect
     * URI: the fields Entra's page posts (response_mode=form_post), or the redirect's query.
     */
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
        if (answer.statusCode() == 200 && answer.body().contains("name=\"hiddenform\"")) {
            // response_mode=form_post: the page's form posts these fields to the redirect URI
            Map<String, String> posted = new LinkedHashMap<>();
            Matcher field = POSTED.matcher(answer.body());
            while (field.find()) {
                posted.put(unescape(field.group(1)), unescape(field.group(2)));
            }
            return posted;
        }
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

    /** Starts a sign-in through connection/authorizationUrl with the setup token; keeps its cookie; the authorize URL. */
    String start(ProducerTemplate template, String setupToken) {
        Exchange answer = template.request("outlook365:connection/authorizationUrl",
                e -> e.getMessage().setHeader("setupToken", setupToken));
        if (answer.getException() != null) {
            throw new IllegalStateException(answer.getException());
        }
        keep(answer.getMessage().getHeader("Set-Cookie", String.class));
        return answer.getMessage().getBody(String.class);
    }

    /** Brings a callback's query to connection/completeAuthorization with this browser's cookies. */
    Map<?, ?> complete(ProducerTemplate template, Map<String, String> callback) {
        Map<String, Object> headers = new LinkedHashMap<>(callback);
        headers.put("Cookie", cookieHeader());
        Exchange answer = template.request("outlook365:connection/completeAuthorization",
                e -> e.getMessage().setHeaders(headers));
        if (answer.getException() != null) {
            throw new org.apache.camel.CamelExecutionException("sign-in refused", answer, answer.getException());
        }
        keep(answer.getMessage().getHeader("Set-Cookie", String.class));
        return answer.getMessage().getBody(Map.class);
    }

    /** The whole sign-in as a person does it: start, pick {@code user} on Entra's page, accept, come back. */
    Map<?, ?> signIn(ProducerTemplate template, String setupToken, String user) throws Exception {
        return complete(template, signIn(start(template, setupToken), user, true));
    }

    /** Stores a Set-Cookie answer as a browser does (Max-Age=0 forgets the cookie). */
    void keep(String setCookie) {
        if (setCookie == null) {
            return;
        }
        for (HttpCookie cookie : HttpCookie.parse(setCookie)) {
            if (cookie.getMaxAge() == 0) {
                cookies.remove(cookie.getName());
            } else {
                cookies.put(cookie.getName(), cookie.getValue());
            }
        }
    }

    /** The Cookie request header this browser sends to the callback. */
    String cookieHeader() {
        StringBuilder header = new StringBuilder();
        cookies.forEach((name, value) -> header.append(header.length() == 0 ? "" : "; ").append(name).append('=')
                .append(value));
        return header.toString();
    }

    int cookieCount() {
        return cookies.size();
    }

    /** The setup token of the latest sign-in invitation the application logged (logger outlook365.setup). */
    static String setupToken(CapturedLogs logs) {
        List<String> invitations = logs.lines().stream().filter(l -> l.startsWith("outlook365.setup ")).toList();
        for (int i = invitations.size() - 1; i >= 0; i--) {
            Matcher token = SETUP_TOKEN.matcher(invitations.get(i));
            if (token.find()) {
                return token.group(1);
            }
        }
        throw new AssertionError("no setup token in the log: " + logs.lines());
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

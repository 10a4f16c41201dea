package io.github.outlook365.example;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * Serves the Hawtio console (static files of the camel-outlook365-console jar, under {@code hawtio/} on the classpath)
 * at {@code /hawtio/} of camel-main's HTTP server, the same origin as Jolokia ({@code /hawtio/jolokia}), so the
 * console connects to this JVM with no manual step.
 */
public final class ConsoleRoutes extends RouteBuilder {

    static final String ROOT = "hawtio/";

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"),
            Map.entry("gif", "image/gif"), Map.entry("jpg", "image/jpeg"));

    @Override
    public void configure() {
        from("platform-http:/hawtio?matchOnUriPrefix=true&httpMethodRestrict=GET")
                .routeId("hawtio-console")
                .process(this::serve);
    }

    private void serve(Exchange exchange) throws IOException {
        String uri = exchange.getMessage().getHeader(Exchange.HTTP_URI, String.class);
        String path = uri == null ? "" : uri.replaceFirst("\\?.*$", "");
        path = path.startsWith("/hawtio") ? path.substring("/hawtio".length()) : path;
        org.apache.camel.Message out = exchange.getMessage();
        out.removeHeaders("*");
        // no other site may frame the console (its buttons reconnect, stop routes, ... with this origin's Jolokia)
        out.setHeader("X-Frame-Options", "SAMEORIGIN");
        out.setHeader("Content-Security-Policy", "frame-ancestors 'self'");
        out.setHeader("X-Content-Type-Options", "nosniff");
        if (path.isEmpty()) {
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
            out.setHeader("Location", "/hawtio/");
            out.setBody("");
            return;
        }
        String relative = path.substring(1);
        if (relative.equals("user")) {
            // the example has no sign-in (it binds to localhost); see the README to require one before exposing it
            json(out, "\"public\"");
            return;
        }
        if (relative.isEmpty()) {
            relative = "index.html";
        }
        byte[] file = load(relative);
        if (file == null && !lastSegment(relative).contains(".")) {
            // a console page such as /hawtio/camel/routes: the single-page app routes it
            file = load("index.html");
            relative = "index.html";
        }
        if (file == null) {
            byte[] index = load("index.html");
            out.setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
            out.setHeader(Exchange.CONTENT_TYPE, "text/plain; charset=utf-8");
            out.setBody(index == null
                    ? "The console was not built (-Dconsole.skip=true): build without it to get /hawtio"
                    : "not found: /hawtio/" + relative);
            return;
        }
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, TYPES.getOrDefault(extension(relative), "application/octet-stream"));
        if (relative.startsWith("assets/")) {
            out.setHeader("Cache-Control", "public, max-age=31536000, immutable");
        }
        out.setBody(file);
    }

    private static void json(org.apache.camel.Message out, String body) {
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(body.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] load(String relative) throws IOException {
        if (relative.contains("..")) {
            return null;
        }
        try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(ROOT + relative)) {
            return in == null ? null : in.readAllBytes();
        }
    }

    private static String lastSegment(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }

    private static String extension(String path) {
        String last = lastSegment(path);
        int dot = last.lastIndexOf('.');
        return dot < 0 ? "" : last.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}

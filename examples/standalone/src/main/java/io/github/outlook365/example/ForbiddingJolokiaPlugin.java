package io.github.outlook365.example;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.component.platform.http.plugin.DefaultJolokiaPlatformHttpPlugin;

/**
 * Camel's Jolokia on camel-main's HTTP server (camel-platform-http-jolokia), with one change: a request that the access
 * policy (jolokia-access.xml) refuses as a whole, for its {@code Origin} or {@code Referer} or the address it comes
 * from, is answered {@code 403 Forbidden}. Camel's plugin answers every exception, this refusal included, with
 * {@code 500}, which tells a browser, a proxy and an alert "the server is broken" where the truth is "not for you".
 * The body is Jolokia's own error JSON, as before ({@code "status":403}, {@code "error":"Origin ... is not allowed to call
 * this agent"}).
 * <p>
 * What passes this check is left to Camel's handler unchanged: an operation the policy denies inside an allowed request
 * (an {@code exec} of {@code sendBody...}) is answered as Jolokia's protocol answers every request, HTTP 200 with
 * {@code "status":403} in the JSON, which is what the console reads.
 * <p>
 * camel-main finds it because {@link StandaloneExample} binds it as the bean {@code jolokia} (the id under which
 * camel-platform-http looks a plugin up in the registry before it falls back to Camel's own).
 */
public final class ForbiddingJolokiaPlugin extends DefaultJolokiaPlatformHttpPlugin {

    private Handler<RoutingContext> handler;

    @Override
    @SuppressWarnings("unchecked")
    public synchronized Object getHandler() {
        if (handler == null) {
            Handler<RoutingContext> jolokia = (Handler<RoutingContext>) super.getHandler();
            handler = context -> {
                HttpServerRequest request = context.request();
                String origin = request.getHeader(HttpHeaders.ORIGIN);
                if (origin == null) {
                    origin = request.getHeader(HttpHeaders.REFERER);
                }
                String host = request.remoteAddress().host();
                try {
                    // the same check, with the same arguments, as Camel's handler makes first
                    getJolokiaRequestHandler().checkAccess(request.scheme(), host, host,
                            origin == null ? "" : origin.replaceAll("[\\n\\r]*", ""));
                } catch (SecurityException refused) {
                    context.response().setStatusCode(403).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                            .end(getJolokiaRequestHandler().handleThrowable(refused).toJSONString());
                    return;
                }
                jolokia.handle(context);
            };
        }
        return handler;
    }
}

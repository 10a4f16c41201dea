/**
 * Calling Microsoft Graph: {@link io.github.outlook365.camel.graph.GraphClient} is the component's one way (JDK
 * HttpClient, Jackson's {@link io.github.outlook365.camel.graph.GraphJson#MAPPER}, a bearer token per request, at most
 * a few requests in flight per mailbox, 429/503/504 retried after Retry-After by
 * {@link io.github.outlook365.camel.graph.RetryPolicy}, Graph's error bodies as
 * {@link io.github.outlook365.camel.graph.GraphException}), with delta rounds and the
 * {@link io.github.outlook365.camel.graph.Prefer} values the component asks for. It knows nothing of mail or
 * calendars.
 */
package io.github.outlook365.camel.graph;

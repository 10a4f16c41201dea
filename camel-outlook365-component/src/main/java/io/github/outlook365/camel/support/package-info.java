/**
 * What the other packages share when a request from the network reaches them: {@link
 * io.github.outlook365.camel.support.RateLimitedLog}, a log line that anyone who reaches the HTTP port can cause
 * (a refused sign-in callback, a forged change notification), written at most once a minute per kind with a count of
 * the rest, so that nobody outside can flood the log or hide other lines in it.
 */
package io.github.outlook365.camel.support;

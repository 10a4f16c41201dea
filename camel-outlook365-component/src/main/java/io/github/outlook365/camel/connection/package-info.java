/**
 * The connection to a tenant's mailbox: {@link io.github.outlook365.camel.connection.Outlook365Connection}, shared by
 * every endpoint with equal connection options (one token provider, one Graph client, one throttle budget), with its
 * checked settings ({@link io.github.outlook365.camel.connection.ConnectionSettings}) and its state machine
 * ({@link io.github.outlook365.camel.connection.ConnectionLifecycle}: CONNECTED, DEGRADED, BROKEN), which
 * {@link io.github.outlook365.camel.connection.ConnectionFailures} feeds, and which events, the health check and JMX
 * show. The {@code connection/*} actions (sign-in link, code redemption, admin consent link, check) and the
 * {@code connection/events} trigger live here too.
 */
package io.github.outlook365.camel.connection;

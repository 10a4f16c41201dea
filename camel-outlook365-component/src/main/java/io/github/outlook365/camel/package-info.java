/**
 * The {@code outlook365:} component: Outlook 365 mail and calendar triggers and actions over Microsoft Graph.
 * <ul>
 * <li>{@link io.github.outlook365.camel.Outlook365Component} is the scheme; it keeps the connections endpoints share.
 * {@link io.github.outlook365.camel.Outlook365Endpoint} is one {@code outlook365:resource/action} URI.</li>
 * <li>Options: {@link io.github.outlook365.camel.Outlook365ConnectionOptions} (the connection's, also a
 * {@code connection=#bean}), extended by {@link io.github.outlook365.camel.Outlook365Configuration} (every trigger's
 * and action's); each option's catalog label names the triggers and actions it applies to.</li>
 * <li>The registry: {@link io.github.outlook365.camel.Outlook365Operations} lists every
 * {@link io.github.outlook365.camel.Outlook365Operation} with the Graph permission it needs; each resource package
 * contributes its list.</li>
 * <li>The action model: every action is an {@link io.github.outlook365.camel.Outlook365Action}, run by the one
 * producer, reading what the route gives through {@link io.github.outlook365.camel.ActionExchange} in one order
 * (header, body, option), on the mailbox of its {@code account}, else (app-only) on the one each exchange names
 * ({@code ExchangeMailbox}).</li>
 * </ul>
 * docs/architecture.md draws the map; docs/mail.md and docs/calendar.md describe each trigger and action.
 */
package io.github.outlook365.camel;

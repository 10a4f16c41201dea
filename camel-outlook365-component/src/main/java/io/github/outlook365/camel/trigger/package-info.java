/**
 * What the triggers share: the one engine every trigger runs on
 * ({@link io.github.outlook365.camel.trigger.TriggerConsumer}: a page at a time, firing keys and horizons, commit after
 * each page the route succeeded on, parking, pause while the connection is BROKEN, the JMX view), its part over a mail
 * folder ({@link io.github.outlook365.camel.trigger.MessageTrigger}: message delta, baseline, backlog and reset
 * through the folder's list), and its state
 * ({@link io.github.outlook365.camel.trigger.TriggerState}: the cursor in a Camel {@code StateRepository}, the keys
 * delivered in an {@code IdempotentRepository}; by default files under the state directory,
 * {@link io.github.outlook365.camel.trigger.TriggerStateStores}; for a cluster, PostgreSQL with a leadership epoch that
 * fences off a node that lost the lead, {@link io.github.outlook365.camel.trigger.JdbcTriggerStore}).
 */
package io.github.outlook365.camel.trigger;

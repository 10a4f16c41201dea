/**
 * What the triggers share: the engine of a trigger over a Graph delta query
 * ({@link io.github.outlook365.camel.trigger.DeltaTriggerConsumer}: baseline, rounds, firing keys, commit after the
 * route succeeded, pause while the connection is BROKEN), and its state
 * ({@link io.github.outlook365.camel.trigger.TriggerState}: the cursor in a Camel {@code StateRepository}, the keys
 * delivered in an {@code IdempotentRepository}; by default files under the state directory,
 * {@link io.github.outlook365.camel.trigger.TriggerStateStores}).
 */
package io.github.outlook365.camel.trigger;

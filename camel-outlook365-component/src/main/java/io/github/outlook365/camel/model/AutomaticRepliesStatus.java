package io.github.outlook365.camel.model;

/**
 * Whether a mailbox sends automatic replies (Graph's automaticRepliesStatus): never, always, or scheduled between a
 * start and an end. The constants are spelled as Graph spells the values.
 */
public enum AutomaticRepliesStatus {
    disabled,
    alwaysEnabled,
    scheduled
}

package io.github.outlook365.camel.model;

/**
 * The follow-up flag of a message (Graph's followupFlagStatus), spelled as Graph spells it.
 */
public enum FlagStatus {
    flagged,
    complete,
    notFlagged
}

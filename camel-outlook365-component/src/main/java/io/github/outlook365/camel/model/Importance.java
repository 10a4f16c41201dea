package io.github.outlook365.camel.model;

/**
 * The importance of a message (Graph's importance), spelled as Graph spells it.
 */
public enum Importance {
    low,
    normal,
    high
}

package io.github.outlook365.camel.model;

/**
 * The format of a message body (Graph's bodyType): text or html.
 */
public enum BodyType {
    text,
    html
}

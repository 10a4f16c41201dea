/**
 * What routes see and give: immutable records of Graph's resources ({@link io.github.outlook365.camel.model.Message},
 * {@link io.github.outlook365.camel.model.Event}, {@link io.github.outlook365.camel.model.Attachment}, ...) with Graph's
 * property names, unknown properties ignored and the raw JSON kept, and the enums of Graph's fixed values that options
 * take ({@link io.github.outlook365.camel.model.Importance}, {@link io.github.outlook365.camel.model.BodyType}, ...).
 */
package io.github.outlook365.camel.model;

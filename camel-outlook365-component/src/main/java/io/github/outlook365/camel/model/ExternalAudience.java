package io.github.outlook365.camel.model;

/**
 * Who outside the organisation gets automatic replies (Graph's externalAudienceScope), spelled as Graph spells it.
 */
public enum ExternalAudience {
    none,
    contactsOnly,
    all
}

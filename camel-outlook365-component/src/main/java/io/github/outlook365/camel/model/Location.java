package io.github.outlook365.camel.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Graph's location (the parts routes use): a display name and, for rooms, the room's address. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Location(String displayName, String locationType, String locationEmailAddress, String uniqueId,
                       String uniqueIdType) {

    public static Location of(String displayName) {
        return new Location(displayName, null, null, null, null);
    }
}

package io.github.outlook365.camel.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Graph's emailAddress: an address and its display name. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EmailAddress(String address, String name) {

    @Override
    public String toString() {
        return name == null || name.isBlank() ? String.valueOf(address) : name + " <" + address + ">";
    }
}

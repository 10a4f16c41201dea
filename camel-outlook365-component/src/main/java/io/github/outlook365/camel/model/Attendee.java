package io.github.outlook365.camel.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Graph's attendee: {@code type} required, optional or resource; {@code status} is set by Graph. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Attendee(String type, EmailAddress emailAddress, ResponseStatus status) {

    public static Attendee required(String address) {
        return new Attendee("required", new EmailAddress(address, null), null);
    }

    public static Attendee optional(String address) {
        return new Attendee("optional", new EmailAddress(address, null), null);
    }

    /** A room or equipment. */
    public static Attendee resource(String address) {
        return new Attendee("resource", new EmailAddress(address, null), null);
    }

    @JsonIgnore
    public String address() {
        return emailAddress == null ? null : emailAddress.address();
    }

    /** The attendee's response, or null when Graph gave none. */
    @JsonIgnore
    public String response() {
        return status == null ? null : status.response();
    }
}

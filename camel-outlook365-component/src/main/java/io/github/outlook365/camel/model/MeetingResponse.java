package io.github.outlook365.camel.model;

/**
 * How calendar/respond answers an invitation: Graph's accept, decline and tentativelyAccept.
 */
public enum MeetingResponse {
    accept,
    decline,
    tentative
}

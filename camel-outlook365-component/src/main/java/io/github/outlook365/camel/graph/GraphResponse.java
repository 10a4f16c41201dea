package io.github.outlook365.camel.graph;

import java.net.http.HttpHeaders;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A successful Graph answer: status, headers and the parsed body (null when Graph sent none, e.g. 202 on sendMail).
 */
public record GraphResponse(int status, HttpHeaders headers, JsonNode body) {

    public String requestId() {
        return headers.firstValue("request-id").orElse(null);
    }
}

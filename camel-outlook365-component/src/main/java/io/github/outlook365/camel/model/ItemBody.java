package io.github.outlook365.camel.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Graph's itemBody: {@code contentType} is {@code text} or {@code html}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ItemBody(String contentType, String content) {

    public static ItemBody text(String content) {
        return new ItemBody("text", content);
    }

    public static ItemBody html(String content) {
        return new ItemBody("html", content);
    }
}

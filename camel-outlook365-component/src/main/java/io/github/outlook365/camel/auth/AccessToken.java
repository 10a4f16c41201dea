package io.github.outlook365.camel.auth;

import java.time.Duration;
import java.time.Instant;

/**
 * A bearer token and when it stops working. {@link #toString()} never shows the token.
 */
public record AccessToken(String value, Instant expiresAt) {

    public boolean isValidFor(Duration margin, Instant now) {
        return expiresAt.minus(margin).isAfter(now);
    }

    @Override
    public String toString() {
        return "AccessToken[expiresAt=" + expiresAt + "]";
    }
}

package io.github.outlook365.camel.connection;

import java.time.Duration;

import io.github.outlook365.camel.Outlook365ConnectionOptions;

/**
 * The lifecycle options of a connection, checked: the first backoff step after a failed token request, the cap the
 * steps double up to, and how early a certificate's end of validity is warned about.
 */
public record LifecycleSettings(Duration reconnectDelay, Duration reconnectMaxDelay, Duration certificateExpiryWarning) {

    public static LifecycleSettings of(Outlook365ConnectionOptions c) {
        if (c.getReconnectDelay() < 1) {
            throw new IllegalArgumentException("option reconnectDelay=" + c.getReconnectDelay() + " must be at least 1"
                                               + " (milliseconds before the first new token attempt of a BROKEN or"
                                               + " DEGRADED connection)");
        }
        if (c.getReconnectMaxDelay() < c.getReconnectDelay()) {
            throw new IllegalArgumentException("option reconnectMaxDelay=" + c.getReconnectMaxDelay() + " must be at"
                                               + " least reconnectDelay=" + c.getReconnectDelay());
        }
        if (c.getCertificateExpiryWarningDays() < 0) {
            throw new IllegalArgumentException("option certificateExpiryWarningDays="
                                               + c.getCertificateExpiryWarningDays() + " must be 0 or more");
        }
        return new LifecycleSettings(Duration.ofMillis(c.getReconnectDelay()), Duration.ofMillis(c.getReconnectMaxDelay()),
                Duration.ofDays(c.getCertificateExpiryWarningDays()));
    }

    /** The wait before attempt {@code failures + 1}: the first step, doubled per failure, capped. */
    public Duration backoff(int failures) {
        long step = reconnectDelay.toMillis();
        for (int i = 1; i < failures && step < reconnectMaxDelay.toMillis(); i++) {
            step *= 2;
        }
        return Duration.ofMillis(Math.min(step, reconnectMaxDelay.toMillis()));
    }
}

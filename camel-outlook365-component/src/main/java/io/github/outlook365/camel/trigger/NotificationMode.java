package io.github.outlook365.camel.trigger;

/** How a trigger learns of a change early, besides its polls (option {@code notification}). */
public enum NotificationMode {
    /** Polls only, every {@code delay}. */
    none,
    /**
     * Graph change notifications (a subscription whose notifications reach {@code notificationUrl}) wake the trigger
     * at once; it still polls every {@code notificationPollDelay} as a safety net.
     */
    webhook
}

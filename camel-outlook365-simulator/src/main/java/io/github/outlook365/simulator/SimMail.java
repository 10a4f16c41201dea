package io.github.outlook365.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/** A message to put into a simulated mailbox with {@link Outlook365Simulator#deliver(String, SimMail)}. */
public final class SimMail {

    final String fromAddress;
    final String fromName;
    final List<String> to = new ArrayList<>();
    final List<String> cc = new ArrayList<>();
    String subject = "";
    String bodyContentType = "text";
    String bodyContent = "";
    String importance = "normal";
    Instant receivedAt;
    boolean read;
    final List<Object[]> attachments = new ArrayList<>();

    private SimMail(String address, String name) {
        this.fromAddress = Objects.requireNonNull(address, "address");
        this.fromName = name == null ? address : name;
    }

    public static SimMail from(String address, String name) {
        return new SimMail(address, name);
    }

    public SimMail to(String... addresses) {
        for (String address : addresses) {
            to.add(Objects.requireNonNull(address, "address"));
        }
        return this;
    }

    public SimMail cc(String... addresses) {
        for (String address : addresses) {
            cc.add(Objects.requireNonNull(address, "address"));
        }
        return this;
    }

    public SimMail subject(String s) {
        this.subject = s == null ? "" : s;
        return this;
    }

    public SimMail textBody(String s) {
        this.bodyContentType = "text";
        this.bodyContent = s == null ? "" : s;
        return this;
    }

    public SimMail htmlBody(String s) {
        this.bodyContentType = "html";
        this.bodyContent = s == null ? "" : s;
        return this;
    }

    /** "low", "normal" or "high". */
    public SimMail importance(String lowNormalHigh) {
        String value = Objects.requireNonNull(lowNormalHigh, "importance").toLowerCase(Locale.ROOT);
        if (!value.equals("low") && !value.equals("normal") && !value.equals("high")) {
            throw new IllegalArgumentException("importance must be low, normal or high: " + lowNormalHigh);
        }
        this.importance = value;
        return this;
    }

    /** When the message was received; defaults to the time of delivery. */
    public SimMail receivedAt(Instant t) {
        this.receivedAt = t;
        return this;
    }

    /** Adds a file attachment. */
    public SimMail attachment(String name, String contentType, byte[] content) {
        attachments.add(new Object[] {Objects.requireNonNull(name, "name"), contentType == null
                ? "application/octet-stream" : contentType, Objects.requireNonNull(content, "content").clone()});
        return this;
    }

    public SimMail read(boolean isRead) {
        this.read = isRead;
        return this;
    }

    @Override
    public String toString() {
        return "SimMail[from=" + fromAddress + ", to=" + to + ", subject=" + subject + "]";
    }
}

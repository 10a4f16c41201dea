package io.github.outlook365.camel.auth;

import java.util.List;

/**
 * The Microsoft Graph permission a trigger or action needs, declared where the operation is registered: Graph's
 * documented least-privileged permission first, then what also satisfies it (ReadWrite covers Read). For a shared
 * mailbox opened through a delegated connection the .Shared variants apply.
 */
public enum GraphPermission {

    /** Nothing beyond a token: the connection/* operations. */
    NONE,
    MAIL_READ("Mail.Read", "Mail.ReadWrite"),
    MAIL_READ_WRITE("Mail.ReadWrite"),
    MAIL_SEND("Mail.Send"),
    MAILBOX_SETTINGS_READ_WRITE("MailboxSettings.ReadWrite"),
    CALENDARS_READ("Calendars.Read", "Calendars.ReadWrite"),
    CALENDARS_READ_WRITE("Calendars.ReadWrite"),
    /** Reading a group's members (a trigger's accountsGroup). */
    GROUP_MEMBER_READ_ALL("GroupMember.Read.All", "GroupMember.ReadWrite.All", "Group.Read.All", "Group.ReadWrite.All",
            "Directory.Read.All", "Directory.ReadWrite.All");

    private final List<String> satisfiedBy;

    GraphPermission(String... satisfiedBy) {
        this.satisfiedBy = List.of(satisfiedBy);
    }

    /** The least-privileged permission first, then those that also satisfy it; empty for {@link #NONE}. */
    public List<String> satisfiedBy() {
        return satisfiedBy;
    }

    /** e.g. {@code Calendars.Read (or Calendars.ReadWrite)}, for messages. */
    public String describe() {
        if (satisfiedBy.isEmpty()) {
            return "no permission";
        }
        return satisfiedBy.get(0) + (satisfiedBy.size() > 1
                ? " (or " + String.join(", ", satisfiedBy.subList(1, satisfiedBy.size())) + ")" : "");
    }
}

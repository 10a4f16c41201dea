package io.github.outlook365.test;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.model.Attendee;
import io.github.outlook365.camel.model.Event;
import io.github.outlook365.camel.model.FileAttachment;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.SimMail;

/**
 * A mailbox of the kit's tenant, in a test's words: what arrives ({@link #deliver(SimMail)}, {@link
 * #sendMeetingRequest}), what a person does in Outlook ({@link #flag(String)}, {@link #markRead(String)}), and what
 * is in it now, as the component's own records ({@link Message}, {@link Event}): the Inbox, Sent Items (what the route
 * sent, replied or forwarded), any folder by its path (what the route moved or archived), a message's flag and
 * categories, the calendar (what the route created or answered). {@link #raw(String)} gives Graph's JSON when a test
 * wants it.
 */
public final class SimulatedMailbox {

    private final Outlook365TestKit kit;
    private final String address;

    SimulatedMailbox(Outlook365TestKit kit, String address) {
        this.kit = kit;
        this.address = address;
    }

    public String address() {
        return address;
    }

    private Outlook365Simulator sim() {
        return kit.simulator();
    }

    // ---------------------------------------------------------------- what arrives

    /**
     * A mail arrives in the Inbox (from, to, cc, subject, text or HTML body, attachments, importance: see
     * {@link SimMail}); returns its message id. A mail without {@code to} is addressed to this mailbox.
     */
    public String deliver(SimMail mail) {
        return sim().deliver(address, mail);
    }

    /** A mail arrives in another folder (a well-known name such as "junkemail", or a path such as "Inbox/Invoices"). */
    public String deliver(String folder, SimMail mail) {
        return sim().deliver(address, folderId(folder), mail);
    }

    /**
     * This mailbox organises a meeting and invites the attendees (mailboxes of the kit): each gets the meeting in its
     * calendar and a meeting request in its Inbox (what calendar/invitationReceived fires for). Returns the id of the
     * organiser's event, whose attendees' answers {@link #event(String)} shows.
     */
    public String sendMeetingRequest(String subject, ZonedDateTime start, ZonedDateTime end, String... attendees) {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (attendees.length == 0) {
            throw new IllegalArgumentException("a meeting request needs at least one attendee");
        }
        List<Attendee> invited = new ArrayList<>();
        for (String attendee : attendees) {
            kit.mailbox(attendee);
            invited.add(Attendee.required(attendee));
        }
        Event.Builder meeting = Event.builder().subject(subject).start(start.withZoneSameInstant(ZoneOffset.UTC))
                .end(end.withZoneSameInstant(ZoneOffset.UTC));
        invited.forEach(meeting::attendee);
        return sim().calendars().createEvent(address, meeting.build().toGraphRequest().toString());
    }

    /**
     * The person makes a folder, given by its path of display names ("Inbox/Invoices" below the Inbox, "Projects" at the
     * top); returns its id.
     */
    public String createFolder(String path) {
        Objects.requireNonNull(path, "path");
        int slash = path.lastIndexOf('/');
        String parent = slash < 0 ? null : folderId(path.substring(0, slash));
        return sim().createFolder(address, parent, path.substring(slash + 1));
    }

    /** The person flags a message for follow-up (what mail/flagged fires for). */
    public void flag(String messageId) {
        sim().setFlag(address, messageId, "flagged");
    }

    /** The person reads a message (or marks it unread). */
    public void markRead(String messageId, boolean read) {
        sim().markRead(address, messageId, read);
    }

    /** The person reads a message. */
    public void markRead(String messageId) {
        markRead(messageId, true);
    }

    // ---------------------------------------------------------------- what is in it

    /** The messages in the Inbox, oldest first. */
    public List<Message> inbox() {
        return folder("inbox");
    }

    /** The messages in Sent Items, oldest first: what the route sent, replied to or forwarded from this mailbox. */
    public List<Message> sentItems() {
        return folder("sentitems");
    }

    /**
     * The messages in a folder, oldest first. The folder is a well-known name (inbox, sentitems, drafts, deleteditems,
     * archive, junkemail), a path of display names from the top ("Inbox/Invoices", "Archive"), or an id.
     */
    public List<Message> folder(String folder) {
        return sim().messages(address, folderId(folder)).stream().map(Message::fromGraph).toList();
    }

    /** A message wherever it is now (its parentFolderId, flag, categories, isRead), or null when it is gone. */
    public Message message(String messageId) {
        ObjectNode json = sim().message(address, messageId);
        return json == null ? null : Message.fromGraph(json);
    }

    /** The folder's path of display names ("Inbox/Invoices") a message is in now, or null when it is gone. */
    public String folderOf(String messageId) {
        Message message = message(messageId);
        return message == null ? null : paths().get(message.parentFolderId());
    }

    /** A message's file attachments (name, content type, content). */
    public List<FileAttachment> attachments(String messageId) {
        List<FileAttachment> list = new ArrayList<>();
        for (ObjectNode a : sim().attachments(address, messageId)) {
            byte[] content = a.hasNonNull("contentBytes") ? Base64.getDecoder().decode(a.get("contentBytes").asText())
                    : new byte[0];
            list.add(FileAttachment.of(a.path("name").asText(), a.path("contentType").asText(null), content));
        }
        return list;
    }

    /** Every event of the mailbox's calendars (single events and series masters). */
    public List<Event> events() {
        return sim().calendars().events(address).stream().map(Event::fromGraph).toList();
    }

    /** An event or occurrence by id, with its attendees' answers, or null. */
    public Event event(String eventId) {
        ObjectNode json = sim().calendars().event(address, eventId);
        return json == null ? null : Event.fromGraph(json);
    }

    /** A message as Graph's JSON, for what the records do not name; null when it is gone. */
    public JsonNode raw(String messageId) {
        return sim().message(address, messageId);
    }

    /** The id of a folder given by well-known name, path of display names or id. */
    public String folderId(String folder) {
        Objects.requireNonNull(folder, "folder");
        for (Map.Entry<String, String> entry : paths().entrySet()) {
            if (entry.getKey().equals(folder) || entry.getValue().equalsIgnoreCase(folder)) {
                return entry.getKey();
            }
        }
        // a well-known name (inbox, sentitems, ...): the simulator knows them
        try {
            return sim().folderId(address, folder.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("No folder '" + folder + "' in " + address + ": give a well-known name"
                    + " (inbox, sentitems, drafts, deleteditems, archive, junkemail) or a path of display names; it has "
                    + paths().values(), e);
        }
    }

    /** Folder id to its path of display names from the top. */
    private Map<String, String> paths() {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (ObjectNode folder : sim().folders(address)) {
            byId.put(folder.path("id").asText(), folder);
        }
        Map<String, String> paths = new LinkedHashMap<>();
        for (String id : byId.keySet()) {
            StringBuilder path = new StringBuilder();
            JsonNode node = byId.get(id);
            int depth = 0;
            while (node != null && depth++ < 64) {
                path.insert(0, path.length() == 0 ? node.path("displayName").asText()
                        : node.path("displayName").asText() + "/");
                node = byId.get(node.path("parentFolderId").asText());
            }
            paths.put(id, path.toString());
        }
        return paths;
    }

    // ---------------------------------------------------------------- trouble

    /**
     * Exchange Online throttles this mailbox: its next {@code times} Graph requests answer 429 ApplicationThrottled
     * with Retry-After, as a route must survive.
     */
    public void throttle(int times, Duration retryAfter) {
        kit.throttle(address, times, retryAfter);
    }

    /**
     * An admin revokes this user's sign-in sessions (authorizationCode): the connection's refresh token answers
     * invalid_grant AADSTS50173 and the connection turns BROKEN until the user signs in again.
     */
    public void revokeSignInSessions() {
        sim().revokeSignInSessions(kit.tenantId(), address);
    }

    @Override
    public String toString() {
        return "SimulatedMailbox[" + address + "]";
    }
}

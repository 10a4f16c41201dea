package io.github.outlook365.simulator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One simulated Exchange Online mailbox: well-known folders, messages and the change sequence that delta queries
 * read. Every method that reads or changes the content holds the mailbox's monitor.
 */
final class Mailbox {

    /** Well-known folder names (lower case) and their display names, in the order of GET mailFolders. */
    static final Map<String, String> WELL_KNOWN = new LinkedHashMap<>();

    static {
        WELL_KNOWN.put("archive", "Archive");
        WELL_KNOWN.put("deleteditems", "Deleted Items");
        WELL_KNOWN.put("drafts", "Drafts");
        WELL_KNOWN.put("inbox", "Inbox");
        WELL_KNOWN.put("junkemail", "Junk Email");
        WELL_KNOWN.put("sentitems", "Sent Items");
    }

    record Folder(String id, String wellKnownName, String displayName, String parentFolderId) {
    }

    record Tombstone(String messageId, String folderId, long seq, Instant received) {
    }

    static final class StoredMessage {
        String id;
        String folderId;
        final ObjectNode json;
        ArrayNode attachments;
        long seq;
        long folderEntrySeq;
        final long order;
        // receivedDateTime never changes: parsed once, for the indexes
        private final Instant received;

        StoredMessage(String id, String folderId, ObjectNode json, ArrayNode attachments, long seq, long order) {
            this.id = id;
            this.folderId = folderId;
            this.json = json;
            this.attachments = attachments;
            this.seq = seq;
            this.folderEntrySeq = seq;
            this.order = order;
            this.received = Instant.parse(json.path("receivedDateTime").asText());
        }

        Instant received() {
            return received;
        }

        /** A probe that sorts before every message received at {@code at}. */
        StoredMessage(Instant at) {
            this.json = null;
            this.order = -1;
            this.received = at;
        }
    }

    static final Comparator<StoredMessage> OLDEST_FIRST =
            Comparator.comparing(StoredMessage::received).thenComparingLong(m -> m.order);

    final String tenantId;
    final String upn;
    final String displayName;
    final String userId = Ids.guid();
    final byte[] key = Ids.mailboxKey();
    final String rootFolderId = Ids.folderId(key);
    /** Calendars and events of this mailbox (their own monitor). */
    final CalendarStore calendars = new CalendarStore(this);
    final Map<String, Folder> folders = new LinkedHashMap<>();
    final Map<String, StoredMessage> messages = new LinkedHashMap<>();
    /** Tombstones in the order of their sequence numbers. */
    final List<Tombstone> tombstones = new ArrayList<>();
    // indexes, so that a page of a large folder costs a page, not the folder: each folder's messages oldest first,
    // and every message by its change sequence (what changed since a delta token)
    private final Map<String, NavigableSet<StoredMessage>> byFolder = new HashMap<>();
    private final NavigableMap<Long, StoredMessage> bySeq = new TreeMap<>();
    long seq;
    private long order;
    private ObjectNode settings;
    /** Told of each change of a message or event (under the monitor of the mailbox or its calendars). */
    volatile java.util.function.Consumer<SubscriptionsApi.Change> changes = change -> {
    };
    /** Bumped by forceDeltaReset: delta state of an older generation answers 410 Gone. */
    volatile int deltaGeneration;

    Mailbox(String tenantId, String upn, String displayName) {
        this.tenantId = tenantId;
        this.upn = upn;
        this.displayName = displayName == null || displayName.isBlank() ? upn : displayName;
        WELL_KNOWN.forEach((name, display) -> {
            Folder folder = new Folder(Ids.folderId(key), name, display, rootFolderId);
            folders.put(folder.id(), folder);
        });
    }

    String address() {
        return upn;
    }

    /** The mailboxSettings (Graph's shape), created with defaults on first use. */
    synchronized ObjectNode settings() {
        if (settings == null) {
            settings = Json.object();
            ObjectNode replies = settings.putObject("automaticRepliesSetting");
            replies.put("status", "disabled");
            replies.put("externalAudience", "all");
            replies.putObject("scheduledStartDateTime").put("dateTime", "2026-01-01T00:00:00.0000000").put("timeZone", "UTC");
            replies.putObject("scheduledEndDateTime").put("dateTime", "2026-01-02T00:00:00.0000000").put("timeZone", "UTC");
            replies.put("internalReplyMessage", "");
            replies.put("externalReplyMessage", "");
            settings.put("timeZone", "UTC");
            settings.putObject("language").put("locale", "en-US").put("displayName", "English (United States)");
        }
        return settings;
    }

    /** A folder by id or (case-insensitive) well-known name, or null. */
    synchronized Folder folder(String idOrName) {
        if (idOrName == null) {
            return null;
        }
        Folder byId = folders.get(idOrName);
        if (byId != null) {
            return byId;
        }
        String name = idOrName.toLowerCase(Locale.ROOT);
        for (Folder folder : folders.values()) {
            if (name.equals(folder.wellKnownName())) {
                return folder;
            }
        }
        return null;
    }

    synchronized List<Folder> folderList() {
        return new ArrayList<>(folders.values());
    }

    /** The folders directly below a folder (the root's children are the top-level folders). */
    synchronized List<Folder> children(String parentId) {
        List<Folder> list = new ArrayList<>();
        for (Folder folder : folders.values()) {
            if (folder.parentFolderId().equals(parentId)) {
                list.add(folder);
            }
        }
        return list;
    }

    /** Creates a folder below {@code parentId}; null when the parent already has a child of that display name. */
    synchronized Folder createFolder(String parentId, String displayName) {
        for (Folder sibling : children(parentId)) {
            if (sibling.displayName().equalsIgnoreCase(displayName)) {
                return null;
            }
        }
        Folder folder = new Folder(Ids.folderId(key), null, displayName, parentId);
        folders.put(folder.id(), folder);
        return folder;
    }

    /** A copy of a message in another folder, with a new id (Graph's copy action). */
    synchronized StoredMessage copy(String id, Folder destination) {
        StoredMessage message = messages.get(id);
        if (message == null) {
            return null;
        }
        ObjectNode content = message.json.deepCopy();
        StoredMessage copy = insert(destination, content,
                message.attachments == null ? null : message.attachments.deepCopy());
        copy.json.put("receivedDateTime", message.json.path("receivedDateTime").asText());
        return copy;
    }

    synchronized int totalCount(String folderId) {
        return folderIndex(folderId).size();
    }

    synchronized int unreadCount(String folderId) {
        int n = 0;
        for (StoredMessage m : folderIndex(folderId)) {
            if (!m.json.path("isRead").asBoolean()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Stores a new message in a folder. {@code content} carries the message's own properties (subject, body, from,
     * sender, recipients, importance, isRead, isDraft, receivedDateTime, sentDateTime, ...); the mailbox assigns the
     * id, timestamps, change key and folder.
     */
    synchronized StoredMessage insert(Folder folder, ObjectNode content, ArrayNode attachments) {
        String id = Ids.messageId(key);
        long s = ++seq;
        ObjectNode json = content.deepCopy();
        String now = Json.graphTime(Instant.now());
        json.put("id", id);
        json.put("createdDateTime", now);
        json.put("lastModifiedDateTime", now);
        json.put("changeKey", Ids.changeKey(key, s));
        json.put("parentFolderId", folder.id());
        json.put("webLink", Messages.webLink(id));
        json.put("hasAttachments", attachments != null && attachments.size() > 0);
        StoredMessage message = new StoredMessage(id, folder.id(), Messages.canonical(json), attachments, s, ++order);
        messages.put(id, message);
        index(message);
        changed(folder.id(), "created", id);
        return message;
    }

    synchronized StoredMessage get(String id) {
        return messages.get(id);
    }

    synchronized List<StoredMessage> inFolder(String folderId) {
        if (folderId != null) {
            return new ArrayList<>(folderIndex(folderId));
        }
        List<StoredMessage> list = new ArrayList<>(messages.values());
        list.sort(OLDEST_FIRST);
        return list;
    }

    /**
     * A folder's messages oldest first, from {@code from} on (inclusive; null: all), as a live view: read it while
     * holding the mailbox's monitor.
     */
    NavigableSet<StoredMessage> folderFrom(String folderId, Instant from) {
        NavigableSet<StoredMessage> all = folderIndex(folderId);
        if (from == null || all.isEmpty()) {
            return all;
        }
        // order -1 sorts before every message of that instant
        return all.tailSet(new StoredMessage(from), true);
    }

    /** The messages changed (created, updated, moved in) after a sequence number, in order; read under the monitor. */
    java.util.Collection<StoredMessage> changedAfter(long seq) {
        return bySeq.tailMap(seq, false).values();
    }

    /** The tombstones after a sequence number, in order; read under the monitor. */
    List<Tombstone> tombstonesAfter(long seq) {
        int low = 0;
        int high = tombstones.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (tombstones.get(mid).seq() <= seq) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return tombstones.subList(low, tombstones.size());
    }

    private NavigableSet<StoredMessage> folderIndex(String folderId) {
        return byFolder.computeIfAbsent(folderId, k -> new TreeSet<>(OLDEST_FIRST));
    }

    private void index(StoredMessage message) {
        folderIndex(message.folderId).add(message);
        bySeq.put(message.seq, message);
    }

    private void unindex(StoredMessage message) {
        folderIndex(message.folderId).remove(message);
        bySeq.remove(message.seq);
    }

    /** Applies a change to a message and gives it a new change sequence; returns null when there is no such id. */
    synchronized StoredMessage update(String id, java.util.function.Consumer<ObjectNode> change) {
        StoredMessage message = messages.get(id);
        if (message == null) {
            return null;
        }
        change.accept(message.json);
        touch(message);
        changed(message.folderId, "updated", message.id);
        return message;
    }

    private void touch(StoredMessage message) {
        bySeq.remove(message.seq);
        message.seq = ++seq;
        bySeq.put(message.seq, message);
        message.json.put("lastModifiedDateTime", Json.graphTime(Instant.now()));
        message.json.put("changeKey", Ids.changeKey(key, message.seq));
    }

    /**
     * Moves a message to another folder. With {@code newId} the message gets a new id in its new folder, as Graph's
     * move action does. Returns null when there is no such id.
     */
    synchronized StoredMessage move(String id, Folder destination, boolean newId) {
        StoredMessage message = messages.get(id);
        if (message == null) {
            return null;
        }
        if (message.folderId.equals(destination.id()) && !newId) {
            return message;
        }
        tombstones.add(new Tombstone(message.id, message.folderId, ++seq, message.received()));
        changed(message.folderId, "deleted", message.id);
        folderIndex(message.folderId).remove(message);
        if (newId) {
            messages.remove(message.id);
            message.id = Ids.messageId(key);
            message.json.put("id", message.id);
            message.json.put("webLink", Messages.webLink(message.id));
            messages.put(message.id, message);
        }
        message.folderId = destination.id();
        message.json.put("parentFolderId", destination.id());
        folderIndex(message.folderId).add(message);
        touch(message);
        message.folderEntrySeq = message.seq;
        changed(message.folderId, "created", message.id);
        return message;
    }

    /** Adds a stored attachment to a message (hasAttachments turns true; a change delta reports). */
    synchronized StoredMessage addAttachment(String id, ObjectNode attachment) {
        StoredMessage message = messages.get(id);
        if (message == null) {
            return null;
        }
        if (message.attachments == null) {
            message.attachments = Json.array();
        }
        message.attachments.add(attachment);
        message.json.put("hasAttachments", true);
        touch(message);
        changed(message.folderId, "updated", message.id);
        return message;
    }

    synchronized boolean delete(String id) {
        StoredMessage message = messages.remove(id);
        if (message == null) {
            return false;
        }
        unindex(message);
        tombstones.add(new Tombstone(message.id, message.folderId, ++seq, message.received()));
        changed(message.folderId, "deleted", message.id);
        return true;
    }

    private void changed(String folderId, String changeType, String messageId) {
        changes.accept(new SubscriptionsApi.Change(this, false, folderId, changeType, messageId));
    }

    void eventChanged(String calendarId, String changeType, String eventId) {
        changes.accept(new SubscriptionsApi.Change(this, true, calendarId, changeType, eventId));
    }
}

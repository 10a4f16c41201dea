package io.github.outlook365.simulator;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Message delta queries: GET /users/{u}/mailFolders/{f}/messages/delta.
 *
 * <p>Model: each mailbox keeps a change sequence; each create, update or move-in gives a message a new sequence
 * number, each move-out or delete leaves a tombstone with one. A round from a delta token returns the messages now in
 * the folder whose sequence is above the token's watermark (whole items), plus an {@code @removed} entry for each
 * message that left the folder after the watermark. The round is computed once, at its first page, and paged with
 * skip tokens; the delta link's watermark is the sequence at that moment. State lives on the server; links carry
 * only the token. As Graph documents, the first round of a delta with {@code $filter} returns at most 5,000 messages
 * (the oldest changes first): the rest of the folder never comes. A round costs its changes (the mailbox indexes
 * messages by change sequence and each folder by receivedDateTime), and each page renders only its own messages.
 */
final class DeltaEngine {

    private static final Pattern TOKEN_SHAPE = Pattern.compile("[A-Za-z0-9_-]{32}");
    static final int DEFAULT_PAGE_SIZE = 10;
    static final int MAX_PAGE_SIZE = 1000;
    /** "Applying $filter in a delta query returns only up to 5,000 messages" (Graph's delta query for messages). */
    static final int FILTERED_DELTA_LIMIT = 5000;

    /** Server-side state behind one skip or delta token. */
    static final class State {
        final boolean skip;
        final String mailboxKey;
        final String folderId;
        final int generation;
        final Query query;
        final long watermark;
        final List<Object> snapshot;
        final int offset;
        final int pageSize;

        State(boolean skip, String mailboxKey, String folderId, int generation, Query query, long watermark,
                List<Object> snapshot, int offset, int pageSize) {
            this.skip = skip;
            this.mailboxKey = mailboxKey;
            this.folderId = folderId;
            this.generation = generation;
            this.query = query;
            this.watermark = watermark;
            this.snapshot = snapshot;
            this.offset = offset;
            this.pageSize = pageSize;
        }
    }

    /** The options of the initial request, remembered in every token of the chain. */
    record Query(List<String> select, MessageFilter filter, String changeType, boolean orderDesc, Integer top,
            String bodyType) {

        /** The query string of the initial request, for the Location header of a 410. */
        String initialQuery() {
            List<String> parts = new ArrayList<>();
            if (select != null) {
                parts.add("$select=" + GraphApi.encode(String.join(",", select)));
            }
            if (filter != null) {
                parts.add("$filter=" + GraphApi.encode(filter.expression));
            }
            if (orderDesc) {
                parts.add("$orderby=" + GraphApi.encode("receivedDateTime desc"));
            }
            if (changeType != null) {
                parts.add("changeType=" + changeType);
            }
            return String.join("&", parts);
        }
    }

    private final Outlook365Simulator simulator;
    private final SimulatorState state;

    DeltaEngine(Outlook365Simulator simulator, SimulatorState state) {
        this.simulator = simulator;
        this.state = state;
    }

    // docs: https://learn.microsoft.com/en-us/graph/api/message-delta,
    //   https://learn.microsoft.com/en-us/graph/delta-query-messages (nextLink pages, then a deltaLink; $select,
    //   $filter on receivedDateTime, Prefer: odata.maxpagesize)
    // docs: https://learn.microsoft.com/en-us/graph/delta-query-overview (an expired token: 410 Gone, restart from the
    //   Location link)
    // observed: the code syncStateNotFound; state tokens that carry only $skiptoken or $deltatoken
    void handle(HttpCall call, Mailbox mailbox, Mailbox.Folder folder) {
        String skipToken = call.param("$skiptoken");
        String deltaToken = call.param("$deltatoken");
        Integer preferred = Messages.maxPageSize(call.headerValues("Prefer"));
        if (skipToken != null && deltaToken != null) {
            throw new GraphException(400, "syncStateInvalid",
                    "A request can carry either a $skiptoken or a $deltatoken, not both.");
        }
        if (skipToken != null) {
            State s = lookup(skipToken, true, mailbox, folder);
            int pageSize = pageSize(preferred, s.query.top(), s.pageSize);
            page(call, mailbox, folder, s.query, s.snapshot, s.offset, pageSize, s.watermark, preferred);
        } else if (deltaToken != null && !deltaToken.isEmpty()) {
            State s = lookup(deltaToken, false, mailbox, folder);
            int pageSize = pageSize(preferred, s.query.top(), s.pageSize);
            round(call, mailbox, folder, s.query, s.watermark, pageSize, preferred);
        } else {
            Query query = initialQuery(call);
            round(call, mailbox, folder, query, -1, pageSize(preferred, query.top(), DEFAULT_PAGE_SIZE), preferred);
        }
    }

    private static int pageSize(Integer preferred, Integer top, int fallback) {
        int n = preferred != null ? preferred : top != null ? top : fallback;
        return Math.max(1, Math.min(n, MAX_PAGE_SIZE));
    }

    private Query initialQuery(HttpCall call) {
        if (call.hasParam("$search")) {
            throw GraphException.badRequest("$search is not supported on delta queries.");
        }
        List<String> select = Messages.parseSelect(call.param("$select"));
        MessageFilter filter = MessageFilter.parse(call.param("$filter"), true);
        boolean orderDesc = false;
        String orderBy = call.param("$orderby");
        if (orderBy != null && !orderBy.isBlank()) {
            if (!orderBy.trim().replaceAll("\\s+", " ").equalsIgnoreCase("receivedDateTime desc")) {
                throw new GraphException(400, "ErrorInvalidUrlQuery",
                        "The only supported $orderby expression for delta is 'receivedDateTime desc'.");
            }
            orderDesc = true;
        }
        String changeType = call.param("changeType");
        if (changeType != null) {
            changeType = changeType.toLowerCase(Locale.ROOT);
            if (!Set.of("created", "updated", "deleted").contains(changeType)) {
                throw GraphException.badRequest("The value of changeType must be created, updated or deleted.");
            }
        }
        Integer top = null;
        if (call.param("$top") != null) {
            top = GraphApi.intParam(call, "$top", 1, MAX_PAGE_SIZE);
        }
        String bodyType = Messages.bodyPreference(call.headerValues("Prefer"));
        return new Query(select, filter, changeType, orderDesc, top, bodyType);
    }

    private State lookup(String token, boolean skip, Mailbox mailbox, Mailbox.Folder folder) {
        State s = state.deltaStates.get(token);
        if (s == null) {
            if (TOKEN_SHAPE.matcher(token).matches()) {
                throw gone(mailbox, folder, null);
            }
            throw new GraphException(400, "syncStateInvalid",
                    "The " + (skip ? "$skiptoken" : "$deltatoken") + " is malformed.");
        }
        if (s.skip != skip || !s.mailboxKey.equals(SimulatorState.key(mailbox.upn))
                || !s.folderId.equals(folder.id())) {
            throw new GraphException(400, "syncStateInvalid",
                    "The sync state does not belong to this folder's message collection.");
        }
        if (s.generation != mailbox.deltaGeneration) {
            throw gone(mailbox, folder, s.query);
        }
        return s;
    }

    private GraphException gone(Mailbox mailbox, Mailbox.Folder folder, Query query) {
        String location = deltaUrl(mailbox, folder);
        if (query != null && !query.initialQuery().isEmpty()) {
            location += "?" + query.initialQuery();
        }
        return new GraphException(410, "syncStateNotFound",
                "The sync state generation is not found. The delta token is expired and data must be synchronized"
                        + " again.").header("Location", location);
    }

    private String deltaUrl(Mailbox mailbox, Mailbox.Folder folder) {
        return simulator.baseUrl() + "/v1.0/users/" + mailbox.upn + "/mailFolders/" + folder.id() + "/messages/delta";
    }

    private void round(HttpCall call, Mailbox mailbox, Mailbox.Folder folder, Query query, long watermark,
            int pageSize, Integer preferred) {
        // the round is fixed at its first page: which entries, in which order; each page renders its own messages
        // (as they are when it is read), so a round of a large folder costs its pages, not the folder at every page
        List<Object> entries = new ArrayList<>();
        long snapshotSeq;
        synchronized (mailbox) {
            snapshotSeq = mailbox.seq;
            boolean initial = watermark < 0;
            String changeType = query.changeType();
            if (!initial && (changeType == null || changeType.equals("deleted"))) {
                Set<String> seen = new HashSet<>();
                for (Mailbox.Tombstone t : mailbox.tombstonesAfter(watermark)) {
                    if (!t.folderId().equals(folder.id())) {
                        continue;
                    }
                    Mailbox.StoredMessage current = mailbox.messages.get(t.messageId());
                    if (current != null && current.folderId.equals(folder.id())) {
                        continue;
                    }
                    if (query.filter() != null && !query.filter().testReceived(t.received())) {
                        continue;
                    }
                    if (seen.add(t.messageId())) {
                        ObjectNode removed = Json.object();
                        removed.put("@odata.type", "#microsoft.graph.message");
                        removed.put("id", t.messageId());
                        removed.putObject("@removed").put("reason", "deleted");
                        entries.add(removed);
                    }
                }
            }
            List<Mailbox.StoredMessage> items = new ArrayList<>();
            if (!"deleted".equals(changeType)) {
                Iterable<Mailbox.StoredMessage> candidates = initial
                        ? mailbox.folderFrom(folder.id(), query.filter() == null ? null : query.filter().receivedFrom())
                        : mailbox.changedAfter(watermark);
                for (Mailbox.StoredMessage m : candidates) {
                    if (!m.folderId.equals(folder.id())) {
                        continue;
                    }
                    if (query.filter() != null && !query.filter().test(m.json)) {
                        continue;
                    }
                    if (!initial && changeType != null) {
                        boolean created = m.folderEntrySeq > watermark;
                        if (changeType.equals("created") != created) {
                            continue;
                        }
                    }
                    items.add(m);
                }
            }
            if (query.orderDesc()) {
                items.sort(Mailbox.OLDEST_FIRST.reversed());
            } else if (initial) {
                items.sort(Comparator.comparingLong(m -> m.seq));
            }
            if (initial && query.filter() != null && items.size() > state.filteredDeltaLimit) {
                // Graph: "Applying $filter in a delta query returns only up to 5,000 messages"; the rest of the
                // folder never comes in this round, nor (unchanged) in the next ones
                items = items.subList(0, state.filteredDeltaLimit);
            }
            entries.addAll(items);
        }
        page(call, mailbox, folder, query, entries, 0, pageSize, snapshotSeq, preferred);
    }

    private void page(HttpCall call, Mailbox mailbox, Mailbox.Folder folder, Query query, List<Object> snapshot,
            int offset, int pageSize, long snapshotSeq, Integer preferred) {
        int end = Math.min(snapshot.size(), offset + pageSize);
        ObjectNode body = Json.object();
        body.put("@odata.context", simulator.baseUrl() + "/v1.0/$metadata#Collection(message)");
        String mailboxKey = SimulatorState.key(mailbox.upn);
        int generation = mailbox.deltaGeneration;
        String token = Ids.token();
        if (end < snapshot.size()) {
            state.deltaStates.put(token, new State(true, mailboxKey, folder.id(), generation, query, snapshotSeq,
                    snapshot, end, pageSize));
            body.put("@odata.nextLink", deltaUrl(mailbox, folder) + "?$skiptoken=" + token);
        } else {
            state.deltaStates.put(token, new State(false, mailboxKey, folder.id(), generation, query, snapshotSeq,
                    null, 0, pageSize));
            body.put("@odata.deltaLink", deltaUrl(mailbox, folder) + "?$deltatoken=" + token);
        }
        var value = body.putArray("value");
        synchronized (mailbox) {
            for (int i = offset; i < end; i++) {
                Object entry = snapshot.get(i);
                if (entry instanceof Mailbox.StoredMessage m) {
                    // gone from the folder since the round began: the next round reports it as removed
                    if (mailbox.messages.get(m.id) == m && m.folderId.equals(folder.id())) {
                        value.add(Messages.render(m.json, query.select(), true, query.bodyType()));
                    }
                } else {
                    value.add(((ObjectNode) entry).deepCopy());
                }
            }
        }
        List<String> applied = new ArrayList<>();
        if (preferred != null) {
            applied.add("odata.maxpagesize=" + Math.min(preferred, MAX_PAGE_SIZE));
        }
        if (query.bodyType() != null) {
            applied.add("outlook.body-content-type=\"" + query.bodyType() + "\"");
        }
        if (!applied.isEmpty()) {
            call.setHeader("Preference-Applied", String.join(", ", applied));
        }
        call.json(200, GraphApi.GRAPH_JSON, body);
    }
}

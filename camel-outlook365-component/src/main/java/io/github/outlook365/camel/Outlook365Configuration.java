package io.github.outlook365.camel;

import io.github.outlook365.camel.model.AutomaticRepliesStatus;
import io.github.outlook365.camel.model.BodyType;
import io.github.outlook365.camel.model.ExternalAudience;
import io.github.outlook365.camel.model.FlagStatus;
import io.github.outlook365.camel.model.Importance;
import io.github.outlook365.camel.model.MeetingResponse;
import io.github.outlook365.camel.trigger.NotificationMode;
import javax.sql.DataSource;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every option of an outlook365 endpoint: the connection options it extends, and the options of its triggers and
 * actions. Set them on the component ({@code camel.component.outlook365.*}) as every endpoint's defaults, and override
 * per endpoint in its URI; {@link #copy()} gives each endpoint its own.
 * <p>
 * Each option's catalog label names the triggers and actions it applies to ({@code mail/send}, ...), so tooling can
 * show what fits one; {@code common} marks the connection options, which apply to all. Camel reads the last label as
 * the group tooling shows the option in, and {@code consumer} / {@code producer} as triggers-only / actions-only.
 */
@UriParams
public class Outlook365Configuration extends Outlook365ConnectionOptions {

    private static final Logger LOG = LoggerFactory.getLogger(Outlook365Configuration.class);

    // The triggers and actions each option applies to: its catalog label names them, and Camel shows the option in the
    // group its last label names (consumer / producer: triggers / actions only; common: the connection's, for all).
    private static final String TRIGGERS = "mail/received,mail/sent,mail/flagged,calendar/created,calendar/updated,"
                                           + "calendar/deleted,calendar/startingSoon,calendar/invitationReceived,"
                                           + "calendar/responseReceived";
    private static final String MAIL_TRIGGERS = "mail/sent,mail/flagged,mail/received";
    private static final String MAIL_FILTERED = "mail/list," + MAIL_TRIGGERS;
    private static final String MAIL_WRITTEN = "mail/createDraft,mail/send";
    private static final String MAIL_ANSWERS = "mail/replyAll,mail/forward,mail/reply";
    private static final String MAIL_READ = "mail/createDraft,mail/list,mail/move,mail/copy,mail/archive,mail/markRead,"
                                            + "mail/markUnread,mail/flag,mail/setCategories,mail/send," + MAIL_TRIGGERS
                                            + ",mail/get";
    private static final String CALENDAR_CHANGES = "calendar/updated,calendar/deleted,calendar/created";
    private static final String CALENDAR = "calendar/startingSoon,calendar/invitationReceived,"
                                           + "calendar/responseReceived,calendar/updateEvent,calendar/getEvent,"
                                           + "calendar/listEvents,calendar/deleteEvent,calendar/cancelEvent,"
                                           + "calendar/respond,calendar/forwardEvent,calendar/listCalendars,"
                                           + "calendar/findMeetingTimes," + CALENDAR_CHANGES + ",calendar/createEvent";

    // every trigger and action

    @UriParam(label = "common")
    private Outlook365ConnectionOptions connection;

    // triggers: where they look, how they poll, where they keep their state

    @UriParam(label = "mail/list,mail/flagged,mail/received", defaultValue = "inbox")
    private String folder = "inbox";

    @UriParam(label = "consumer,calendar/invitationReceived,calendar/responseReceived,mail/sent,mail/received")
    private String since;

    @UriParam(label = TRIGGERS + ",consumer", defaultValue = "0")
    private int maxMessagesPerPoll;

    @UriParam(label = "mail/list,calendar/invitationReceived,calendar/responseReceived," + CALENDAR_CHANGES + ","
              + MAIL_TRIGGERS + ",advanced", defaultValue = "100")
    private int pageSize = 100;

    @UriParam(label = TRIGGERS + ",consumer", defaultValue = "3")
    private int maxAttempts = 3;

    @UriParam(label = TRIGGERS + ",consumer,advanced", defaultValue = "4")
    private int triggerThreads = 4;

    @UriParam(label = TRIGGERS + ",consumer")
    private String accounts;

    @UriParam(label = TRIGGERS + ",consumer")
    private String accountsGroup;

    @UriParam(label = TRIGGERS + ",consumer", defaultValue = "900000", javaType = "long")
    private long accountsGroupRefresh = 900_000;

    @UriParam(label = TRIGGERS + ",consumer,advanced", defaultValue = "true")
    private boolean batchPolls = true;

    @UriParam(label = TRIGGERS + ",consumer,advanced", defaultValue = "60000", javaType = "long")
    private long parkedRetryDelay = 60_000;

    @UriParam(label = TRIGGERS + ",consumer", defaultValue = "none")
    private NotificationMode notification = NotificationMode.none;

    @UriParam(label = TRIGGERS + ",consumer")
    private String notificationUrl;

    @UriParam(label = TRIGGERS + ",consumer,advanced", defaultValue = "900000", javaType = "long")
    private long notificationPollDelay = 900_000;

    @UriParam(label = TRIGGERS + ",consumer,advanced", defaultValue = "10070")
    private int notificationLifetime = 10_070;

    @UriParam(label = TRIGGERS + ",consumer,advanced")
    private String stateDirectory;

    @UriParam(label = TRIGGERS + ",consumer,advanced")
    private String stateKey;

    @UriParam(label = TRIGGERS + ",consumer,advanced")
    private StateRepository<String, String> stateRepository;

    @UriParam(label = TRIGGERS + ",consumer,advanced")
    private IdempotentRepository idempotentRepository;

    @UriParam(label = TRIGGERS + ",consumer,advanced")
    private DataSource stateDataSource;

    // mail: which messages (the mail triggers and mail/list), and in which body format

    @UriParam(label = MAIL_FILTERED)
    private String from;

    @UriParam(label = MAIL_FILTERED)
    private String subjectContains;

    @UriParam(label = MAIL_FILTERED)
    private boolean onlyWithAttachments;

    @UriParam(label = MAIL_FILTERED)
    private boolean unreadOnly;

    @UriParam(label = MAIL_FILTERED)
    private String filter;

    @UriParam(label = "consumer," + MAIL_TRIGGERS)
    private boolean markAsRead;

    @UriParam(label = "consumer," + MAIL_TRIGGERS)
    private boolean includeAttachments;

    @UriParam(label = MAIL_READ)
    private BodyType bodyContentType;

    @UriParam(label = "producer,mail/list,calendar/listEvents", defaultValue = "100")
    private int limit = 100;

    // the old name's entry in the catalog; the value lives in limit
    @Deprecated
    @Metadata(deprecationNote = "top is removed in the next release: use limit, the one name for the most items "
                                + "mail/list and calendar/listEvents return")
    @UriParam(label = "producer,mail/list", defaultValue = "100")
    private int top;

    @UriParam(label = "producer,mail/list")
    private String search;

    // mail: what is sent

    @UriParam(label = MAIL_FILTERED + "," + MAIL_ANSWERS + ",calendar/forwardEvent," + MAIL_WRITTEN)
    private String to;

    @UriParam(label = MAIL_FILTERED + "," + MAIL_ANSWERS + "," + MAIL_WRITTEN)
    private String cc;

    @UriParam(label = "producer," + MAIL_ANSWERS + "," + MAIL_WRITTEN)
    private String bcc;

    @UriParam(label = "producer," + MAIL_WRITTEN)
    private String replyTo;

    @UriParam(label = "producer," + MAIL_WRITTEN)
    private String subject;

    @UriParam(label = MAIL_FILTERED + "," + MAIL_WRITTEN)
    private Importance importance;

    // the old name's entry in the catalog; the value lives in bodyContentType
    @Deprecated
    @Metadata(deprecationNote = "contentType is removed in the next release: use bodyContentType, the one name "
                                + "for the format of message bodies")
    @UriParam(label = "producer," + MAIL_WRITTEN)
    private BodyType contentType;

    @UriParam(label = "producer,mail/send", defaultValue = "true")
    private boolean saveToSentItems = true;

    @UriParam(label = "producer,calendar/cancelEvent,calendar/forwardEvent,calendar/respond," + MAIL_ANSWERS)
    private String comment;

    // mail: the other actions

    @UriParam(label = "producer,mail/copy,mail/move")
    private String destinationFolder;

    @UriParam(label = "producer,mail/flag", defaultValue = "flagged")
    private FlagStatus flagStatus = FlagStatus.flagged;

    @UriParam(label = "producer,mail/flag")
    private String dueDateTime;

    @UriParam(label = "producer,mail/setCategories")
    private String categories;

    @UriParam(label = "producer,mail/createFolder,mail/listFolders")
    private String parentFolder;

    @UriParam(label = "producer,mail/setAutomaticReplies", defaultValue = "alwaysEnabled")
    private AutomaticRepliesStatus autoReplyStatus = AutomaticRepliesStatus.alwaysEnabled;

    @UriParam(label = "producer,mail/setAutomaticReplies", defaultValue = "all")
    private ExternalAudience externalAudience = ExternalAudience.all;

    @UriParam(label = "producer,mail/setAutomaticReplies")
    private String scheduledStartDateTime;

    @UriParam(label = "producer,mail/setAutomaticReplies")
    private String scheduledEndDateTime;

    // calendar

    @UriParam(label = "calendar/startingSoon,calendar/listEvents," + CALENDAR_CHANGES + ",calendar/createEvent")
    private String calendar;

    @UriParam(label = CALENDAR)
    private String timeZone;

    @UriParam(label = "consumer," + CALENDAR_CHANGES, defaultValue = "7")
    private int pastDays = 7;

    @UriParam(label = "calendar/listEvents," + CALENDAR_CHANGES, defaultValue = "90")
    private int futureDays = 90;

    @UriParam(label = "consumer,calendar/startingSoon", defaultValue = "15")
    private int minutesBefore = 15;

    @UriParam(label = "producer,calendar/respond")
    private MeetingResponse response;

    @UriParam(label = "producer,calendar/respond", defaultValue = "true")
    private boolean sendResponse = true;

    public Outlook365Configuration copy() {
        try {
            return (Outlook365Configuration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public Outlook365ConnectionOptions getConnection() {
        return connection;
    }

    /**
     * A named connection: a bean of type io.github.outlook365.camel.Outlook365ConnectionOptions (YAML beans: or Java)
     * holding the connection options (authMode, tenantId, clientId, clientSecret, account, ...), e.g.
     * connection=#sales. It replaces the connection options of the component and of the URI; every endpoint naming the
     * same bean shares one connection, one token store, one throttle budget and one state.
     */
    public void setConnection(Outlook365ConnectionOptions connection) {
        this.connection = connection;
    }

    public String getFolder() {
        return folder;
    }

    /**
     * Mail folder a mail trigger watches and mail/list lists: a well-known name (inbox, sentitems, drafts, archive,
     * deleteditems, junkemail), a display-name path such as Inbox/Invoices, or a folder id. mail/sent always watches
     * Sent Items.
     */
    public void setFolder(String folder) {
        this.folder = folder;
    }

    public String getSince() {
        return since;
    }

    /**
     * Backlog for a new trigger: an ISO-8601 instant (e.g. 2026-01-31T00:00:00Z); on its first start the trigger fires
     * for every message received since then. Without it, a new trigger fires only for mail that arrives after it
     * started. Ignored once the trigger has a stored cursor.
     */
    public void setSince(String since) {
        this.since = since;
    }

    public int getMaxMessagesPerPoll() {
        return maxMessagesPerPoll;
    }

    /**
     * Most exchanges one poll creates (0: no cap, as camel-mail). The rest follows at the next polls, each after
     * delay; without a cap a backlog is fired page after page at once.
     */
    public void setMaxMessagesPerPoll(int maxMessagesPerPoll) {
        this.maxMessagesPerPoll = maxMessagesPerPoll;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    /**
     * Failed exchanges of one item (a message, an event) before the trigger parks it: it moves on without it, says so
     * (a WARN and a TRIGGER_ITEM_PARKED event on connection/events), and retries it later by itself, each exchange
     * carrying headers CamelOutlook365Attempt and CamelOutlook365Parked. 0: never park; an item whose exchanges
     * keep failing then holds up its trigger, replayed at every poll.
     */
    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public String getAccounts() {
        return accounts;
    }

    /**
     * Triggers: the mailboxes one route watches, separated by , or ; (e.g. helpdesk@contoso.com,sales@contoso.com),
     * instead of account. Each mailbox is watched as by a route of its own (its own cursor, dedup and throttle budget;
     * a throttled or failing mailbox does not hold back the others), and each exchange says its mailbox in header
     * CamelOutlook365Account. A mailbox that cannot be watched when the route starts (no such mailbox, no access) is
     * left out with a WARN; the others start. With the app-only modes the mailboxes share one token and one scheduler
     * (triggerThreads). With stateKey set, each mailbox keeps its state under stateKey/mailbox.
     */
    public void setAccounts(String accounts) {
        this.accounts = accounts;
    }

    public String getAccountsGroup() {
        return accountsGroup;
    }

    /**
     * Triggers: a Microsoft 365 group or distribution list whose members' mailboxes one route watches, given by its
     * id or its mail address (e.g. helpdesk-team@contoso.com), instead of account and accounts. Each member (a user:
     * its mail, else its userPrincipalName; nested groups' members too) is watched as with accounts, each exchange
     * saying its mailbox in header CamelOutlook365Account. The members are read again every accountsGroupRefresh: a new
     * member starts at its own baseline (only mail that arrives after it joined fires), a removed member stops (its
     * cursor kept, so adding it again resumes where it was). A refresh that fails keeps the current members and logs a
     * WARN. Needs the application permission GroupMember.Read.All (or Group.Read.All, Directory.Read.All).
     */
    public void setAccountsGroup(String accountsGroup) {
        this.accountsGroup = accountsGroup;
    }

    public long getAccountsGroupRefresh() {
        return accountsGroupRefresh;
    }

    /**
     * Triggers with accountsGroup: how often (milliseconds) the group's members are read again to start the triggers
     * of new members and stop those of removed ones; 15 minutes by default. 0: read only when the route starts. With
     * accounts (and accountsGroup): how often a mailbox left out at the start (not there yet, no access yet, Graph
     * failing) is tried again.
     */
    public void setAccountsGroupRefresh(long accountsGroupRefresh) {
        this.accountsGroupRefresh = accountsGroupRefresh;
    }

    /** The mailboxes of option accounts, trimmed, each once (case-insensitive), in their order; empty when unset. */
    public java.util.List<String> accountList() {
        if (accounts == null || accounts.isBlank()) {
            return java.util.List.of();
        }
        java.util.Map<String, String> unique = new java.util.LinkedHashMap<>();
        for (String a : accounts.split("[,;]")) {
            String account = a.trim();
            if (!account.isEmpty()) {
                unique.putIfAbsent(account.toLowerCase(java.util.Locale.ROOT), account);
            }
        }
        return java.util.List.copyOf(unique.values());
    }

    public boolean isBatchPolls() {
        return batchPolls;
    }

    /**
     * Triggers with accounts or accountsGroup: whether the polls of idle mailboxes (the first page of their next delta
     * round) go to Graph up to 20 in one JSON $batch request, each read throttled by Graph on its own, instead of one
     * request per mailbox. A mailbox whose batched read finds something, or that is in a round, a backlog, throttled or
     * failing, reads on its own as without batching. false: one request per mailbox and poll.
     */
    public void setBatchPolls(boolean batchPolls) {
        this.batchPolls = batchPolls;
    }

    public int getTriggerThreads() {
        return triggerThreads;
    }

    /**
     * Threads that run the polls of the triggers of one app (its client id, tenant and credential; for
     * authMode=authorizationCode, its signed-in user): the triggers of a thousand mailboxes share them instead of a
     * thread each. Taken from the first trigger of the app that starts (set it on the component); a route that sets
     * Camel's scheduledExecutorService polls on that instead.
     */
    public void setTriggerThreads(int triggerThreads) {
        this.triggerThreads = triggerThreads;
    }

    public long getParkedRetryDelay() {
        return parkedRetryDelay;
    }

    /**
     * Milliseconds a parked item waits before the trigger retries it; each failed retry doubles the wait, up to an
     * hour.
     */
    public void setParkedRetryDelay(long parkedRetryDelay) {
        this.parkedRetryDelay = parkedRetryDelay;
    }

    public NotificationMode getNotification() {
        return notification;
    }

    /**
     * none: the trigger polls every delay. webhook: it subscribes to Graph change notifications for what it watches
     * and runs its round as soon as one arrives (within seconds of a change); the round still decides what fires
     * (cursor, dedup, exactly once), and a safety poll every notificationPollDelay covers a lost notification. Needs
     * notificationUrl, reachable by Microsoft Graph, and the receiver route (routes/graph-notifications.camel.yaml)
     * calling outlook365:connection/receiveNotification there. When the subscription cannot be made (no URL, a
     * failed validation), the trigger polls every delay as before, says why once (WARN) and in its health details,
     * and tries again after 1 minute, then doubling up to an hour.
     */
    public void setNotification(NotificationMode notification) {
        this.notification = notification;
    }

    public String getNotificationUrl() {
        return notificationUrl;
    }

    /**
     * The public https URL of the notification receiver (the route calling outlook365:connection/receiveNotification,
     * e.g. https://camel.example.com/outlook365/notifications), for notification=webhook. Graph posts change and
     * lifecycle notifications there, and checks it with a validation request when a subscription is created. Usually
     * set once on the component (camel.component.outlook365.notificationUrl).
     */
    public void setNotificationUrl(String notificationUrl) {
        this.notificationUrl = notificationUrl;
    }

    public long getNotificationPollDelay() {
        return notificationPollDelay;
    }

    /**
     * Milliseconds between the safety polls of a trigger whose change notifications work (notification=webhook): a
     * notification Graph did not send, or one that got lost, costs at most this long. While the subscription does not
     * work the trigger polls every delay instead.
     */
    public void setNotificationPollDelay(long notificationPollDelay) {
        this.notificationPollDelay = notificationPollDelay;
    }

    public int getNotificationLifetime() {
        return notificationLifetime;
    }

    /**
     * Minutes a Graph subscription lives (notification=webhook): from 5 to 10080, Graph's longest for Outlook messages
     * and events. The trigger renews it when a fifth of its lifetime is left, and deletes it when it stops.
     */
    public void setNotificationLifetime(int notificationLifetime) {
        this.notificationLifetime = notificationLifetime;
    }

    public int getPageSize() {
        return pageSize;
    }

    /**
     * Items per Graph page (1 to 1000): of a trigger's rounds (Prefer: odata.maxpagesize) and lists ($top), and of
     * mail/list. A trigger holds one page in memory and commits its position after each. Graph pages messages by 10
     * unless asked and allows up to 1000, but warns that hundreds of whole messages in one page may end in a gateway
     * timeout (504); 100 keeps a page of typical mail under a megabyte and costs one request per 100 messages.
     */
    public void setPageSize(int pageSize) {
        this.pageSize = pageSize;
    }

    public String getStateDirectory() {
        return stateDirectory;
    }

    /**
     * Directory where triggers keep their cursors and the ids they delivered (a directory per trigger, owner-only), so a
     * restart resumes with nothing lost and nothing twice. One process at a time uses it: a second one on the same
     * directory fails at its start. Give it a local directory of its own. Default: .camel-outlook365 in the user's home
     * directory. Not used when stateRepository and idempotentRepository are both given.
     */
    public void setStateDirectory(String stateDirectory) {
        this.stateDirectory = stateDirectory;
    }

    public String getStateKey() {
        return stateKey;
    }

    /**
     * Name under which a trigger keeps its cursor and dedup ids. Default: derived from trigger, tenant, account and
     * folder (or calendar), so a trigger finds its state again after a restart. Two running triggers cannot share a
     * key: give each route that watches the same folder its own key (each then sees every message).
     */
    public void setStateKey(String stateKey) {
        this.stateKey = stateKey;
    }

    public StateRepository<String, String> getStateRepository() {
        return stateRepository;
    }

    /**
     * Where triggers keep their cursor (the Graph delta link) and documents, instead of files under stateDirectory:
     * keys are the stateKey and stateKey/part. The component starts it if it is not started yet and then stops it when
     * the component stops.
     */
    public void setStateRepository(StateRepository<String, String> stateRepository) {
        this.stateRepository = stateRepository;
    }

    public IdempotentRepository getIdempotentRepository() {
        return idempotentRepository;
    }

    /**
     * Where triggers remember the ids they delivered (dedup on replay), instead of a file under stateDirectory: keys are
     * stateKey#id. Started and stopped by the component as stateRepository is. One that also implements
     * HorizonIdempotentRepository forgets the ids a trigger's cursor has passed; a plain one keeps what its own policy
     * keeps.
     */
    public void setIdempotentRepository(IdempotentRepository idempotentRepository) {
        this.idempotentRepository = idempotentRepository;
    }

    public DataSource getStateDataSource() {
        return stateDataSource;
    }

    /**
     * A PostgreSQL DataSource (a pooled one: HikariCP, ...) where triggers keep their cursor and delivered ids, shared by
     * the nodes of a cluster, instead of files under stateDirectory: one table set for all triggers (outlook365_trigger_*,
     * created on first use; the DDL is in docs/cluster.md). A node that starts a trigger takes it over with a new
     * leadership epoch, and a node that lost it (paused, cut off) commits nothing more: run the trigger on one node at a
     * time with a Camel cluster service (master: endpoint or ClusteredRoutePolicy). Not to be combined with
     * stateRepository / idempotentRepository.
     */
    public void setStateDataSource(DataSource stateDataSource) {
        this.stateDataSource = stateDataSource;
    }

    public String getFrom() {
        return from;
    }

    /**
     * Mail triggers and mail/list: only messages from one of these addresses, separated by ; (any match).
     */
    public void setFrom(String from) {
        this.from = from;
    }

    public String getSubjectContains() {
        return subjectContains;
    }

    /**
     * Mail triggers and mail/list: only messages whose subject contains this text (case-insensitive).
     */
    public void setSubjectContains(String subjectContains) {
        this.subjectContains = subjectContains;
    }

    public boolean isOnlyWithAttachments() {
        return onlyWithAttachments;
    }

    /**
     * Mail triggers and mail/list: only messages with attachments.
     */
    public void setOnlyWithAttachments(boolean onlyWithAttachments) {
        this.onlyWithAttachments = onlyWithAttachments;
    }

    public boolean isUnreadOnly() {
        return unreadOnly;
    }

    /**
     * Mail triggers and mail/list: only messages not read yet (when the trigger sees them).
     */
    public void setUnreadOnly(boolean unreadOnly) {
        this.unreadOnly = unreadOnly;
    }

    public String getFilter() {
        return filter;
    }

    /**
     * Mail triggers and mail/list: an OData filter on the message, e.g. importance eq 'high' and
     * contains(subject,'invoice'), or categories/any(c:c eq 'Red'). Graph's message delta filters only on
     * receivedDateTime, so triggers apply it themselves; mail/list does too.
     */
    public void setFilter(String filter) {
        this.filter = filter;
    }

    public boolean isMarkAsRead() {
        return markAsRead;
    }

    /**
     * Mail triggers: mark each message read once the route succeeded on it.
     */
    public void setMarkAsRead(boolean markAsRead) {
        this.markAsRead = markAsRead;
    }

    public boolean isIncludeAttachments() {
        return includeAttachments;
    }

    /**
     * Mail triggers: deliver each message's file attachments as Camel attachments (camel-attachments'
     * AttachmentMessage), downloaded to temporary files that are deleted when the exchange completes.
     */
    public void setIncludeAttachments(boolean includeAttachments) {
        this.includeAttachments = includeAttachments;
    }

    public BodyType getBodyContentType() {
        return bodyContentType;
    }

    /**
     * The format of message bodies, text or html. Mail triggers, mail/get, mail/list and the actions that answer with a
     * message deliver bodies in it (Graph converts, through Prefer: outlook.body-content-type; default: as the message
     * was written); mail/send and mail/createDraft read a text body as it (default text; header
     * CamelOutlook365ContentType overrides).
     */
    public void setBodyContentType(BodyType bodyContentType) {
        this.bodyContentType = bodyContentType;
    }

    public int getLimit() {
        return limit;
    }

    /**
     * Most items mail/list (messages) and calendar/listEvents (events) return; they follow Graph's pages until they
     * have that many.
     */
    public void setLimit(int limit) {
        this.limit = limit;
    }

    @Deprecated
    public int getTop() {
        return limit;
    }

    /**
     * Deprecated: use limit. Most messages mail/list returns.
     */
    @Deprecated
    public void setTop(int top) {
        LOG.warn("Option top is deprecated and removed in the next release: use limit");
        if (top < 1) {
            throw new IllegalArgumentException("option top=" + top + " must be at least 1: it is the most messages"
                                               + " outlook365:mail/list returns");
        }
        this.top = top;
        this.limit = top;
    }

    public String getSearch() {
        return search;
    }

    /**
     * Search words for mail/list (Graph's $search: subject, body and sender), e.g. invoice or from:ada@contoso.com.
     * Graph does not combine $search with $filter: with search set, the other filters are applied locally.
     */
    public void setSearch(String search) {
        this.search = search;
    }

    public String getTo() {
        return to;
    }

    /**
     * Default recipients of mail/send, separated by ; (header CamelOutlook365To overrides); on mail/forward the
     * recipients. On a mail trigger and mail/list: only messages addressed to one of these (any match).
     */
    public void setTo(String to) {
        this.to = to;
    }

    public String getCc() {
        return cc;
    }

    /**
     * Default Cc recipients of mail/send, separated by ; (header CamelOutlook365Cc overrides). On a mail trigger and
     * mail/list: only messages with one of these in Cc (any match).
     */
    public void setCc(String cc) {
        this.cc = cc;
    }

    public String getBcc() {
        return bcc;
    }

    /**
     * Default Bcc recipients of mail/send, separated by ; (header CamelOutlook365Bcc overrides).
     */
    public void setBcc(String bcc) {
        this.bcc = bcc;
    }

    public String getReplyTo() {
        return replyTo;
    }

    /**
     * Where replies to mail of mail/send and mail/createDraft should go, separated by ; (header CamelOutlook365ReplyTo
     * overrides).
     */
    public void setReplyTo(String replyTo) {
        this.replyTo = replyTo;
    }

    public String getSubject() {
        return subject;
    }

    /**
     * Default subject of mail/send (header CamelOutlook365Subject overrides).
     */
    public void setSubject(String subject) {
        this.subject = subject;
    }

    public Importance getImportance() {
        return importance;
    }

    /**
     * Importance of mail sent by mail/send: low, normal or high (header CamelOutlook365Importance overrides). On a mail
     * trigger and mail/list: only messages of this importance.
     */
    public void setImportance(Importance importance) {
        this.importance = importance;
    }

    @Deprecated
    public BodyType getContentType() {
        return bodyContentType;
    }

    /**
     * Deprecated: use bodyContentType. Whether a text body given to mail/send or mail/createDraft is text or html.
     */
    @Deprecated
    public void setContentType(BodyType contentType) {
        LOG.warn("Option contentType is deprecated and removed in the next release: use bodyContentType");
        this.contentType = contentType;
        this.bodyContentType = contentType;
    }

    public boolean isSaveToSentItems() {
        return saveToSentItems;
    }

    /**
     * Whether mail/send keeps a copy in the mailbox's Sent Items.
     */
    public void setSaveToSentItems(boolean saveToSentItems) {
        this.saveToSentItems = saveToSentItems;
    }

    public String getComment() {
        return comment;
    }

    /**
     * Text sent along: above the quoted message by mail/reply, mail/replyAll and mail/forward, and with
     * calendar/respond, cancelEvent and forwardEvent. Header CamelOutlook365Comment comes first, then the body (text,
     * or a Map's comment), then this option.
     */
    public void setComment(String comment) {
        this.comment = comment;
    }

    public String getDestinationFolder() {
        return destinationFolder;
    }

    /**
     * Folder that mail/move and mail/copy put the message in: a well-known name (inbox, archive, deleteditems, ...), a
     * display-name path such as Inbox/Invoices, or a folder id (header CamelOutlook365DestinationFolder overrides).
     */
    public void setDestinationFolder(String destinationFolder) {
        this.destinationFolder = destinationFolder;
    }

    public FlagStatus getFlagStatus() {
        return flagStatus;
    }

    /**
     * What mail/flag sets: flagged (default), complete or notFlagged.
     */
    public void setFlagStatus(FlagStatus flagStatus) {
        this.flagStatus = flagStatus;
    }

    public String getDueDateTime() {
        return dueDateTime;
    }

    /**
     * Due date of the follow-up flag mail/flag sets: an ISO-8601 date-time with offset (2026-02-01T17:00:00Z) or a date
     * (2026-02-01) (header CamelOutlook365DueDateTime overrides).
     */
    public void setDueDateTime(String dueDateTime) {
        this.dueDateTime = dueDateTime;
    }

    public String getCategories() {
        return categories;
    }

    /**
     * Categories mail/setCategories gives the message, separated by ; (header CamelOutlook365Categories, a ; list or a
     * List, overrides). An empty list clears them.
     */
    public void setCategories(String categories) {
        this.categories = categories;
    }

    public String getParentFolder() {
        return parentFolder;
    }

    /**
     * Folder under which mail/createFolder creates, and whose subfolders mail/listFolders lists: a well-known name, a
     * display-name path or an id. Default: the top of the mailbox.
     */
    public void setParentFolder(String parentFolder) {
        this.parentFolder = parentFolder;
    }

    public AutomaticRepliesStatus getAutoReplyStatus() {
        return autoReplyStatus;
    }

    /**
     * What mail/setAutomaticReplies sets: alwaysEnabled (default), scheduled (between scheduledStartDateTime and
     * scheduledEndDateTime) or disabled.
     */
    public void setAutoReplyStatus(AutomaticRepliesStatus autoReplyStatus) {
        this.autoReplyStatus = autoReplyStatus;
    }

    public ExternalAudience getExternalAudience() {
        return externalAudience;
    }

    /**
     * Who outside the organisation gets the automatic reply of mail/setAutomaticReplies: all (default), contactsOnly or
     * none.
     */
    public void setExternalAudience(ExternalAudience externalAudience) {
        this.externalAudience = externalAudience;
    }

    public String getScheduledStartDateTime() {
        return scheduledStartDateTime;
    }

    /**
     * Start of scheduled automatic replies (mail/setAutomaticReplies with autoReplyStatus=scheduled): an ISO-8601
     * date-time with offset.
     */
    public void setScheduledStartDateTime(String scheduledStartDateTime) {
        this.scheduledStartDateTime = scheduledStartDateTime;
    }

    public String getScheduledEndDateTime() {
        return scheduledEndDateTime;
    }

    /**
     * End of scheduled automatic replies: an ISO-8601 date-time with offset, after scheduledStartDateTime.
     */
    public void setScheduledEndDateTime(String scheduledEndDateTime) {
        this.scheduledEndDateTime = scheduledEndDateTime;
    }

    public String getCalendar() {
        return calendar;
    }

    /**
     * Calendar the calendar triggers watch and createEvent/listEvents use: its name (e.g. Projects) or id. Empty: the
     * mailbox's default calendar.
     */
    public void setCalendar(String calendar) {
        this.calendar = calendar;
    }

    public String getTimeZone() {
        return timeZone;
    }

    /**
     * Time zone of the event times Graph answers with (Prefer: outlook.timezone) and of date-times given without a
     * zone: an IANA name (Europe/Paris) or a Windows name (W. Europe Standard Time). Empty: answers in UTC, and
     * date-times without a zone are refused.
     */
    public void setTimeZone(String timeZone) {
        this.timeZone = timeZone;
    }

    public int getPastDays() {
        return pastDays;
    }

    /**
     * Calendar triggers (created, updated, deleted) watch events from this many days in the past.
     */
    public void setPastDays(int pastDays) {
        this.pastDays = pastDays;
    }

    public int getFutureDays() {
        return futureDays;
    }

    /**
     * Calendar triggers watch events up to this many days ahead; listEvents lists this far ahead when no end is given.
     */
    public void setFutureDays(int futureDays) {
        this.futureDays = futureDays;
    }

    public int getMinutesBefore() {
        return minutesBefore;
    }

    /**
     * calendar/startingSoon fires this many minutes before an event occurrence starts.
     */
    public void setMinutesBefore(int minutesBefore) {
        this.minutesBefore = minutesBefore;
    }

    public MeetingResponse getResponse() {
        return response;
    }

    /**
     * How calendar/respond answers an invitation: accept, decline or tentative (header CamelOutlook365Response wins).
     */
    public void setResponse(MeetingResponse response) {
        this.response = response;
    }

    public boolean isSendResponse() {
        return sendResponse;
    }

    /**
     * Whether calendar/respond tells the organizer (false: only the own calendar changes).
     */
    public void setSendResponse(boolean sendResponse) {
        this.sendResponse = sendResponse;
    }
}

package io.github.outlook365.camel;

import org.apache.camel.spi.Metadata;

/**
 * Headers the outlook365 triggers set and its actions read.
 */
public final class Outlook365Constants {

    // ---------------------------------------------------------------- mail triggers

    @Metadata(description = "The Graph id of the message. Triggers set it; every action on one message (reply, forward,"
                            + " get, move, copy, archive, delete, markRead, flag, ...) reads it, else the id comes from"
                            + " the body (a String id or a Message). move, copy and createDraft set it to the new id.",
              javaType = "String")
    public static final String MESSAGE_ID = "CamelOutlook365MessageId";

    @Metadata(description = "The subject. Triggers set it; mail/send reads it as the subject of the mail it sends.",
              javaType = "String")
    public static final String SUBJECT = "CamelOutlook365Subject";

    @Metadata(label = "producer", description = "connection/receiveNotification sets it: how many notifications of the"
                                                + " request had a good clientState and were taken.",
              javaType = "Integer")
    public static final String NOTIFICATIONS_ACCEPTED = "CamelOutlook365NotificationsAccepted";

    @Metadata(label = "producer", description = "connection/receiveNotification sets it: how many notifications of the"
                                                + " request had a wrong clientState and were dropped.",
              javaType = "Integer")
    public static final String NOTIFICATIONS_FORGED = "CamelOutlook365NotificationsForged";

    @Metadata(label = "consumer", description = "The sender's email address.", javaType = "String")
    public static final String FROM = "CamelOutlook365From";

    @Metadata(label = "consumer", description = "When the message was received.", javaType = "java.time.OffsetDateTime")
    public static final String RECEIVED_DATE_TIME = "CamelOutlook365ReceivedDateTime";

    @Metadata(label = "consumer", description = "The conversation (thread) the message belongs to.", javaType = "String")
    public static final String CONVERSATION_ID = "CamelOutlook365ConversationId";

    @Metadata(label = "consumer", description = "The Internet Message-ID header of the message.", javaType = "String")
    public static final String INTERNET_MESSAGE_ID = "CamelOutlook365InternetMessageId";

    @Metadata(description = "The Graph id of the folder the trigger watches; mail/createFolder sets it to the new folder's"
                            + " id.", javaType = "String")
    public static final String FOLDER_ID = "CamelOutlook365FolderId";

    @Metadata(label = "consumer", description = "The mailbox the message is in.", javaType = "String")
    public static final String ACCOUNT = "CamelOutlook365Account";

    @Metadata(label = "consumer", description = "Which attempt of the route on this item the exchange is: 1 the first"
                                                + " time; more when an earlier exchange of the item failed (see"
                                                + " maxAttempts).", javaType = "int")
    public static final String ATTEMPT = "CamelOutlook365Attempt";

    @Metadata(label = "consumer", description = "true when the exchange retries a parked item: one whose exchanges failed"
                                                + " maxAttempts times, which the trigger set aside to move on, and retries"
                                                + " later by itself.", javaType = "boolean")
    public static final String PARKED = "CamelOutlook365Parked";

    @Metadata(label = "consumer", description = "With stateDataSource (a trigger state shared by a cluster): the"
                                                + " leadership epoch this node fires the trigger with. A node that took"
                                                + " the trigger over fires with a higher one, so a sink can refuse a"
                                                + " write whose epoch is lower than the highest it has seen (from a node"
                                                + " that lost the lead while its exchange was in flight).",
              javaType = "long")
    public static final String LEADER_EPOCH = "CamelOutlook365LeaderEpoch";

    // ---------------------------------------------------------------- mail actions

    @Metadata(label = "producer", description = "Recipients of mail/send, separated by ; (overrides the to option).",
              javaType = "String")
    public static final String TO = "CamelOutlook365To";

    @Metadata(label = "producer", description = "Cc recipients of mail/send, separated by ;.", javaType = "String")
    public static final String CC = "CamelOutlook365Cc";

    @Metadata(label = "producer", description = "Bcc recipients of mail/send, separated by ;.", javaType = "String")
    public static final String BCC = "CamelOutlook365Bcc";

    @Metadata(label = "producer", description = "text or html: how mail/send reads a text body.", javaType = "String")
    public static final String CONTENT_TYPE = "CamelOutlook365ContentType";

    @Metadata(label = "producer", description = "low, normal or high.", javaType = "String")
    public static final String IMPORTANCE = "CamelOutlook365Importance";

    @Metadata(label = "producer", description = "Text sent along: above the quoted message by mail/reply, mail/replyAll"
                                                + " and mail/forward; with calendar/respond, cancelEvent and forwardEvent"
                                                + " (overrides the comment option).", javaType = "String")
    public static final String COMMENT = "CamelOutlook365Comment";

    @Metadata(label = "producer", description = "Folder that mail/move and mail/copy put the message in: well-known"
                                                + " name, display-name path (Inbox/Invoices) or id.", javaType = "String")
    public static final String DESTINATION_FOLDER = "CamelOutlook365DestinationFolder";

    @Metadata(label = "producer", description = "Due date-time of the flag that mail/flag sets (ISO-8601).",
              javaType = "String")
    public static final String DUE_DATE_TIME = "CamelOutlook365DueDateTime";

    @Metadata(label = "producer", description = "Categories for mail/setCategories: a ; list or a List of names.",
              javaType = "Object")
    public static final String CATEGORIES = "CamelOutlook365Categories";

    @Metadata(label = "producer", description = "Display name of the folder mail/createFolder creates (else the body).",
              javaType = "String")
    public static final String FOLDER_NAME = "CamelOutlook365FolderName";

    @Metadata(label = "producer", description = "Reply-to addresses of mail/send and mail/createDraft, separated by ;.",
              javaType = "String")
    public static final String REPLY_TO = "CamelOutlook365ReplyTo";

    @Metadata(label = "producer", description = "The Graph id of the attachment mail/downloadAttachment downloads.",
              javaType = "String")
    public static final String ATTACHMENT_ID = "CamelOutlook365AttachmentId";

    @Metadata(label = "producer", description = "The name of the attachment mail/downloadAttachment downloaded (also in"
                                                + " CamelFileName).", javaType = "String")
    public static final String ATTACHMENT_NAME = "CamelOutlook365AttachmentName";

    @Metadata(label = "producer", description = "How many items of a batch action (a body that is a list of message"
                                                + " ids) failed; the body lists what happened to each id.",
              javaType = "Integer")
    public static final String BATCH_FAILURES = "CamelOutlook365BatchFailures";

    // ---------------------------------------------------------------- calendar

    @Metadata(description = "The Graph id of the event.", javaType = "String")
    public static final String EVENT_ID = "CamelOutlook365EventId";

    @Metadata(description = "Calendar triggers: when the event (occurrence) starts, in its time zone. listEvents: start of"
                            + " the window (ISO-8601 with offset or zone, or a java.time value).",
              javaType = "java.time.ZonedDateTime")
    public static final String START_DATE_TIME = "CamelOutlook365StartDateTime";

    @Metadata(description = "Calendar triggers: when the event ends. listEvents: end of the window.",
              javaType = "java.time.ZonedDateTime")
    public static final String END_DATE_TIME = "CamelOutlook365EndDateTime";

    @Metadata(label = "consumer", description = "singleInstance, occurrence, exception or seriesMaster.",
              javaType = "String")
    public static final String EVENT_TYPE = "CamelOutlook365EventType";

    @Metadata(label = "consumer", description = "The series an occurrence or exception belongs to.", javaType = "String")
    public static final String SERIES_MASTER_ID = "CamelOutlook365SeriesMasterId";

    @Metadata(label = "consumer", description = "The Graph id of the calendar the trigger watches.", javaType = "String")
    public static final String CALENDAR_ID = "CamelOutlook365CalendarId";

    @Metadata(label = "consumer", description = "What happened to the event: created, updated or deleted.",
              javaType = "String")
    public static final String CHANGE_TYPE = "CamelOutlook365ChangeType";

    @Metadata(label = "producer", description = "calendar/respond: accept, decline or tentative (overrides the response"
                                                + " option).", javaType = "String")
    public static final String RESPONSE = "CamelOutlook365Response";


    @Metadata(label = "consumer", description = "invitationReceived, responseReceived: meetingRequest, meetingAccepted,"
                                                + " meetingTenativelyAccepted (Graph's spelling), meetingDeclined or"
                                                + " meetingCancelled.", javaType = "String")
    public static final String MEETING_MESSAGE_TYPE = "CamelOutlook365MeetingMessageType";

    // ---------------------------------------------------------------- connection

    @Metadata(label = "consumer", description = "The connection's state: CONNECTED, DEGRADED or BROKEN.",
              javaType = "String")
    public static final String CONNECTION_STATE = "CamelOutlook365ConnectionState";

    @Metadata(label = "producer", description = "connection/authorizationUrl sets it to the state of the sign-in link;"
                                                + " connection/completeAuthorization reads it when the callback's state"
                                                + " is not in a header named state.",
              javaType = "String")
    public static final String AUTHORIZATION_STATE = "CamelOutlook365AuthorizationState";

    @Metadata(label = "producer", description = "connection/completeAuthorization reads the sign-in code from it when"
                                                + " the callback's code is not in a header named code.",
              javaType = "String")
    public static final String AUTHORIZATION_CODE = "CamelOutlook365AuthorizationCode";

    @Metadata(label = "producer", description = "connection/authorizationUrl reads the setup token from it when the"
                                                + " request has no setupToken query parameter (header setupToken);"
                                                + " the token is removed from the exchange either way.",
              javaType = "String")
    public static final String SETUP_TOKEN = "CamelOutlook365SetupToken";

    @Metadata(label = "consumer", description = "connection/events: the connection's name (clientId@tenant/account).",
              javaType = "String")
    public static final String CONNECTION_NAME = "CamelOutlook365ConnectionName";

    @Metadata(label = "consumer", description = "connection/events: STATE_CHANGED or CERTIFICATE_EXPIRING.",
              javaType = "String")
    public static final String CONNECTION_EVENT_TYPE = "CamelOutlook365ConnectionEventType";

    @Metadata(label = "consumer", description = "connection/events: the state before the change.", javaType = "String")
    public static final String CONNECTION_PREVIOUS_STATE = "CamelOutlook365ConnectionPreviousState";

    @Metadata(label = "consumer", description = "connection/events: why the state changed, in a sentence.",
              javaType = "String")
    public static final String CONNECTION_REASON = "CamelOutlook365ConnectionReason";

    @Metadata(label = "consumer", description = "connection/events: the OAuth error (e.g. invalid_grant), if any.",
              javaType = "String")
    public static final String CONNECTION_ERROR = "CamelOutlook365ConnectionError";

    @Metadata(label = "consumer", description = "connection/events: the Entra ID code without its AADSTS prefix (e.g."
                                                + " 50173), if any.", javaType = "String")
    public static final String CONNECTION_AADSTS_CODE = "CamelOutlook365ConnectionAadstsCode";

    @Metadata(label = "consumer", description = "connection/events: the link that fixes a BROKEN connection: a sign-in"
                                                + " link (authorizationCode) or the admin consent link.",
              javaType = "String")
    public static final String CONNECTION_CONSENT_URL = "CamelOutlook365ConnectionConsentUrl";

    @Metadata(label = "consumer", description = "connection/events: when the state changed.",
              javaType = "java.time.Instant")
    public static final String CONNECTION_TIME = "CamelOutlook365ConnectionTime";

    @Metadata(label = "consumer", description = "connection/events: true on the BROKEN event of a first start (nobody"
                                                + " has signed in to the delegated connection yet: nothing failed, it"
                                                + " waits for its first sign-in at the link of"
                                                + " CamelOutlook365ConnectionConsentUrl) and on the CONNECTED event of"
                                                + " that first sign-in; false otherwise.",
              javaType = "boolean")
    public static final String CONNECTION_FIRST_SIGN_IN = "CamelOutlook365ConnectionFirstSignIn";

    @Metadata(label = "consumer", description = "connection/events of type TRIGGER_ITEM_PARKED or TRIGGER_ITEM_DROPPED:"
                                                + " the trigger (e.g. mail/received) whose item it is.",
              javaType = "String")
    public static final String TRIGGER = "CamelOutlook365Trigger";

    @Metadata(label = "consumer", description = "connection/events of type TRIGGER_ITEM_PARKED or TRIGGER_ITEM_DROPPED:"
                                                + " the Graph id of the item (a message, an event).", javaType = "String")
    public static final String ITEM_ID = "CamelOutlook365ItemId";

    private Outlook365Constants() {
    }
}

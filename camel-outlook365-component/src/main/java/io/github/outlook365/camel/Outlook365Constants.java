package io.github.outlook365.camel;

import org.apache.camel.spi.Metadata;

/**
 * Headers the outlook365 triggers set and its actions read.
 */
public final class Outlook365Constants {

    @Metadata(label = "consumer", description = "The Graph id of the message.", javaType = "String")
    public static final String MESSAGE_ID = "CamelOutlook365MessageId";

    @Metadata(description = "The subject. Triggers set it; mail/send reads it as the subject of the mail it sends.",
              javaType = "String")
    public static final String SUBJECT = "CamelOutlook365Subject";

    @Metadata(label = "consumer", description = "The sender's email address.", javaType = "String")
    public static final String FROM = "CamelOutlook365From";

    @Metadata(label = "consumer", description = "When the message was received.", javaType = "java.time.OffsetDateTime")
    public static final String RECEIVED_DATE_TIME = "CamelOutlook365ReceivedDateTime";

    @Metadata(label = "consumer", description = "The conversation (thread) the message belongs to.", javaType = "String")
    public static final String CONVERSATION_ID = "CamelOutlook365ConversationId";

    @Metadata(label = "consumer", description = "The Internet Message-ID header of the message.", javaType = "String")
    public static final String INTERNET_MESSAGE_ID = "CamelOutlook365InternetMessageId";

    @Metadata(label = "consumer", description = "The Graph id of the folder the trigger watches.", javaType = "String")
    public static final String FOLDER_ID = "CamelOutlook365FolderId";

    @Metadata(label = "consumer", description = "The mailbox the message is in.", javaType = "String")
    public static final String ACCOUNT = "CamelOutlook365Account";

    // ---------------------------------------------------------------- mail triggers: add above this line

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

    // ---------------------------------------------------------------- mail actions: add above this line

    @Metadata(description = "The Graph id of the event.", javaType = "String")
    public static final String EVENT_ID = "CamelOutlook365EventId";

    // ---------------------------------------------------------------- calendar: add above this line

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

    // ---------------------------------------------------------------- connection: add above this line

    private Outlook365Constants() {
    }
}

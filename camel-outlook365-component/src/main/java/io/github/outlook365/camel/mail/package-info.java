/**
 * The mail triggers ({@link io.github.outlook365.camel.mail.MailTriggerConsumer}: received, sent, flagged) and the
 * mail actions, each an {@code *Action} class implementing {@code MailAction} and registered with its Graph permission
 * in {@link io.github.outlook365.camel.mail.MailOperations}; and what they share: the message a route sends
 * ({@code OutgoingMessage}, {@code OutgoingAttachments}, {@code AttachmentUpload}), folders by name or path
 * ({@code MailFolders}), the triggers' and mail/list's filters ({@code MailFilter}, {@code ODataFilter}), {@code $batch}
 * ({@code MailBatch}) and the errors of mail actions ({@code MailErrors}).
 */
package io.github.outlook365.camel.mail;

package io.github.outlook365.camel.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.camel.graph.GraphClient;
import io.github.outlook365.camel.graph.GraphRequest;
import io.github.outlook365.camel.model.Attachment;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.support.SynchronizationAdapter;

/**
 * includeAttachments of the mail triggers: each file attachment of a message becomes a Camel attachment. Each is
 * streamed ({@code GET .../attachments/{id}/$value}) to a temporary file, deleted when the exchange completes, so a
 * 150 MB attachment never sits in memory.
 */
final class IncomingAttachments {

    private IncomingAttachments() {
    }

    static void attach(Outlook365Connection connection, String messageId, Exchange exchange) {
        String messagePath = connection.mailboxPath() + "/messages/" + GraphClient.encodePathSegment(messageId);
        List<Path> files = new ArrayList<>();
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onDone(Exchange done) {
                for (Path file : files) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        // the OS cleans its temporary directory
                    }
                }
            }
        });
        AttachmentMessage message = exchange.getMessage(AttachmentMessage.class);
        Set<String> names = new HashSet<>();
        String url = messagePath + "/attachments?$select=" + AttachmentActions.SELECT;
        try {
            download(connection, messagePath, url, message, names, files);
        } catch (RuntimeException e) {
            // the exchange will not run: its completion would never delete what was downloaded
            files.forEach(f -> f.toFile().delete());
            throw e;
        }
    }

    private static void download(Outlook365Connection connection, String messagePath, String firstPage,
                                 AttachmentMessage message, Set<String> names, List<Path> files) {
        String url = firstPage;
        while (url != null) {
            JsonNode page = connection.graph().get(connection.account(), url);
            for (JsonNode item : page.path("value")) {
                if (!"#microsoft.graph.fileAttachment".equals(item.path("@odata.type").asText("#microsoft.graph.fileAttachment"))) {
                    continue; // item and reference attachments have no bytes of their own
                }
                Attachment attachment = Attachment.fromGraph(item);
                Path file = download(connection, messagePath, attachment);
                files.add(file);
                String name = unique(attachment.name() == null ? attachment.id() : attachment.name(), names);
                String type = attachment.contentType() == null ? "application/octet-stream" : attachment.contentType();
                message.addAttachment(name, new DataHandler(new FileDataSource(file.toFile()) {
                    @Override
                    public String getContentType() {
                        return type;
                    }

                    @Override
                    public String getName() {
                        return name;
                    }
                }));
            }
            url = page.hasNonNull("@odata.nextLink") ? page.get("@odata.nextLink").asText() : null;
        }
    }

    private static Path download(Outlook365Connection connection, String messagePath, Attachment attachment) {
        try {
            Path file = Files.createTempFile("outlook365-attachment-", ".tmp");
            try (InputStream in = connection.graph().download(GraphRequest.get(connection.account(),
                    messagePath + "/attachments/" + GraphClient.encodePathSegment(attachment.id()) + "/$value"))) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot download attachment '" + attachment.name() + "': " + e.getMessage(), e);
        }
    }

    private static String unique(String name, Set<String> names) {
        String candidate = name;
        int n = 2;
        while (!names.add(candidate)) {
            int dot = name.lastIndexOf('.');
            candidate = dot > 0 ? name.substring(0, dot) + " (" + n + ")" + name.substring(dot) : name + " (" + n + ")";
            n++;
        }
        return candidate;
    }

}

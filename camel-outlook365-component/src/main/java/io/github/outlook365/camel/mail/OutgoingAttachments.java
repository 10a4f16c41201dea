package io.github.outlook365.camel.mail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.github.outlook365.camel.model.FileAttachment;
import jakarta.activation.DataHandler;
import jakarta.activation.DataSource;
import jakarta.activation.FileDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.camel.trait.message.MessageTrait;

/**
 * The files a route wants to attach: Camel attachments of the message, and the {@code attachments} list of a Map body
 * ({@link FileAttachment}s, files or paths). Each is checked against Outlook's 150 MB limit before anything is sent.
 */
final class OutgoingAttachments {

    /** Outlook's limit for one attachment, through an upload session. */
    static final long MAX_SIZE = 150L * 1024 * 1024;

    private OutgoingAttachments() {
    }

    static List<FileAttachment> read(Exchange exchange, String action) {
        List<FileAttachment> files = new ArrayList<>();
        Object body = exchange.getMessage().getBody();
        if (body instanceof Map<?, ?> map && map.get("attachments") != null) {
            Object list = map.get("attachments");
            for (Object item : list instanceof Collection<?> c ? c : List.of(list)) {
                files.add(of(item, action));
            }
        }
        // Camel keeps attachments on the message itself; AttachmentMessage is a view of them
        AttachmentMessage message = exchange.getMessage().hasTrait(MessageTrait.ATTACHMENTS)
                ? exchange.getMessage(AttachmentMessage.class) : null;
        if (message != null && message.hasAttachments()) {
            for (Map.Entry<String, DataHandler> entry : message.getAttachments().entrySet()) {
                files.add(of(exchange, entry.getKey(), entry.getValue()));
            }
        }
        for (FileAttachment file : files) {
            if (file.size() > MAX_SIZE) {
                throw new IllegalArgumentException(action + ": attachment '" + file.name() + "' has "
                                                   + file.size() / (1024 * 1024) + " MB; Outlook takes at most 150 MB per"
                                                   + " attachment: send a link to the file (OneDrive, SharePoint) instead,"
                                                   + " or split it");
            }
        }
        return files;
    }

    private static FileAttachment of(Object item, String action) {
        if (item instanceof FileAttachment file) {
            return file;
        }
        if (item instanceof Path path) {
            return FileAttachment.of(path);
        }
        if (item instanceof File file) {
            return FileAttachment.of(file.toPath());
        }
        throw new IllegalArgumentException(action + ": the body's attachments hold a "
                                           + (item == null ? "null" : item.getClass().getName()) + "; give"
                                           + " io.github.outlook365.camel.model.FileAttachment, java.nio.file.Path or"
                                           + " java.io.File values, or use Camel attachments");
    }

    /** A Camel attachment; a stream of unknown length is spooled to a temporary file (deleted with the exchange). */
    private static FileAttachment of(Exchange exchange, String name, DataHandler handler) {
        DataSource source = handler.getDataSource();
        String type = handler.getContentType();
        if (type != null && type.contains(";")) {
            type = type.substring(0, type.indexOf(';')).trim();
        }
        if (source instanceof FileDataSource file) {
            File f = file.getFile();
            return new FileAttachment(name, type, f.length(), () -> Files.newInputStream(f.toPath()));
        }
        try {
            Path spool = Files.createTempFile("outlook365-attachment-", ".tmp");
            exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    try {
                        Files.deleteIfExists(spool);
                    } catch (IOException ignored) {
                        // a temp file left behind is removed by the OS
                    }
                }
            });
            try (InputStream in = handler.getInputStream()) {
                Files.copy(in, spool, StandardCopyOption.REPLACE_EXISTING);
            }
            return new FileAttachment(name, type, Files.size(spool), () -> Files.newInputStream(spool));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Camel attachment '" + name + "': " + e.getMessage(), e);
        }
    }
}

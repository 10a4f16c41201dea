package io.github.outlook365.camel.model;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A file to attach to a mail that mail/send or mail/createDraft sends: put a list of them under the key
 * {@code attachments} of a Map body (or use Camel attachments). Its content is read once, as a stream, when the mail
 * is sent: files of 3 MB or more go through an upload session chunk by chunk, never whole into memory.
 */
public final class FileAttachment {

    /** Opens the content; each call gives a fresh stream. */
    @FunctionalInterface
    public interface Content {
        InputStream open() throws IOException;
    }

    private final String name;
    private final String contentType;
    private final long size;
    private final Content content;

    public FileAttachment(String name, String contentType, long size, Content content) {
        this.name = Objects.requireNonNull(name, "name");
        this.contentType = contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
        if (size < 0) {
            throw new IllegalArgumentException("the size of attachment '" + name + "' is unknown or negative: " + size);
        }
        this.size = size;
        this.content = Objects.requireNonNull(content, "content");
    }

    /** A file on disk; its name and (probed) content type become the attachment's. */
    public static FileAttachment of(Path file) {
        try {
            String type = Files.probeContentType(file);
            return new FileAttachment(file.getFileName().toString(), type, Files.size(file), () -> Files.newInputStream(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read attachment " + file + ": " + e.getMessage(), e);
        }
    }

    public static FileAttachment of(String name, String contentType, byte[] bytes) {
        byte[] copy = bytes.clone();
        return new FileAttachment(name, contentType, copy.length, () -> new ByteArrayInputStream(copy));
    }

    public String name() {
        return name;
    }

    public String contentType() {
        return contentType;
    }

    public long size() {
        return size;
    }

    public InputStream open() throws IOException {
        return content.open();
    }

    @Override
    public String toString() {
        return "FileAttachment[" + name + ", " + contentType + ", " + size + " bytes]";
    }
}

package io.github.outlook365.camel;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.model.Attachment;
import io.github.outlook365.camel.model.FileAttachment;
import io.github.outlook365.simulator.RecordedRequest;
import io.github.outlook365.simulator.SimFault;
import io.github.outlook365.simulator.SimMail;
import jakarta.activation.DataHandler;
import jakarta.activation.FileDataSource;
import org.apache.camel.Exchange;
import org.apache.camel.attachment.AttachmentMessage;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static io.github.outlook365.camel.SimulatedTenant.ADA;
import static io.github.outlook365.camel.SimulatedTenant.BOB;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Attachments in and out, MIME export and automatic replies. */
class MailAttachmentsTest extends SimulatedContextTest {

    private static final String CAROL = "carol@fabrikam.example";

    private static String sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (DigestInputStream d = new DigestInputStream(in, digest)) {
            d.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private Path randomFile(String name, int size) throws IOException {
        byte[] block = new byte[1 << 20];
        Random random = new Random(42);
        Path file = work.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int written = 0; written < size; written += block.length) {
                random.nextBytes(block);
                out.write(block, 0, Math.min(block.length, size - written));
            }
        }
        return file;
    }

    @Test
    void smallAttachmentsTravelInlineInSendMail() throws Exception {
        Map<String, Object> mail = new LinkedHashMap<>();
        mail.put("to", BOB);
        mail.put("subject", "Report");
        mail.put("body", "attached");
        mail.put("attachments", List.of(FileAttachment.of("report.csv", "text/csv", "a;b\n1;2\n".getBytes(StandardCharsets.UTF_8))));

        template.sendBody("outlook365:mail/send", mail);

        JsonNode request = GraphJson.MAPPER.readTree(sim.requests().stream().filter(r -> r.path().endsWith("/sendMail"))
                .findFirst().orElseThrow().body());
        JsonNode attachment = request.at("/message/attachments/0");
        assertEquals("#microsoft.graph.fileAttachment", attachment.get("@odata.type").asText());
        assertEquals("report.csv", attachment.get("name").asText());
        assertEquals("text/csv", attachment.get("contentType").asText());
        assertEquals("a;b\n1;2\n", new String(Base64.getDecoder().decode(attachment.get("contentBytes").asText()),
                StandardCharsets.UTF_8));
        ObjectNode received = sim.messages(BOB, "inbox").get(0);
        assertTrue(received.get("hasAttachments").asBoolean());
        assertEquals(0, sim.countRequests(null, "createUploadSession"));
    }

    @Test
    void twentyMegabytesGoThroughAnUploadSessionAndArriveIntact() throws Exception {
        // given Bob's trigger delivering attachments as Camel attachments
        List<String> digests = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?account=" + BOB + "&includeAttachments=true&delay=100&initialDelay=0")
                        .process(e -> {
                            AttachmentMessage m = e.getMessage(AttachmentMessage.class);
                            DataHandler file = m.getAttachment("big.bin");
                            digests.add(file.getContentType() + " " + sha256(file.getInputStream()));
                        });
            }
        });
        Path big = randomFile("big.bin", 20 * 1024 * 1024);
        String expected = sha256(Files.newInputStream(big));

        // when Ada sends it as a Camel attachment
        Exchange sent = template.send("outlook365:mail/send", e -> {
            e.getMessage().setBody("the data set");
            e.getMessage().setHeader(Outlook365Constants.TO, BOB);
            e.getMessage().setHeader(Outlook365Constants.SUBJECT, "Data");
            e.getMessage(AttachmentMessage.class).addAttachment("big.bin", new DataHandler(new FileDataSource(big.toFile())));
        });
        assertNull(sent.getException());

        // then Graph saw a draft, an upload session and ranged PUTs of 12 x 320 KiB without a bearer token, then send
        RecordedRequest session = sim.requests().stream().filter(r -> r.path().endsWith("/createUploadSession"))
                .findFirst().orElseThrow();
        JsonNode item = GraphJson.MAPPER.readTree(session.body()).get("AttachmentItem");
        assertEquals("file", item.get("attachmentType").asText());
        assertEquals("big.bin", item.get("name").asText());
        assertEquals(20 * 1024 * 1024, item.get("size").asLong());
        List<RecordedRequest> puts = sim.requests().stream().filter(r -> r.method().equals("PUT")).toList();
        assertEquals(6, puts.size());
        assertEquals("bytes 0-3932159/20971520", puts.get(0).header("Content-Range"));
        assertEquals("bytes 19660800-20971519/20971520", puts.get(5).header("Content-Range"));
        assertTrue(puts.stream().allMatch(p -> p.header("Authorization") == null));
        assertEquals(List.of(200, 200, 200, 200, 200, 201), puts.stream().map(RecordedRequest::status).toList());
        assertEquals(1, sim.countRequests("POST", "/messages/[^/]+/send$"));
        assertEquals(0, sim.countRequests("POST", "/sendMail"));
        assertTrue(sim.messages(ADA, "drafts").isEmpty());

        // and the bytes Bob's trigger got, and mail/downloadAttachment streams, are the bytes sent
        await().atMost(Duration.ofSeconds(30)).until(() -> digests.size() == 1);
        assertEquals("application/octet-stream " + expected, digests.get(0));
        String messageId = sim.messages(BOB, "inbox").get(0).get("id").asText();
        Exchange listed = template.request("outlook365:mail/getAttachments?account=" + BOB,
                e -> e.getMessage().setHeader(Outlook365Constants.MESSAGE_ID, messageId));
        @SuppressWarnings("unchecked")
        List<Attachment> attachments = listed.getMessage().getBody(List.class);
        assertEquals(1, attachments.size());
        assertEquals(20 * 1024 * 1024L, attachments.get(0).size());
        Exchange downloaded = template.request("outlook365:mail/downloadAttachment?account=" + BOB, e -> {
            e.getMessage().setHeader(Outlook365Constants.MESSAGE_ID, messageId);
            e.getMessage().setBody(attachments.get(0));
        });
        assertEquals("big.bin", downloaded.getMessage().getHeader(Exchange.FILE_NAME));
        assertEquals(expected, sha256(downloaded.getMessage().getBody(InputStream.class)));
        assertTrue(sim.requests().stream().anyMatch(r -> r.path().endsWith("/attachments/" + attachments.get(0).id()
                                                                           + "/$value")));
    }

    @Test
    void anAttachmentOver150MegabytesIsRefusedBeforeAnythingIsSent() {
        FileAttachment huge = new FileAttachment("backup.zip", "application/zip", 151L * 1024 * 1024, () -> {
            throw new AssertionError("must not be read");
        });
        Map<String, Object> mail = Map.of("to", BOB, "subject", "Backup", "attachments", List.of(huge));

        Exchange result = template.request("outlook365:mail/send", e -> e.getMessage().setBody(mail));

        IllegalArgumentException e = assertInstanceOf(IllegalArgumentException.class, result.getException());
        assertTrue(e.getMessage().contains("outlook365:mail/send: attachment 'backup.zip' has 151 MB; Outlook takes at"
                                           + " most 150 MB per attachment"), e.getMessage());
        assertEquals(0, sim.countRequests(null, "/messages|/sendMail"));
    }

    @Test
    void aFailedUploadLeavesNoDraftAndSendsNothing() throws Exception {
        sim.injectFault(SimFault.status("/AttachmentSessions", 400, "InvalidRange", 1));
        Path file = randomFile("four.bin", 4 * 1024 * 1024);
        Map<String, Object> mail = Map.of("to", BOB, "subject", "Four", "attachments", List.of(file));

        Exchange result = template.request("outlook365:mail/send", e -> e.getMessage().setBody(mail));

        assertTrue(result.getException() != null);
        assertTrue(sim.messages(ADA, "drafts").isEmpty());
        assertTrue(sim.messages(BOB, "inbox").isEmpty());
        assertEquals(1, sim.countRequests("DELETE", "/messages/"));
    }

    @Test
    void createDraftWithAnAttachmentOfFourMegabytes() throws Exception {
        Path file = randomFile("four.bin", 4 * 1024 * 1024);
        Exchange result = template.request("outlook365:mail/createDraft", e -> e.getMessage()
                .setBody(Map.of("subject", "Draft", "attachments", List.of(FileAttachment.of(file)))));
        String id = result.getMessage().getHeader(Outlook365Constants.MESSAGE_ID, String.class);
        assertTrue(sim.message(ADA, id).get("hasAttachments").asBoolean());
        assertEquals(2, sim.countRequests("PUT", "/AttachmentSessions"));
        assertEquals(sha256(Files.newInputStream(file)), sha256(new java.io.ByteArrayInputStream(Base64.getDecoder()
                .decode(sim.attachments(ADA, id).get(0).get("contentBytes").asText()))));
    }

    @Test
    void anUnknownAttachmentIdIsNamed() {
        String id = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("One file").textBody("x")
                .attachment("a.txt", "text/plain", "a".getBytes(StandardCharsets.US_ASCII)));
        Exchange result = template.request("outlook365:mail/downloadAttachment", e -> {
            e.getMessage().setHeader(Outlook365Constants.MESSAGE_ID, id);
            e.getMessage().setHeader(Outlook365Constants.ATTACHMENT_ID, "AAMkAGnope=");
        });
        String message = result.getException().getMessage();
        assertTrue(message.contains("outlook365:mail/downloadAttachment: mailbox '" + ADA + "' has no attachment"
                                    + " 'AAMkAGnope=' on message '" + id + "'"), message);
    }

    @Test
    void exportEmlGivesTheMimeContent() throws Exception {
        String id = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Contract").textBody("Please sign.")
                .attachment("contract.pdf", "application/pdf", "%PDF-1.7".getBytes(StandardCharsets.US_ASCII)));

        Exchange result = template.request("outlook365:mail/exportEml",
                e -> e.getMessage().setHeader(Outlook365Constants.MESSAGE_ID, id));

        assertEquals("/v1.0/users/" + ADA + "/messages/" + id + "/$value",
                sim.requests().stream().filter(r -> r.path().endsWith("/$value")).findFirst().orElseThrow().path());
        String mime = new String(result.getMessage().getBody(InputStream.class).readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(mime.contains("Subject: Contract\r\n"), mime);
        assertTrue(mime.contains("From: Carol <" + CAROL + ">\r\n"), mime);
        assertTrue(mime.contains("Content-Type: multipart/mixed; boundary="), mime);
        assertTrue(mime.contains("Content-Disposition: attachment; filename=\"contract.pdf\""), mime);
        assertTrue(mime.contains(Base64.getEncoder().encodeToString("Please sign.".getBytes(StandardCharsets.UTF_8))), mime);
        assertEquals("message/rfc822", result.getMessage().getHeader(Exchange.CONTENT_TYPE));
    }

    @Test
    void scheduledAutomaticRepliesForInsideAndOutside() throws Exception {
        Map<String, Object> messages = Map.of("internalReplyMessage", "On leave, ask Bob.",
                "externalReplyMessage", "I am out of office until July 15.");

        Exchange result = template.request("outlook365:mail/setAutomaticReplies?autoReplyStatus=scheduled"
                                           + "&externalAudience=contactsOnly&scheduledStartDateTime=RAW(2026-07-01T08:00:00+02:00)"
                                           + "&scheduledEndDateTime=RAW(2026-07-15T18:00:00+02:00)",
                e -> e.getMessage().setBody(messages));

        RecordedRequest patch = sim.requests().stream().filter(r -> r.method().equals("PATCH")).findFirst().orElseThrow();
        assertEquals("/v1.0/users/" + ADA + "/mailboxSettings", patch.path());
        JsonNode setting = GraphJson.MAPPER.readTree(patch.body()).get("automaticRepliesSetting");
        assertEquals("scheduled", setting.get("status").asText());
        assertEquals("contactsOnly", setting.get("externalAudience").asText());
        assertEquals("2026-07-01T06:00:00", setting.at("/scheduledStartDateTime/dateTime").asText());
        assertEquals("UTC", setting.at("/scheduledStartDateTime/timeZone").asText());
        assertEquals("2026-07-15T16:00:00", setting.at("/scheduledEndDateTime/dateTime").asText());
        JsonNode stored = sim.mailboxSettings(ADA).get("automaticRepliesSetting");
        assertEquals("I am out of office until July 15.", stored.get("externalReplyMessage").asText());
        assertEquals("On leave, ask Bob.", stored.get("internalReplyMessage").asText());
        assertEquals("scheduled", result.getMessage().getBody(Map.class).get("status"));
        assertNull(result.getException());

        // a text body is both messages; always on
        template.sendBody("outlook365:mail/setAutomaticReplies", "Back on Monday.");
        stored = sim.mailboxSettings(ADA).get("automaticRepliesSetting");
        assertEquals("alwaysEnabled", stored.get("status").asText());
        assertEquals("Back on Monday.", stored.get("internalReplyMessage").asText());
        assertFalse(stored.get("externalReplyMessage").asText().isEmpty());
    }

    @Test
    void scheduledRepliesWithoutBoundsFailTheRouteStart() {
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> context.addRoutes(
                new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:x").to("outlook365:mail/setAutomaticReplies?autoReplyStatus=scheduled");
                    }
                }));
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains("autoReplyStatus=scheduled needs option scheduledStartDateTime"),
                root.getMessage());
    }
}

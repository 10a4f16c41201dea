package io.github.outlook365.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.mail.MessageNotFoundException;
import io.github.outlook365.camel.model.MailFolder;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.simulator.RecordedRequest;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.github.outlook365.camel.SimulatedTenant.ADA;
import static io.github.outlook365.camel.SimulatedTenant.BOB;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every mail action: the request Graph receives and what it does to the simulated mailboxes. */
class MailActionsTest extends SimulatedContextTest {

    private static final String CAROL = "carol@fabrikam.example";

    private RecordedRequest last(String method, String pathRegex) {
        return sim.requests().stream()
                .filter(r -> r.method().equals(method) && java.util.regex.Pattern.compile(pathRegex).matcher(r.path()).find())
                .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("no " + method + " " + pathRegex));
    }

    private static JsonNode json(RecordedRequest request) throws Exception {
        return GraphJson.MAPPER.readTree(request.body());
    }

    private String fromBob(String subject) {
        return sim.deliver(ADA, SimMail.from(BOB, "Bob Babbage").to(ADA, CAROL).cc("dave@fabrikam.example")
                .subject(subject).textBody("Please see the numbers."));
    }

    private Exchange call(String uri, Object body, Map<String, Object> headers) {
        return template.request(uri, e -> {
            e.getMessage().setBody(body);
            e.getMessage().setHeaders(new HashMap<>(headers));
        });
    }

    private Exchange call(String uri, String messageId) {
        return call(uri, null, Map.of(Outlook365Constants.MESSAGE_ID, messageId));
    }

    private static List<String> subjects(List<ObjectNode> messages) {
        return messages.stream().map(m -> m.get("subject").asText()).toList();
    }

    // ---------------------------------------------------------------- reply, replyAll, forward

    @Test
    void replyFromTheTriggerNeedsNoGlueAndLandsInTheSendersInboxAndInSentItems() throws Exception {
        // given a route that answers every new mail
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=100&initialDelay=0")
                        .to("outlook365:mail/reply?comment=Thanks, received.");
            }
        });
        // when Bob writes to Ada
        String id = fromBob("Numbers Q1");

        // then Graph receives the documented reply request for that message
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.countRequests("POST", "/reply$") == 1);
        RecordedRequest request = last("POST", "/reply$");
        assertEquals("/v1.0/users/" + ADA + "/messages/" + id + "/reply", request.path());
        assertEquals("Thanks, received.", json(request).get("comment").asText());
        assertFalse(json(request).has("message"));

        // and the reply is in Bob's inbox, in the same conversation, and in Ada's Sent Items
        String conversation = sim.message(ADA, id).get("conversationId").asText();
        List<ObjectNode> bobs = sim.messages(BOB, "inbox");
        assertEquals(List.of("RE: Numbers Q1"), subjects(bobs));
        assertEquals(conversation, bobs.get(0).get("conversationId").asText());
        assertTrue(bobs.get(0).at("/body/content").asText().contains("Thanks, received."));
        assertEquals(List.of("RE: Numbers Q1"), subjects(sim.messages(ADA, "sentitems")));
        assertEquals(BOB, sim.messages(ADA, "sentitems").get(0).at("/toRecipients/0/emailAddress/address").asText());
    }

    @Test
    void replyAllGoesToTheSenderAndEveryOtherRecipientButTheMailboxItself() throws Exception {
        String id = fromBob("Budget");
        call("outlook365:mail/replyAll", "Agreed.", Map.of(Outlook365Constants.MESSAGE_ID, id));

        RecordedRequest request = last("POST", "/replyAll$");
        assertEquals("/v1.0/users/" + ADA + "/messages/" + id + "/replyAll", request.path());
        assertEquals("Agreed.", json(request).get("comment").asText());
        ObjectNode sent = sim.messages(ADA, "sentitems").get(0);
        assertEquals("RE: Budget", sent.get("subject").asText());
        assertEquals(List.of(BOB, CAROL), addresses(sent.get("toRecipients")));
        assertEquals(List.of("dave@fabrikam.example"), addresses(sent.get("ccRecipients")));
        assertEquals(List.of("RE: Budget"), subjects(sim.messages(BOB, "inbox")));
    }

    @Test
    void forwardSendsTheCommentToTheExtraRecipients() throws Exception {
        String id = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Invoice 42").textBody("due soon"));
        call("outlook365:mail/forward", null, Map.of(Outlook365Constants.MESSAGE_ID, id,
                Outlook365Constants.TO, "Bob Babbage <" + BOB + ">", Outlook365Constants.COMMENT, "FYI, please pay."));

        JsonNode body = json(last("POST", "/forward$"));
        assertEquals("FYI, please pay.", body.get("comment").asText());
        assertEquals(BOB, body.at("/toRecipients/0/emailAddress/address").asText());
        assertEquals("Bob Babbage", body.at("/toRecipients/0/emailAddress/name").asText());
        List<ObjectNode> bobs = sim.messages(BOB, "inbox");
        assertEquals(List.of("FW: Invoice 42"), subjects(bobs));
        assertTrue(bobs.get(0).at("/body/content").asText().contains("FYI, please pay."));
        assertTrue(bobs.get(0).at("/body/content").asText().contains("due soon"));
        assertEquals(List.of("FW: Invoice 42"), subjects(sim.messages(ADA, "sentitems")));
    }

    // ---------------------------------------------------------------- the one reading order

    @Test
    void aBlankHeaderCountsAsNotSetAndTheBodyComesBeforeTheOption() throws Exception {
        // given two messages and reply/move endpoints with defaults in their options
        String first = fromBob("Blank headers");
        String second = fromBob("Body first");

        // when the route sets blank headers, then the options apply
        call("outlook365:mail/reply?comment=From the option", null, Map.of(Outlook365Constants.MESSAGE_ID, first,
                Outlook365Constants.COMMENT, "  ", Outlook365Constants.TO, ""));
        assertEquals("From the option", json(last("POST", "/reply$")).get("comment").asText());
        assertFalse(json(last("POST", "/reply$")).has("message"), "a blank To header adds no recipient");
        call("outlook365:mail/move?destinationFolder=archive", null, Map.of(Outlook365Constants.MESSAGE_ID, first,
                Outlook365Constants.DESTINATION_FOLDER, " "));
        assertEquals("archive", json(last("POST", "/move$")).get("destinationId").asText());

        // when the body gives the comment, it wins over the option
        call("outlook365:mail/reply?comment=From the option", "From the body",
                Map.of(Outlook365Constants.MESSAGE_ID, second));
        assertEquals("From the body", json(last("POST", "/reply$")).get("comment").asText());
    }

    @Test
    void theOldOptionNamesTopAndContentTypeStillWorkAndSayWhatReplacesThem() throws Exception {
        // given three messages
        for (String subject : List.of("one", "two", "three")) {
            fromBob(subject);
        }
        try (CapturedLogs logs = CapturedLogs.capture()) {
            // when a route still uses the names of the last release
            Exchange listed = call("outlook365:mail/list?top=2", null, Map.of());
            call("outlook365:mail/createDraft?contentType=html", "<p>Old name</p>", Map.of(Outlook365Constants.TO, BOB));

            // then they work as limit and bodyContentType, and the log says what replaces them
            assertEquals(2, listed.getMessage().getBody(List.class).size());
            assertEquals("html", json(last("POST", "/messages$")).at("/body/contentType").asText());
            assertFalse(logs.linesContaining("Option top is deprecated and removed in the next release: use limit")
                    .isEmpty(), logs.lines().toString());
            assertFalse(logs.linesContaining("Option contentType is deprecated and removed in the next release: use"
                                             + " bodyContentType").isEmpty(), logs.lines().toString());
        }
    }

    // ---------------------------------------------------------------- drafts

    @Test
    void createDraftThenSendDraft() throws Exception {
        Exchange created = call("outlook365:mail/createDraft?contentType=html", "<p>Draft text</p>",
                Map.of(Outlook365Constants.TO, BOB, Outlook365Constants.SUBJECT, "Proposal"));

        RecordedRequest request = last("POST", "/messages$");
        assertEquals("/v1.0/users/" + ADA + "/messages", request.path());
        assertEquals("Proposal", json(request).get("subject").asText());
        assertEquals("html", json(request).at("/body/contentType").asText());
        assertEquals(BOB, json(request).at("/toRecipients/0/emailAddress/address").asText());
        Message draft = created.getMessage().getBody(Message.class);
        String draftId = created.getMessage().getHeader(Outlook365Constants.MESSAGE_ID, String.class);
        assertEquals(draft.id(), draftId);
        assertTrue(draft.isDraft());
        assertEquals(List.of("Proposal"), subjects(sim.messages(ADA, "drafts")));

        call("outlook365:mail/sendDraft", draftId);

        assertEquals("/v1.0/users/" + ADA + "/messages/" + draftId + "/send", last("POST", "/send$").path());
        assertTrue(sim.messages(ADA, "drafts").isEmpty());
        assertEquals(List.of("Proposal"), subjects(sim.messages(BOB, "inbox")));
        assertEquals(List.of("Proposal"), subjects(sim.messages(ADA, "sentitems")));
    }

    // ---------------------------------------------------------------- get, list

    @Test
    void getReturnsTheMessageInTheAskedBodyFormat() throws Exception {
        String id = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Rich").htmlBody("<p>Hello <b>Ada</b></p>"));

        Exchange result = call("outlook365:mail/get?bodyContentType=text", id);

        RecordedRequest request = last("GET", "/messages/");
        assertEquals("/v1.0/users/" + ADA + "/messages/" + id, request.path());
        assertTrue(request.query().contains("$select="), request.query());
        assertEquals("outlook.body-content-type=\"text\"", request.header("Prefer"));
        Message message = result.getMessage().getBody(Message.class);
        assertEquals("Rich", message.subject());
        assertEquals("text", message.body().contentType());
        assertEquals("Hello Ada", message.body().content());
        assertEquals(CAROL, result.getMessage().getHeader(Outlook365Constants.FROM));
    }

    @Test
    void listFollowsPagesNewestFirstUpToTop() throws Exception {
        java.time.Instant t = java.time.Instant.parse("2026-01-10T10:00:00Z");
        for (int i = 1; i <= 6; i++) {
            sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("m" + i).textBody("x").receivedAt(t.plusSeconds(i)));
        }
        Exchange result = call("outlook365:mail/list?top=5&pageSize=2", null, Map.of(Outlook365Constants.MESSAGE_ID, "stale"));

        @SuppressWarnings("unchecked")
        List<Message> messages = result.getMessage().getBody(List.class);
        assertEquals(List.of("m6", "m5", "m4", "m3", "m2"), messages.stream().map(Message::subject).toList());
        assertNull(result.getMessage().getHeader(Outlook365Constants.MESSAGE_ID), "a list is no single message");
        assertEquals(3, sim.countRequests("GET", "/mailFolders/[^/]+/messages$"));
        RecordedRequest first = sim.requests().stream().filter(r -> r.path().endsWith("/messages")).findFirst()
                .orElseThrow();
        assertTrue(first.query().contains("$top=2"), first.query());
        assertTrue(first.query().contains("$orderby=receivedDateTime desc"), first.query());
    }

    @Test
    void listWithSearchPassesGraphsSearch() throws Exception {
        sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Invoice 7").textBody("x"));
        sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Lunch").textBody("x"));

        Exchange result = call("outlook365:mail/list?search=invoice", null, Map.of());

        @SuppressWarnings("unchecked")
        List<Message> messages = result.getMessage().getBody(List.class);
        assertEquals(List.of("Invoice 7"), messages.stream().map(Message::subject).toList());
        RecordedRequest request = last("GET", "/messages$");
        assertTrue(request.query().contains("$search=\"invoice\""), request.query());
        assertFalse(request.query().contains("$orderby"), request.query());
    }

    @Test
    void listAppliesTheTriggerFiltersAndPagesUntilTopMatches() throws Exception {
        java.time.Instant t = java.time.Instant.parse("2026-01-10T10:00:00Z");
        for (int i = 1; i <= 6; i++) {
            sim.deliver(ADA, SimMail.from(i % 2 == 0 ? BOB : CAROL, "x").subject("n" + i).textBody("x")
                    .read(i == 4).receivedAt(t.plusSeconds(i)));
        }
        Exchange result = call("outlook365:mail/list?top=2&pageSize=2&from=" + BOB + "&unreadOnly=true", null, Map.of());

        @SuppressWarnings("unchecked")
        List<Message> messages = result.getMessage().getBody(List.class);
        assertEquals(List.of("n6", "n2"), messages.stream().map(Message::subject).toList());
        assertEquals(3, sim.countRequests("GET", "/mailFolders/[^/]+/messages$"));
    }

    // ---------------------------------------------------------------- move, copy, archive, delete

    @Test
    void moveToADisplayNamePathGivesTheMessageItsNewId() throws Exception {
        String invoices = sim.createFolder(ADA, "inbox", "Invoices");
        String id = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Invoice 9").textBody("x"));

        Exchange result = call("outlook365:mail/move?destinationFolder=Inbox/Invoices", id);

        RecordedRequest request = last("POST", "/move$");
        assertEquals("/v1.0/users/" + ADA + "/messages/" + id + "/move", request.path());
        assertEquals(invoices, json(request).get("destinationId").asText());
        String newId = result.getMessage().getHeader(Outlook365Constants.MESSAGE_ID, String.class);
        assertNotEquals(id, newId);
        assertEquals(newId, result.getMessage().getBody(Message.class).id());
        assertNull(sim.message(ADA, id));
        assertEquals(invoices, sim.message(ADA, newId).get("parentFolderId").asText());
        assertTrue(sim.messages(ADA, "inbox").isEmpty());
    }

    @Test
    void copyKeepsTheOriginal() throws Exception {
        String id = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Keep").textBody("x"));

        Exchange result = call("outlook365:mail/copy", null, Map.of(Outlook365Constants.MESSAGE_ID, id,
                Outlook365Constants.DESTINATION_FOLDER, "archive"));

        assertEquals("archive", json(last("POST", "/copy$")).get("destinationId").asText());
        assertEquals(List.of("Keep"), subjects(sim.messages(ADA, "inbox")));
        assertEquals(List.of("Keep"), subjects(sim.messages(ADA, "archive")));
        assertNotEquals(id, result.getMessage().getHeader(Outlook365Constants.MESSAGE_ID));
    }

    @Test
    void archiveMovesToArchive() throws Exception {
        String id = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Old news").textBody("x"));
        call("outlook365:mail/archive", id);
        assertEquals("archive", json(last("POST", "/move$")).get("destinationId").asText());
        assertEquals(List.of("Old news"), subjects(sim.messages(ADA, "archive")));
        assertTrue(sim.messages(ADA, "inbox").isEmpty());
    }

    @Test
    void deleteMovesToDeletedItems() throws Exception {
        String id = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Spam").textBody("x"));
        Exchange result = call("outlook365:mail/delete", "kept body", Map.of(Outlook365Constants.MESSAGE_ID, id));
        assertEquals("/v1.0/users/" + ADA + "/messages/" + id, last("DELETE", "/messages/").path());
        assertEquals(List.of("Spam"), subjects(sim.messages(ADA, "deleteditems")));
        assertEquals("kept body", result.getMessage().getBody());
    }

    // ---------------------------------------------------------------- properties

    @Test
    void markReadAndMarkUnreadPatchIsRead() throws Exception {
        String id = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Read me").textBody("x"));

        Exchange read = call("outlook365:mail/markRead", id);
        assertEquals("{\"isRead\":true}", last("PATCH", "/messages/").body());
        assertTrue(sim.message(ADA, id).get("isRead").asBoolean());
        assertTrue(read.getMessage().getBody(Message.class).isRead());

        call("outlook365:mail/markUnread", id);
        assertEquals("{\"isRead\":false}", last("PATCH", "/messages/").body());
        assertFalse(sim.message(ADA, id).get("isRead").asBoolean());
    }

    @Test
    void flagWithADueDate() throws Exception {
        String id = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Follow up").textBody("x"));

        call("outlook365:mail/flag", null, Map.of(Outlook365Constants.MESSAGE_ID, id,
                Outlook365Constants.DUE_DATE_TIME, "2030-02-01T17:30:00+01:00"));

        JsonNode flag = json(last("PATCH", "/messages/")).get("flag");
        assertEquals("flagged", flag.get("flagStatus").asText());
        assertEquals("2030-02-01T16:30:00", flag.at("/dueDateTime/dateTime").asText());
        assertEquals("UTC", flag.at("/dueDateTime/timeZone").asText());
        assertEquals("UTC", flag.at("/startDateTime/timeZone").asText());
        assertEquals("flagged", sim.message(ADA, id).at("/flag/flagStatus").asText());
        assertEquals("2030-02-01T16:30:00", sim.message(ADA, id).at("/flag/dueDateTime/dateTime").asText());

        call("outlook365:mail/flag?flagStatus=complete", id);
        assertEquals("complete", sim.message(ADA, id).at("/flag/flagStatus").asText());
    }

    @Test
    void setCategoriesFromAHeaderList() throws Exception {
        String id = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Tag me").textBody("x"));

        call("outlook365:mail/setCategories", null, Map.of(Outlook365Constants.MESSAGE_ID, id,
                Outlook365Constants.CATEGORIES, List.of("Red category", "Finance")));

        assertEquals("{\"categories\":[\"Red category\",\"Finance\"]}", last("PATCH", "/messages/").body());
        assertEquals("[\"Red category\",\"Finance\"]", sim.message(ADA, id).get("categories").toString());

        call("outlook365:mail/setCategories?categories=Blue", id);
        assertEquals("[\"Blue\"]", sim.message(ADA, id).get("categories").toString());
    }

    // ---------------------------------------------------------------- folders

    @Test
    void createFolderAndListFolders() throws Exception {
        Exchange created = call("outlook365:mail/createFolder?parentFolder=inbox", "Invoices", Map.of());

        RecordedRequest request = last("POST", "/childFolders$");
        assertEquals("/v1.0/users/" + ADA + "/mailFolders/" + sim.folderId(ADA, "inbox") + "/childFolders",
                request.path());
        assertEquals("{\"displayName\":\"Invoices\"}", request.body());
        MailFolder folder = created.getMessage().getBody(MailFolder.class);
        assertEquals("Invoices", folder.displayName());
        assertEquals(folder.id(), created.getMessage().getHeader(Outlook365Constants.FOLDER_ID));

        call("outlook365:mail/createFolder", null, Map.of(Outlook365Constants.FOLDER_NAME, "Projects"));
        assertEquals("/v1.0/users/" + ADA + "/mailFolders", last("POST", "/mailFolders$").path());

        @SuppressWarnings("unchecked")
        List<MailFolder> top = call("outlook365:mail/listFolders", null, Map.of()).getMessage().getBody(List.class);
        assertTrue(top.stream().map(MailFolder::displayName).toList()
                .containsAll(List.of("Inbox", "Sent Items", "Archive", "Projects")));
        assertEquals(1, top.stream().filter(f -> f.displayName().equals("Inbox")).findFirst().orElseThrow()
                .childFolderCount());
        @SuppressWarnings("unchecked")
        List<MailFolder> children = call("outlook365:mail/listFolders?parentFolder=Inbox", null, Map.of()).getMessage()
                .getBody(List.class);
        assertEquals(List.of("Invoices"), children.stream().map(MailFolder::displayName).toList());
        // a folder can then be named by its path
        String id = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Bill").textBody("x"));
        call("outlook365:mail/move?destinationFolder=inbox/invoices", id);
        assertEquals(List.of("Bill"), subjects(sim.messages(ADA, folder.id())));
    }

    // ---------------------------------------------------------------- errors

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of("no id at all", "outlook365:mail/markRead", null, Map.of(),
                        "outlook365:mail/markRead needs the id of a message: set header CamelOutlook365MessageId"),
                Arguments.of("forward without recipients", "outlook365:mail/forward", null,
                        Map.of(Outlook365Constants.MESSAGE_ID, "AAMkAGx"),
                        "outlook365:mail/forward has no recipient: set header CamelOutlook365To"),
                Arguments.of("recipient that is not an address", "outlook365:mail/forward", null,
                        Map.of(Outlook365Constants.MESSAGE_ID, "AAMkAGx", Outlook365Constants.TO, "bob at contoso"),
                        "'bob at contoso' in header CamelOutlook365To is not an email address"),
                Arguments.of("move without destination", "outlook365:mail/move", null,
                        Map.of(Outlook365Constants.MESSAGE_ID, "AAMkAGx"),
                        "outlook365:mail/move needs a destination folder: set header CamelOutlook365DestinationFolder"),
                Arguments.of("setCategories without categories", "outlook365:mail/setCategories", null,
                        Map.of(Outlook365Constants.MESSAGE_ID, "AAMkAGx"),
                        "outlook365:mail/setCategories needs the categories"),
                Arguments.of("due date that is no date", "outlook365:mail/flag", null,
                        Map.of(Outlook365Constants.MESSAGE_ID, "AAMkAGx", Outlook365Constants.DUE_DATE_TIME, "friday"),
                        "header CamelOutlook365DueDateTime='friday' is not a date"),
                Arguments.of("folder without a name", "outlook365:mail/createFolder", null, Map.of(),
                        "outlook365:mail/createFolder needs the folder's name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInputs")
    void badInputIsRefusedBeforeAnythingIsSent(String name, String uri, Object body, Map<String, Object> headers,
                                               String expected) {
        sim.clearRequests();
        Exchange result = call(uri, body, headers);
        Exception e = result.getException();
        assertInstanceOf(IllegalArgumentException.class, e, String.valueOf(e));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(0, sim.countRequests(null, "/messages|/mailFolders"), sim.requests().toString());
    }

    static Stream<Arguments> badOptions() {
        return Stream.of(
                Arguments.of("outlook365:mail/flag?flagStatus=urgent", "option flagStatus='urgent' is not known"),
                Arguments.of("outlook365:mail/flag?dueDateTime=soon", "option dueDateTime='soon' is not a date"),
                Arguments.of("outlook365:mail/get?bodyContentType=markdown", "option bodyContentType='markdown'"),
                Arguments.of("outlook365:mail/list?top=0", "option top=0 must be at least 1"),
                Arguments.of("outlook365:mail/archive?destinationFolder=inbox", "remove option destinationFolder"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badOptions")
    void badOptionsFailTheRouteStart(String uri, String expected) {
        Exception e = assertThrows(Exception.class, () -> context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:start").to(uri);
            }
        }));
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains(expected), root.getMessage());
    }

    @Test
    void aMessageThatIsGoneIsAClearMessageNotFoundException() {
        String id = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Gone").textBody("x"));
        sim.deleteMessage(ADA, id);

        Exchange result = call("outlook365:mail/reply", id);

        MessageNotFoundException e = assertInstanceOf(MessageNotFoundException.class, result.getException());
        assertEquals(id, e.getMessageId());
        assertTrue(e.getMessage().contains("outlook365:mail/reply: message '" + id + "' is not in mailbox '" + ADA
                                           + "' (ErrorItemNotFound): it was deleted, or moved"), e.getMessage());
    }

    @Test
    void anUnknownDestinationFolderIsNamed() {
        String id = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Lost").textBody("x"));
        Exchange result = call("outlook365:mail/move?destinationFolder=Inbox/Nowhere", id);
        String message = result.getException().getMessage();
        assertTrue(message.contains("destination folder='Inbox/Nowhere': mailbox '" + ADA + "' has no such folder: no"
                                    + " folder 'Nowhere' there"), message);
        assertEquals(List.of("Lost"), subjects(sim.messages(ADA, "inbox")));
    }

    @Test
    void aMissingPermissionNamesIt() throws Exception {
        String readOnly = "99999999-2222-3333-4444-555555555555";
        sim.registerApp(SimulatedTenant.TENANT, readOnly, "other~Secret", Set.of("Mail.Read", "User.Read.All"));
        CamelContext limited = tenant.context(null, c -> c.setClientId(readOnly));
        limited.getComponent("outlook365", Outlook365Component.class).getConfiguration().setClientSecret("other~Secret");
        limited.start();
        try {
            String id = sim.deliver(ADA, SimMail.from(CAROL, "Carol").subject("Locked").textBody("x"));
            // the token says what it grants: the action is refused when it starts, before anything reaches Graph
            Exception refused = assertThrows(Exception.class, () -> limited.createProducerTemplate()
                    .request("outlook365:mail/markRead", e -> e.getMessage().setHeader(Outlook365Constants.MESSAGE_ID, id)));
            Throwable root = refused;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            String message = root.getMessage();
            assertTrue(message.contains("outlook365:mail/markRead needs the Microsoft Graph application permission"
                                        + " Mail.ReadWrite"), message);
            assertTrue(message.contains("/adminconsent?client_id=" + readOnly), message);
            assertEquals(0, sim.countRequests("PATCH", "/messages/"));
            assertFalse(sim.message(ADA, id).get("isRead").asBoolean());
        } finally {
            limited.stop();
        }
    }

    private static List<String> addresses(JsonNode recipients) {
        List<String> list = new java.util.ArrayList<>();
        recipients.forEach(r -> list.add(r.at("/emailAddress/address").asText()));
        return list;
    }
}

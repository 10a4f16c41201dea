package io.github.outlook365.simulator;

import static io.github.outlook365.simulator.GraphAccessTest.assertGraphError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** mailFolders and messages: GET, list, $select, paging, PATCH, move, DELETE. */
class MessagesTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final String TENANT = "tenant-messages";
    static final String ALICE = "alice@contoso.com";

    private Outlook365Simulator sim;
    private TestClient client;
    private String token;

    @BeforeEach
    void given(Outlook365Simulator simulator) {
        sim = simulator;
        client = new TestClient(simulator);
        sim.registerApp(TENANT, "app", "secret");
        sim.createMailbox(TENANT, ALICE, "Alice Adams");
        token = client.accessToken(TENANT, "app", "secret");
    }

    private String deliver(String subject, Instant received) {
        return sim.deliver(ALICE, SimMail.from("bob@example.com", "Bob Brown").to(ALICE).subject(subject)
                .htmlBody("<html><body><p>Hello <b>Alice</b></p></body></html>").receivedAt(received));
    }

    @Test
    void listsAndGetsTheWellKnownFolders() {
        // given
        deliver("one", Instant.parse("2024-05-01T10:00:00Z"));

        // when
        TestClient.Response list = client.get("/v1.0/users/" + ALICE + "/mailFolders", token);
        TestClient.Response byName = client.get("/v1.0/users/ALICE@CONTOSO.COM/mailFolders/Inbox", token);
        TestClient.Response byId = client.get("/v1.0/users/" + ALICE + "/mailFolders/" + sim.folderId(ALICE, "inbox"),
                token);

        // then
        assertEquals(200, list.status(), list.body());
        List<String> names = new ArrayList<>();
        list.json().path("value").forEach(f -> names.add(f.path("displayName").asText()));
        assertTrue(names.containsAll(List.of("Inbox", "Drafts", "Sent Items", "Deleted Items", "Archive",
                "Junk Email")), names.toString());
        assertTrue(list.json().path("@odata.context").asText().contains("/v1.0/$metadata#users("));
        JsonNode inbox = byName.json();
        assertEquals(200, byName.status(), byName.body());
        assertEquals(sim.folderId(ALICE, "inbox"), inbox.path("id").asText());
        assertEquals("Inbox", inbox.path("displayName").asText());
        assertEquals(1, inbox.path("totalItemCount").asInt());
        assertEquals(1, inbox.path("unreadItemCount").asInt());
        assertEquals(0, inbox.path("childFolderCount").asInt());
        assertFalse(inbox.path("isHidden").asBoolean());
        assertTrue(inbox.path("parentFolderId").isTextual());
        assertEquals(inbox.path("id"), byId.json().path("id"));
    }

    @Test
    void messageJsonHasGraphsShape() {
        // given
        String id = deliver("Quarterly report", Instant.parse("2024-05-01T10:00:00Z"));

        // when
        TestClient.Response response = client.get("/v1.0/users/" + ALICE + "/messages/" + id, token);

        // then
        assertEquals(200, response.status(), response.body());
        JsonNode m = response.json();
        for (String property : List.of("@odata.context", "@odata.etag", "id", "createdDateTime",
                "lastModifiedDateTime", "changeKey", "categories", "receivedDateTime", "sentDateTime",
                "hasAttachments", "internetMessageId", "subject", "bodyPreview", "importance", "parentFolderId",
                "conversationId", "conversationIndex", "isDeliveryReceiptRequested", "isReadReceiptRequested",
                "isRead", "isDraft", "webLink", "inferenceClassification", "body", "sender", "from", "toRecipients",
                "ccRecipients", "bccRecipients", "replyTo", "flag")) {
            assertTrue(m.has(property), "missing " + property + " in " + m);
        }
        assertEquals(id, m.path("id").asText());
        assertEquals("2024-05-01T10:00:00Z", m.path("receivedDateTime").asText());
        assertEquals("Quarterly report", m.path("subject").asText());
        assertEquals("Hello Alice", m.path("bodyPreview").asText());
        assertEquals("html", m.path("body").path("contentType").asText());
        assertEquals("Bob Brown", m.path("from").path("emailAddress").path("name").asText());
        assertEquals("bob@example.com", m.path("sender").path("emailAddress").path("address").asText());
        assertEquals("Alice Adams", m.path("toRecipients").get(0).path("emailAddress").path("name").asText());
        assertEquals("notFlagged", m.path("flag").path("flagStatus").asText());
        assertEquals("W/\"" + m.path("changeKey").asText() + "\"", m.path("@odata.etag").asText());
        assertEquals(sim.folderId(ALICE, "inbox"), m.path("parentFolderId").asText());
    }

    @Test
    void selectReturnsOnlyTheSelectedPropertiesAndTextBodyOnPreference() {
        // given
        String id = deliver("Selected", Instant.parse("2024-05-01T10:00:00Z"));

        // when
        TestClient.Response response = client.get("/v1.0/users/" + ALICE + "/messages/" + id
                + "?$select=subject,body,isRead", token, "Prefer", "outlook.body-content-type=\"text\"");
        TestClient.Response unknown = client.get("/v1.0/users/" + ALICE + "/messages/" + id + "?$select=nope", token);

        // then
        assertEquals(200, response.status(), response.body());
        JsonNode m = response.json();
        assertEquals(List.of("@odata.context", "@odata.etag", "id", "subject", "isRead", "body"), fieldNames(m));
        assertEquals("text", m.path("body").path("contentType").asText());
        assertEquals("Hello Alice", m.path("body").path("content").asText());
        assertEquals("outlook.body-content-type=\"text\"", response.header("Preference-Applied"));
        assertEquals(400, unknown.status());
    }

    @Test
    void listsNewestFirstWithTopAndSkipNextLink() {
        // given
        Instant t = Instant.parse("2024-05-01T10:00:00Z");
        for (int i = 0; i < 12; i++) {
            deliver("m" + i, t.plusSeconds(60L * i));
        }

        // when
        TestClient.Response first = client.get("/v1.0/users/" + ALICE + "/mailFolders/inbox/messages?$top=5"
                + "&$select=subject", token);
        TestClient.Response second = client.get(first.json().path("@odata.nextLink").asText(), token);
        TestClient.Response defaults = client.get("/v1.0/users/" + ALICE + "/mailFolders/inbox/messages", token);

        // then
        assertEquals(200, first.status(), first.body());
        assertEquals(List.of("m11", "m10", "m9", "m8", "m7"), subjects(first.json()));
        assertTrue(first.json().path("@odata.nextLink").asText().contains("$skip=5"));
        assertEquals(List.of("m6", "m5", "m4", "m3", "m2"), subjects(second.json()));
        assertEquals(List.of("@odata.etag", "id", "subject"), fieldNames(second.json().path("value").get(0)));
        assertEquals(10, defaults.json().path("value").size());
    }

    @Test
    void listsAFolderOldestFirstFromAReceivedDateTimePageByPage() {
        // given 12 messages a minute apart, and one from before
        Instant t = Instant.parse("2024-05-01T10:00:00Z");
        deliver("before", t.minusSeconds(3600));
        for (int i = 0; i < 12; i++) {
            deliver("m" + i, t.plusSeconds(60L * i));
        }
        String query = "/v1.0/users/" + ALICE + "/mailFolders/inbox/messages?$select=subject&$orderby="
                       + TestClient.enc("receivedDateTime asc") + "&$top=5&$filter=";

        // when the list is read page by page, and again from a receivedDateTime (as a trigger resumes)
        TestClient.Response first = client.get(query + TestClient.enc("receivedDateTime ge " + t), token);
        TestClient.Response second = client.get(first.json().path("@odata.nextLink").asText(), token);
        TestClient.Response third = client.get(second.json().path("@odata.nextLink").asText(), token);
        TestClient.Response resumed = client.get(query + TestClient.enc("receivedDateTime ge " + t.plusSeconds(240)),
                token);

        // then
        assertEquals(List.of("m0", "m1", "m2", "m3", "m4"), subjects(first.json()));
        assertEquals(List.of("m5", "m6", "m7", "m8", "m9"), subjects(second.json()));
        assertEquals(List.of("m10", "m11"), subjects(third.json()));
        assertTrue(third.json().path("@odata.nextLink").isMissingNode(), third.body());
        assertEquals(List.of("m4", "m5", "m6", "m7", "m8"), subjects(resumed.json()));
    }

    @Test
    void listFiltersOnSimpleConditions() {
        // given
        String unread = deliver("unread", Instant.parse("2024-05-01T10:00:00Z"));
        String read = deliver("read", Instant.parse("2024-05-01T11:00:00Z"));
        sim.markRead(ALICE, read, true);

        // when
        TestClient.Response onlyUnread = client.get("/v1.0/users/" + ALICE + "/mailFolders/inbox/messages?$filter="
                + TestClient.enc("isRead eq false"), token);
        TestClient.Response recent = client.get("/v1.0/users/" + ALICE + "/messages?$filter="
                + TestClient.enc("receivedDateTime gt 2024-05-01T10:30:00Z and isRead eq true"), token);
        TestClient.Response unsupported = client.get("/v1.0/users/" + ALICE + "/messages?$filter="
                + TestClient.enc("startswith(subject,'r')"), token);

        // then
        assertEquals(List.of("unread"), subjects(onlyUnread.json()));
        assertEquals(unread, onlyUnread.json().path("value").get(0).path("id").asText());
        assertEquals(List.of("read"), subjects(recent.json()));
        assertEquals(400, unsupported.status());
    }

    @Test
    void patchUpdatesIsReadCategoriesFlagAndImportance() {
        // given
        String id = deliver("Patch me", Instant.parse("2024-05-01T10:00:00Z"));
        String before = sim.messages(ALICE, "inbox").get(0).path("changeKey").asText();

        // when
        TestClient.Response response = client.send("PATCH", "/v1.0/users/" + ALICE + "/messages/" + id, token,
                "{\"isRead\":true,\"categories\":[\"Processed\"],\"flag\":{\"flagStatus\":\"flagged\"},"
                        + "\"importance\":\"High\"}");
        TestClient.Response unknownProperty = client.send("PATCH", "/v1.0/users/" + ALICE + "/messages/" + id, token,
                "{\"isReadd\":true}");
        TestClient.Response unknownMessage = client.send("PATCH", "/v1.0/users/" + ALICE + "/messages/AAMkAGnope",
                token, "{\"isRead\":true}");

        // then
        assertEquals(200, response.status(), response.body());
        JsonNode m = response.json();
        assertTrue(m.path("isRead").asBoolean());
        assertEquals("Processed", m.path("categories").get(0).asText());
        assertEquals("flagged", m.path("flag").path("flagStatus").asText());
        assertEquals("high", m.path("importance").asText());
        assertNotEquals(before, m.path("changeKey").asText());
        ObjectNode stored = sim.messages(ALICE, "inbox").get(0);
        assertTrue(stored.path("isRead").asBoolean());
        assertEquals(400, unknownProperty.status());
        assertGraphError(unknownMessage, 404, "ErrorItemNotFound");
    }

    @Test
    void moveGivesANewIdAndDeleteGoesToDeletedItems() {
        // given
        String moved = deliver("Move me", Instant.parse("2024-05-01T10:00:00Z"));
        String deleted = deliver("Delete me", Instant.parse("2024-05-01T10:01:00Z"));

        // when
        TestClient.Response move = client.send("POST", "/v1.0/users/" + ALICE + "/messages/" + moved + "/move", token,
                "{\"destinationId\":\"archive\"}");
        TestClient.Response delete = client.send("DELETE", "/v1.0/users/" + ALICE + "/messages/" + deleted, token,
                null);

        // then
        assertEquals(201, move.status(), move.body());
        assertNotEquals(moved, move.json().path("id").asText());
        assertEquals(sim.folderId(ALICE, "archive"), move.json().path("parentFolderId").asText());
        assertEquals(204, delete.status(), delete.body());
        assertTrue(sim.messages(ALICE, "inbox").isEmpty());
        assertEquals("Delete me", sim.messages(ALICE, "deleteditems").get(0).path("subject").asText());
    }

    static List<String> subjects(JsonNode page) {
        List<String> subjects = new ArrayList<>();
        page.path("value").forEach(m -> subjects.add(m.path("subject").asText()));
        return subjects;
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

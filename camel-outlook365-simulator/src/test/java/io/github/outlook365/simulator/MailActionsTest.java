package io.github.outlook365.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/** Reply, forward, drafts, copy and folders, and what delta reports about them. */
class MailActionsTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final String TENANT = "tenant-actions";
    static final String ALICE = "alice@contoso.com";
    static final String BOB = "bob@contoso.com";

    private Outlook365Simulator sim;
    private TestClient client;
    private String token;

    @BeforeEach
    void given(Outlook365Simulator simulator) {
        sim = simulator;
        client = new TestClient(simulator);
        sim.registerApp(TENANT, "app", "secret", Set.of("Mail.ReadWrite", "Mail.Send"));
        sim.createMailbox(TENANT, ALICE, "Alice Adams");
        sim.createMailbox(TENANT, BOB, "Bob Brown");
        token = client.accessToken(TENANT, "app", "secret");
    }

    private List<JsonNode> deltaRound(String url) {
        List<JsonNode> entries = new ArrayList<>();
        String next = url;
        while (true) {
            JsonNode page = client.get(next, token).json();
            page.path("value").forEach(entries::add);
            if (page.has("@odata.deltaLink")) {
                entries.add(page);
                return entries;
            }
            next = page.path("@odata.nextLink").asText();
        }
    }

    private static String deltaLinkOf(List<JsonNode> round) {
        return round.get(round.size() - 1).path("@odata.deltaLink").asText();
    }

    @Test
    void moveCopyAndDeleteShowInDeltaAsRemovedFromTheSourceFolder() {
        String moved = sim.deliver(ALICE, SimMail.from(BOB, "Bob").subject("to move").textBody("x"));
        String copied = sim.deliver(ALICE, SimMail.from(BOB, "Bob").subject("to copy").textBody("x"));
        String deleted = sim.deliver(ALICE, SimMail.from(BOB, "Bob").subject("to delete").textBody("x"));
        String link = deltaLinkOf(deltaRound("/v1.0/users/" + ALICE + "/mailFolders/inbox/messages/delta"));

        assertEquals(201, client.send("POST", "/v1.0/users/" + ALICE + "/messages/" + moved + "/move", token,
                "{\"destinationId\":\"archive\"}").status());
        TestClient.Response copy = client.send("POST", "/v1.0/users/" + ALICE + "/messages/" + copied + "/copy", token,
                "{\"destinationId\":\"archive\"}");
        assertEquals(201, copy.status(), copy.body());
        assertEquals(204, client.send("DELETE", "/v1.0/users/" + ALICE + "/messages/" + deleted, token, null).status());

        List<JsonNode> round = deltaRound(link);
        List<String> removed = new ArrayList<>();
        round.stream().filter(e -> e.has("@removed")).forEach(e -> removed.add(e.path("id").asText()));
        assertEquals(Set.of(moved, deleted), Set.copyOf(removed));
        assertEquals(2, sim.messages(ALICE, "archive").size());
        assertEquals(List.of("to copy"), sim.messages(ALICE, "inbox").stream().map(m -> m.path("subject").asText()).toList());
    }

    @Test
    void replyAndForwardCreateAMessageForTheRecipientAndInSentItems() {
        String id = sim.deliver(ALICE, SimMail.from(BOB, "Bob").subject("Hi").textBody("hello"));

        TestClient.Response reply = client.send("POST", "/v1.0/users/" + ALICE + "/messages/" + id + "/reply", token,
                "{\"comment\":\"Thanks\"}");
        assertEquals(202, reply.status(), reply.body());
        TestClient.Response forward = client.send("POST", "/v1.0/users/" + ALICE + "/messages/" + id + "/forward", token,
                "{\"comment\":\"FYI\",\"toRecipients\":[{\"emailAddress\":{\"address\":\"" + BOB + "\"}}]}");
        assertEquals(202, forward.status(), forward.body());

        List<String> bobs = sim.messages(BOB, "inbox").stream().map(m -> m.path("subject").asText()).toList();
        assertEquals(List.of("RE: Hi", "FW: Hi"), bobs);
        assertEquals(2, sim.messages(ALICE, "sentitems").size());
    }

    @Test
    void replyRefusesACommentAndABodyTogether() {
        String id = sim.deliver(ALICE, SimMail.from(BOB, "Bob").subject("Hi").textBody("hello"));
        TestClient.Response reply = client.send("POST", "/v1.0/users/" + ALICE + "/messages/" + id + "/reply", token,
                "{\"comment\":\"a\",\"message\":{\"body\":{\"contentType\":\"text\",\"content\":\"b\"}}}");
        assertEquals(400, reply.status());
        assertTrue(sim.messages(BOB, "inbox").isEmpty());
    }

    @Test
    void foldersNestAndRefuseDuplicateNames() {
        TestClient.Response created = client.send("POST", "/v1.0/users/" + ALICE + "/mailFolders/inbox/childFolders",
                token, "{\"displayName\":\"Invoices\"}");
        assertEquals(201, created.status(), created.body());
        assertEquals(sim.folderId(ALICE, "inbox"), created.json().path("parentFolderId").asText());
        TestClient.Response duplicate = client.send("POST", "/v1.0/users/" + ALICE + "/mailFolders/inbox/childFolders",
                token, "{\"displayName\":\"invoices\"}");
        assertEquals(409, duplicate.status());
        assertEquals("ErrorFolderExists", duplicate.json().path("error").path("code").asText());
        JsonNode children = client.get("/v1.0/users/" + ALICE + "/mailFolders/inbox/childFolders", token).json();
        assertEquals("Invoices", children.path("value").get(0).path("displayName").asText());
        JsonNode top = client.get("/v1.0/users/" + ALICE + "/mailFolders?$top=50", token).json();
        top.path("value").forEach(f -> assertTrue(!f.path("displayName").asText().equals("Invoices")));
    }

    @Test
    void draftsAreSentOnce() {
        TestClient.Response draft = client.send("POST", "/v1.0/users/" + ALICE + "/messages", token,
                "{\"subject\":\"Plan\",\"toRecipients\":[{\"emailAddress\":{\"address\":\"" + BOB + "\"}}]}");
        assertEquals(201, draft.status(), draft.body());
        assertTrue(draft.json().path("isDraft").asBoolean());
        String id = draft.json().path("id").asText();
        assertEquals(202, client.send("POST", "/v1.0/users/" + ALICE + "/messages/" + id + "/send", token, null).status());
        assertEquals(404, client.send("POST", "/v1.0/users/" + ALICE + "/messages/" + id + "/send", token, null).status());
        assertEquals(1, sim.messages(BOB, "inbox").size());
    }

    @Test
    void aBatchRunsTheRequestsOfDifferentMailboxesSideBySideAndThoseOfOneMailboxOneAfterAnother() {
        // given every mailbox read answered a second late (as over a slow network)
        sim.setLatency("/messages$", java.time.Duration.ofSeconds(1));
        String body = "{\"requests\":["
                + "{\"id\":\"1\",\"method\":\"GET\",\"url\":\"/users/" + ALICE + "/messages\"},"
                + "{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/users/" + BOB + "/messages\"},"
                + "{\"id\":\"3\",\"method\":\"GET\",\"url\":\"/users/" + ALICE + "/messages?$top=1\"}]}";
        sim.clearRequests();
        TestClient.Response answer = client.send("POST", "/v1.0/$batch", token, body);
        assertEquals(200, answer.status(), answer.body());
        JsonNode responses = answer.json().get("responses");
        assertEquals(List.of("1", "2", "3"), List.of(responses.get(0).path("id").asText(),
                responses.get(1).path("id").asText(), responses.get(2).path("id").asText()));
        for (JsonNode r : responses) {
            assertEquals(200, r.path("status").asInt(), r.toString());
        }
        // then Bob's read ran beside Alice's first (it began before hers ended), Alice's two one after the other
        List<RecordedRequest> items = sim.requests().stream().filter(RecordedRequest::batchItem).toList();
        RecordedRequest alice1 = items.stream().filter(r -> r.path().contains(ALICE) && r.query() == null).findFirst()
                .orElseThrow();
        RecordedRequest alice2 = items.stream().filter(r -> r.path().contains(ALICE) && r.query() != null).findFirst()
                .orElseThrow();
        RecordedRequest bob = items.stream().filter(r -> r.path().contains(BOB)).findFirst().orElseThrow();
        assertTrue(bob.at().isBefore(alice1.at().plusSeconds(1)), alice1.at() + " / " + bob.at());
        assertTrue(!alice2.at().isBefore(alice1.at().plusSeconds(1)), alice1.at() + " / " + alice2.at());
    }

    @Test
    void batchAnswersEachItemInGraphsShapeAndRefusesMoreThanTwenty() {
        String id = sim.deliver(ALICE, SimMail.from(BOB, "Bob").subject("one").textBody("x"));
        sim.injectFault(SimFault.throttle("/messages/[^/]+$", 1, java.time.Duration.ofSeconds(2)));
        String body = "{\"requests\":["
                + "{\"id\":\"1\",\"method\":\"PATCH\",\"url\":\"/users/" + ALICE + "/messages/" + id + "\","
                + "\"headers\":{\"Content-Type\":\"application/json\"},\"body\":{\"isRead\":true}},"
                + "{\"id\":\"2\",\"method\":\"GET\",\"url\":\"/users/" + ALICE + "/messages/" + id + "\"},"
                + "{\"id\":\"3\",\"method\":\"GET\",\"url\":\"/users/" + ALICE + "/messages/nope\"}]}";
        TestClient.Response answer = client.send("POST", "/v1.0/$batch", token, body);
        assertEquals(200, answer.status(), answer.body());
        JsonNode responses = answer.json().get("responses");
        assertEquals(429, responses.get(0).path("status").asInt());
        assertEquals("2", responses.get(0).path("headers").path("Retry-After").asText());
        assertEquals(200, responses.get(1).path("status").asInt());
        assertEquals("one", responses.get(1).path("body").path("subject").asText());
        assertEquals(404, responses.get(2).path("status").asInt());
        assertEquals("ErrorItemNotFound", responses.get(2).path("body").path("error").path("code").asText());

        StringBuilder many = new StringBuilder("{\"requests\":[");
        for (int i = 1; i <= 21; i++) {
            many.append(i > 1 ? "," : "").append("{\"id\":\"").append(i).append("\",\"method\":\"GET\",\"url\":\"/users/")
                    .append(ALICE).append("/messages\"}");
        }
        assertEquals(400, client.send("POST", "/v1.0/$batch", token, many.append("]}").toString()).status());
    }
}

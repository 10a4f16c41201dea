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
}

package io.github.outlook365.simulator;

import static io.github.outlook365.simulator.GraphAccessTest.assertGraphError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** POST /users/{u}/sendMail. */
class SendMailTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final String TENANT = "tenant-send";
    static final String ALICE = "alice@contoso.com";
    static final String BOB = "bob@contoso.com";
    static final String CAROL = "carol@contoso.com";

    private Outlook365Simulator sim;
    private TestClient client;
    private String token;

    @BeforeEach
    void given(Outlook365Simulator simulator) {
        sim = simulator;
        client = new TestClient(simulator);
        sim.registerApp(TENANT, "app", "secret");
        sim.createMailbox(TENANT, ALICE, "Alice Adams");
        sim.createMailbox(TENANT, BOB, "Bob Brown");
        sim.createMailbox(TENANT, CAROL, "Carol Clark");
        token = client.accessToken(TENANT, "app", "secret");
    }

    private TestClient.Response sendMail(String json) {
        return client.send("POST", "/v1.0/users/" + ALICE + "/sendMail", token, json);
    }

    @Test
    void deliversToSimulatedRecipientsAndKeepsASentCopy() {
        // when
        TestClient.Response response = sendMail("{\"message\":{\"subject\":\"Lunch?\","
                + "\"body\":{\"contentType\":\"Text\",\"content\":\"At noon?\"},"
                + "\"toRecipients\":[{\"emailAddress\":{\"address\":\"BOB@contoso.com\"}},"
                + "{\"emailAddress\":{\"address\":\"someone@external.example\",\"name\":\"Someone\"}}],"
                + "\"ccRecipients\":[{\"emailAddress\":{\"address\":\"" + BOB + "\"}}],"
                + "\"bccRecipients\":[{\"emailAddress\":{\"address\":\"" + CAROL + "\"}}],"
                + "\"importance\":\"high\"},\"saveToSentItems\":\"true\"}");

        // then
        assertEquals(202, response.status(), response.body());
        assertTrue(response.body().isEmpty());
        List<ObjectNode> bobInbox = sim.messages(BOB, "inbox");
        assertEquals(1, bobInbox.size(), "one copy per recipient mailbox");
        ObjectNode received = bobInbox.get(0);
        assertEquals("Lunch?", received.path("subject").asText());
        assertEquals("text", received.path("body").path("contentType").asText());
        assertEquals("At noon?", received.path("body").path("content").asText());
        assertEquals(ALICE, received.path("from").path("emailAddress").path("address").asText());
        assertEquals("Alice Adams", received.path("sender").path("emailAddress").path("name").asText());
        assertFalse(received.path("isRead").asBoolean());
        assertEquals("high", received.path("importance").asText());
        assertEquals(0, received.path("bccRecipients").size());
        ObjectNode carolCopy = sim.messages(CAROL, "inbox").get(0);
        assertNotEquals(received.path("id").asText(), carolCopy.path("id").asText());
        assertEquals(received.path("internetMessageId"), carolCopy.path("internetMessageId"));
        assertEquals(received.path("conversationId"), carolCopy.path("conversationId"));
        ObjectNode sent = sim.messages(ALICE, "sentitems").get(0);
        assertTrue(sent.path("isRead").asBoolean());
        assertEquals(CAROL, sent.path("bccRecipients").get(0).path("emailAddress").path("address").asText());
        assertEquals(received.path("internetMessageId"), sent.path("internetMessageId"));
        assertTrue(sim.messages(ALICE, "inbox").isEmpty());
    }

    @Test
    void saveToSentItemsFalseKeepsNoCopy() {
        // when
        TestClient.Response response = sendMail("{\"message\":{\"subject\":\"x\",\"toRecipients\":"
                + "[{\"emailAddress\":{\"address\":\"" + BOB + "\"}}]},\"saveToSentItems\":false}");

        // then
        assertEquals(202, response.status(), response.body());
        assertTrue(sim.messages(ALICE, "sentitems").isEmpty());
        assertEquals(1, sim.messages(BOB, "inbox").size());
    }

    @Test
    void anAddressThatIsNotAnAddressIs400ErrorInvalidRecipients() {
        // when
        TestClient.Response response = sendMail("{\"message\":{\"subject\":\"x\",\"toRecipients\":"
                + "[{\"emailAddress\":{\"address\":\"not an address\"}}]}}");

        // then
        assertGraphError(response, 400, "ErrorInvalidRecipients");
        assertTrue(sim.messages(ALICE, "sentitems").isEmpty());
    }

    @Test
    void noRecipientsIs400ErrorInvalidRecipients() {
        // when
        TestClient.Response response = sendMail("{\"message\":{\"subject\":\"x\"}}");

        // then
        assertGraphError(response, 400, "ErrorInvalidRecipients");
    }

    @Test
    void missingMessageOrBodyIs400() {
        // when
        TestClient.Response noMessage = sendMail("{\"saveToSentItems\":true}");
        TestClient.Response noBody = client.send("POST", "/v1.0/users/" + ALICE + "/sendMail", token, "");
        TestClient.Response notJson = sendMail("{not json");

        // then
        assertGraphError(noMessage, 400, "ErrorInvalidRequest");
        assertEquals(400, noBody.status());
        assertEquals(400, notJson.status());
    }
}

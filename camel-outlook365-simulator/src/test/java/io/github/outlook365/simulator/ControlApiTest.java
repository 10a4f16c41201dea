package io.github.outlook365.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;

/** The HTTP control API under /_simulator/, as another process would use it. */
class ControlApiTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final String ALICE = "alice@contoso.com";

    private Outlook365Simulator sim;
    private TestClient client;

    @BeforeEach
    void given(Outlook365Simulator simulator) {
        sim = simulator;
        client = new TestClient(simulator);
    }

    private TestClient.Response control(String method, String path, String json) {
        return client.send(method, "/_simulator" + path, null, json);
    }

    @Test
    void drivesTheSimulatorOverHttp() {
        // given: an app and a mailbox made over HTTP
        assertEquals(201, control("POST", "/apps", "{\"tenantId\":\"t1\",\"clientId\":\"c1\",\"clientSecret\":\"s1\","
                + "\"roles\":[\"Mail.ReadWrite\"]}").status());
        TestClient.Response mailbox = control("POST", "/mailboxes",
                "{\"tenantId\":\"t1\",\"upn\":\"" + ALICE + "\",\"displayName\":\"Alice Adams\"}");
        assertEquals(201, mailbox.status(), mailbox.body());
        assertEquals(sim.folderId(ALICE, "inbox"), mailbox.json().path("folders").path("inbox").asText());

        // when: a message is delivered and marked read over HTTP
        TestClient.Response delivered = control("POST", "/mailboxes/" + ALICE + "/messages",
                "{\"from\":{\"address\":\"bob@example.com\",\"name\":\"Bob\"},\"to\":[\"" + ALICE + "\"],"
                        + "\"cc\":[\"carol@example.com\"],\"subject\":\"Hello\","
                        + "\"body\":{\"contentType\":\"html\",\"content\":\"<p>Hi</p>\"},\"importance\":\"low\"}");
        String id = delivered.json().path("id").asText();
        TestClient.Response patched = control("PATCH", "/mailboxes/" + ALICE + "/messages/" + id, "{\"isRead\":true}");
        String token = client.accessToken("t1", "c1", "s1");
        TestClient.Response graph = client.get("/v1.0/users/" + ALICE + "/messages/" + id, token);

        // then
        assertEquals(201, delivered.status(), delivered.body());
        assertTrue(id.startsWith("AAMkAG"), id);
        assertEquals(200, patched.status(), patched.body());
        JsonNode message = graph.json();
        assertEquals("Hello", message.path("subject").asText());
        assertEquals("low", message.path("importance").asText());
        assertTrue(message.path("isRead").asBoolean());
        assertEquals("carol@example.com",
                message.path("ccRecipients").get(0).path("emailAddress").path("address").asText());

        // and: control requests are not recorded, Graph and token requests are
        TestClient.Response count = control("GET", "/requests/count?method=GET&path=" + TestClient.enc("/messages/"),
                null);
        assertEquals(1, count.json().path("count").asInt());
        assertEquals(0, sim.countRequests(null, "_simulator"));
        assertEquals(2, sim.requests().size());
    }

    @Test
    void faultsDeltaResetAndResetOverHttp() {
        // given
        control("POST", "/apps", "{\"tenantId\":\"t1\",\"clientId\":\"c1\",\"clientSecret\":\"s1\"}");
        control("POST", "/mailboxes", "{\"tenantId\":\"t1\",\"upn\":\"" + ALICE + "\",\"displayName\":\"Alice\"}");
        String token = client.accessToken("t1", "c1", "s1");
        String deltaLink = client.get("/v1.0/users/" + ALICE + "/mailFolders/inbox/messages/delta", token).json()
                .path("@odata.deltaLink").asText();

        // when
        TestClient.Response fault = control("POST", "/faults", "{\"method\":\"GET\",\"pathRegex\":\"/mailFolders$\","
                + "\"status\":429,\"code\":\"ApplicationThrottled\",\"times\":1,\"retryAfterSeconds\":2}");
        TestClient.Response throttled = client.get("/v1.0/users/" + ALICE + "/mailFolders", token);
        TestClient.Response reset = control("POST", "/mailboxes/" + ALICE + "/deltaReset", null);
        TestClient.Response gone = client.get(deltaLink, token);
        TestClient.Response resetAll = control("POST", "/reset", null);
        TestClient.Response afterReset = client.get("/v1.0/users/" + ALICE + "/mailFolders", token);

        // then
        assertEquals(201, fault.status(), fault.body());
        assertEquals(429, throttled.status());
        assertEquals("2", throttled.header("Retry-After"));
        assertEquals(204, reset.status());
        assertEquals(410, gone.status());
        assertEquals(204, resetAll.status());
        assertEquals(401, afterReset.status(), "reset forgets tokens");
        assertTrue(sim.requests().size() == 1, "reset forgets recorded requests");
    }

    @Test
    void readsEveryFolderAndAMessageWithItsFlagAndCategoriesOverHttp() {
        // given: a nested folder, and a message filed there, flagged and categorised as a route would leave it
        sim.registerApp("t1", "c1", "s1");
        sim.createMailbox("t1", ALICE, "Alice");
        String invoices = sim.createFolder(ALICE, "inbox", "Invoices");
        String id = sim.deliver(ALICE, SimMail.from("bob@example.com", "Bob").subject("Invoice 7"));
        sim.moveMessage(ALICE, id, invoices);
        sim.setFlag(ALICE, id, "flagged");
        String token = client.accessToken("t1", "c1", "s1");
        TestClient.Response categorised = client.send("PATCH", "/v1.0/users/" + ALICE + "/messages/" + id, token,
                "{\"categories\":[\"Finance\"]}");

        // when
        TestClient.Response folders = control("GET", "/mailboxes/" + ALICE + "/folders", null);
        TestClient.Response message = control("GET", "/mailboxes/" + ALICE + "/messages/" + id, null);
        TestClient.Response unknown = control("GET", "/mailboxes/" + ALICE + "/messages/AAMkAGnope", null);

        // then: every folder in Graph's mailFolder shape, the created one below the Inbox
        assertEquals(200, categorised.status(), categorised.body());
        assertEquals(200, folders.status(), folders.body());
        JsonNode value = folders.json().path("value");
        assertEquals(7, value.size(), value.toString());
        JsonNode created = value.get(6);
        assertEquals(invoices, created.path("id").asText());
        assertEquals("Invoices", created.path("displayName").asText());
        assertEquals(sim.folderId(ALICE, "inbox"), created.path("parentFolderId").asText());
        assertEquals(1, created.path("totalItemCount").asInt());
        assertEquals(1, created.path("unreadItemCount").asInt());
        assertEquals(sim.folders(ALICE).get(6), created);
        // and the message as Graph answers it: where it is, its flag and categories
        assertEquals(200, message.status(), message.body());
        assertEquals(invoices, message.json().path("parentFolderId").asText());
        assertEquals("flagged", message.json().path("flag").path("flagStatus").asText());
        assertEquals("Finance", message.json().path("categories").get(0).asText());
        assertEquals(404, unknown.status());
    }

    @Test
    void badControlRequestsAre4xx() {
        // when
        TestClient.Response missing = control("POST", "/apps", "{\"tenantId\":\"t1\"}");
        TestClient.Response unknownMailbox = control("POST", "/mailboxes/nobody@x.com/deltaReset", null);
        TestClient.Response unknownResource = control("GET", "/nope", null);

        // then
        assertEquals(400, missing.status());
        assertEquals(404, unknownMailbox.status());
        assertEquals(404, unknownResource.status());
    }

    /** A fault request the simulator cannot take is the caller's mistake: 400, naming the field, and no fault set. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"status":503,"mode":"SOMETIMES"}                         | 'mode'
            {"status":503,"mode":"instead"}                           | 'mode'
            {"status":503,"mode":5}                                   | 'mode'
            {"status":"503"}                                          | 'status'
            {"status":200}                                            | 'status'
            {"status":503,"times":"twice"}                            | 'times'
            {"status":503,"times":0}                                  | 'times'
            {"status":503,"retryAfterSeconds":"soon"}                 | 'retryAfterSeconds'
            {"status":503,"retryAfterSeconds":-1}                     | 'retryAfterSeconds'
            {"status":200,"mode":"STALLED_BODY","stallMillis":"long"} | 'stallMillis'
            {"status":200,"mode":"STALLED_BODY"}                      | 'stallMillis'
            {"status":503,"pathRegex":"(unclosed"}                    | 'pathRegex'
            {"status":503,"method":["GET"]}                           | 'method'
            {"status":503,"code":{"a":1}}                             | 'code'
            {"status":503,                                            | JSON
            [{"status":503}]                                          | JSON object
            """)
    void aBadFaultIsAnsweredBadRequestNamingTheField(String json, String named) {
        // when
        TestClient.Response answer = control("POST", "/faults", json);

        // then
        assertEquals(400, answer.status(), answer.body());
        assertEquals("BadRequest", answer.json().path("error").path("code").asText(), answer.body());
        String message = answer.json().path("error").path("message").asText();
        assertTrue(message.contains(named), message);
        // and: no fault was set (one matching every path would answer this instead of Graph's 401)
        assertEquals(401, client.get("/v1.0/users/" + ALICE, null).status());
    }
}

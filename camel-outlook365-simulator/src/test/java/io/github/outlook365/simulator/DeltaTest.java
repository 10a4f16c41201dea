package io.github.outlook365.simulator;

import static io.github.outlook365.simulator.GraphAccessTest.assertGraphError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

/** GET /users/{u}/mailFolders/{f}/messages/delta. */
class DeltaTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final String TENANT = "tenant-delta";
    static final String ALICE = "alice@contoso.com";
    static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");

    private Outlook365Simulator sim;
    private TestClient client;
    private String token;

    @BeforeEach
    void given(Outlook365Simulator simulator) {
        sim = simulator;
        client = new TestClient(simulator);
        sim.registerApp(TENANT, "app", "secret", Set.of("Mail.ReadWrite"));
        sim.createMailbox(TENANT, ALICE, "Alice Adams");
        token = client.accessToken(TENANT, "app", "secret");
    }

    /** One delta round: every page until the deltaLink. */
    record Round(List<JsonNode> entries, List<TestClient.Response> pages, String deltaLink) {
        List<String> ids() {
            List<String> ids = new ArrayList<>();
            entries.forEach(e -> ids.add(e.path("id").asText()));
            return ids;
        }
    }

    private Round round(String url, Integer pageSize) {
        List<JsonNode> entries = new ArrayList<>();
        List<TestClient.Response> pages = new ArrayList<>();
        String next = url;
        while (true) {
            TestClient.Response page = pageSize == null ? client.get(next, token)
                    : client.get(next, token, "Prefer", "odata.maxpagesize=" + pageSize);
            assertEquals(200, page.status(), page.body());
            pages.add(page);
            page.json().path("value").forEach(entries::add);
            JsonNode json = page.json();
            if (json.has("@odata.deltaLink")) {
                assertFalse(json.has("@odata.nextLink"));
                return new Round(entries, pages, json.path("@odata.deltaLink").asText());
            }
            next = json.path("@odata.nextLink").asText();
            assertTrue(next.contains("$skiptoken="), next);
        }
    }

    private String deliver(String subject, Instant received) {
        return sim.deliver(ALICE, SimMail.from("bob@example.com", "Bob").subject(subject).textBody("body of " + subject)
                .receivedAt(received));
    }

    private String inboxDelta() {
        return "/v1.0/users/" + ALICE + "/mailFolders/inbox/messages/delta";
    }

    @Test
    void initialRoundPagesEveryMessageAndRemembersSelect() {
        // given
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(deliver("m" + i, T0.plusSeconds(i)));
        }

        // when
        Round round = round(inboxDelta() + "?$select=subject,isRead", 2);

        // then
        assertEquals(3, round.pages().size());
        assertEquals(Set.copyOf(ids), Set.copyOf(round.ids()));
        assertEquals(5, round.entries().size());
        TestClient.Response first = round.pages().get(0);
        assertEquals("odata.maxpagesize=2", first.header("Preference-Applied"));
        assertEquals(sim.baseUrl() + "/v1.0/$metadata#Collection(message)",
                first.json().path("@odata.context").asText());
        String nextLink = first.json().path("@odata.nextLink").asText();
        assertTrue(nextLink.startsWith(sim.baseUrl() + "/v1.0/users/" + ALICE + "/mailFolders/"
                + sim.folderId(ALICE, "inbox") + "/messages/delta?$skiptoken="), nextLink);
        assertFalse(nextLink.contains("$select"), "links carry only the token");
        assertTrue(round.deltaLink().contains("/messages/delta?$deltatoken="), round.deltaLink());
        for (JsonNode entry : round.entries()) {
            assertEquals(List.of("@odata.type", "@odata.etag", "id", "subject", "isRead"),
                    MessagesTest.fieldNames(entry));
            assertEquals("#microsoft.graph.message", entry.path("@odata.type").asText());
        }
    }

    @Test
    void nextRoundReturnsOnlyNewAndUpdatedMessagesAsWholeItems() {
        // given
        String kept = deliver("kept", T0);
        String updated = deliver("updated", T0.plusSeconds(1));
        Round initial = round(inboxDelta(), null);
        assertEquals(2, initial.entries().size());
        sim.markRead(ALICE, updated, true);
        String added = deliver("added", T0.plusSeconds(2));

        // when
        Round next = round(initial.deltaLink(), null);
        Round quiet = round(next.deltaLink(), null);

        // then
        assertEquals(Set.of(updated, added), Set.copyOf(next.ids()));
        JsonNode update = next.entries().stream().filter(e -> e.path("id").asText().equals(updated)).findFirst()
                .orElseThrow();
        assertTrue(update.path("isRead").asBoolean());
        assertEquals("updated", update.path("subject").asText(), "an update re-appears as the whole item");
        assertFalse(next.ids().contains(kept));
        assertTrue(quiet.entries().isEmpty());
    }

    @Test
    void messagesThatLeaveTheFolderAreReportedRemoved() {
        // given
        String moved = deliver("moved", T0);
        String deleted = deliver("deleted", T0.plusSeconds(1));
        Round initial = round(inboxDelta(), null);
        sim.moveMessage(ALICE, moved, "archive");
        sim.deleteMessage(ALICE, deleted);

        // when
        Round next = round(initial.deltaLink(), null);
        Round archive = round("/v1.0/users/" + ALICE + "/mailFolders/archive/messages/delta", null);

        // then
        assertEquals(Set.of(moved, deleted), Set.copyOf(next.ids()));
        for (JsonNode entry : next.entries()) {
            assertEquals("deleted", entry.path("@removed").path("reason").asText(), entry.toString());
            assertEquals("#microsoft.graph.message", entry.path("@odata.type").asText());
            assertFalse(entry.has("subject"));
        }
        assertEquals(List.of(moved), archive.ids());
    }

    @Test
    void filterOnReceivedDateTimeIsRememberedAcrossRounds() {
        // given
        deliver("old", T0.minusSeconds(3600));
        String recent = deliver("recent", T0.plusSeconds(10));
        String filter = TestClient.enc("receivedDateTime ge " + T0);

        // when
        Round initial = round(inboxDelta() + "?$filter=" + filter + "&$orderby=receivedDateTime%20desc", null);
        deliver("old again", T0.minusSeconds(7200));
        String newer = deliver("newer", T0.plusSeconds(20));
        Round next = round(initial.deltaLink(), null);

        // then
        assertEquals(List.of(recent), initial.ids());
        assertEquals(List.of(newer), next.ids());
    }

    @Test
    void aFilteredFirstRoundReturnsAtMostGraphsLimitAndTheRestNeverComes() {
        // given a folder with more matching messages than a filtered delta returns (5,000 in Graph; 3 here)
        sim.setFilteredDeltaLimit(3);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(deliver("m" + i, T0.plusSeconds(i)));
        }

        // when a filtered round runs, then the next round
        Round initial = round(inboxDelta() + "?$filter=" + TestClient.enc("receivedDateTime ge " + T0), 2);
        Round next = round(initial.deltaLink(), 2);
        Round unfiltered = round(inboxDelta(), 2);

        // then the first round stops at the limit and the unchanged rest never comes; without $filter all of it does
        assertEquals(ids.subList(0, 3), initial.ids());
        assertEquals(List.of(), next.ids());
        assertEquals(ids, unfiltered.ids());
    }

    @Test
    void unsupportedFilterIs400() {
        // when
        TestClient.Response response = client.get(inboxDelta() + "?$filter=" + TestClient.enc("isRead eq false"), token);

        // then
        assertGraphError(response, 400, "ErrorInvalidUrlQueryFilter");
    }

    @Test
    void aChangeDuringPagingShowsUpInTheNextRound() {
        // given
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(deliver("m" + i, T0.plusSeconds(i)));
        }
        TestClient.Response firstPage = client.get(inboxDelta(), token, "Prefer", "odata.maxpagesize=2");
        String late = deliver("late", T0.plusSeconds(100));
        sim.markRead(ALICE, ids.get(0), true);

        // when: finish the round, then the next one
        Round rest = round(firstPage.json().path("@odata.nextLink").asText(), 2);
        Round next = round(rest.deltaLink(), null);

        // then
        assertEquals(2, rest.entries().size(), "the round is a snapshot taken at its first page");
        assertFalse(rest.ids().contains(late));
        assertEquals(Set.of(late, ids.get(0)), Set.copyOf(next.ids()));
    }

    @Test
    void forceDeltaResetMakesOldTokensGone() {
        // given
        deliver("m0", T0);
        deliver("m1", T0.plusSeconds(1));
        TestClient.Response firstPage = client.get(inboxDelta() + "?$select=subject", token,
                "Prefer", "odata.maxpagesize=1");
        String skipLink = firstPage.json().path("@odata.nextLink").asText();
        Round round = round(skipLink, 1);
        sim.forceDeltaReset(ALICE);

        // when
        TestClient.Response delta = client.get(round.deltaLink(), token);
        TestClient.Response skip = client.get(skipLink, token);
        Round fresh = round(inboxDelta(), null);

        // then
        assertGraphError(delta, 410, "syncStateNotFound");
        assertGraphError(skip, 410, "syncStateNotFound");
        String location = delta.header("Location");
        assertNotNull(location);
        assertTrue(location.contains("/messages/delta") && !location.contains("$deltatoken"), location);
        assertEquals(2, fresh.entries().size());
    }

    @Test
    void garbledTokenIs400AndUnknownTokenIsGone() {
        // when
        TestClient.Response garbled = client.get(inboxDelta() + "?$deltatoken=not-a-token!", token);
        TestClient.Response unknown = client.get(inboxDelta() + "?$deltatoken=" + "A".repeat(32), token);

        // then
        assertGraphError(garbled, 400, "syncStateInvalid");
        assertGraphError(unknown, 410, "syncStateNotFound");
    }

    @Test
    void aSkipTokenCanBeRetried() {
        // given
        for (int i = 0; i < 3; i++) {
            deliver("m" + i, T0.plusSeconds(i));
        }
        String next = client.get(inboxDelta(), token, "Prefer", "odata.maxpagesize=2").json()
                .path("@odata.nextLink").asText();

        // when
        TestClient.Response once = client.get(next, token);
        TestClient.Response again = client.get(next, token);

        // then
        assertEquals(once.json().path("value"), again.json().path("value"));
        assertNull(once.header("Preference-Applied"));
    }
}

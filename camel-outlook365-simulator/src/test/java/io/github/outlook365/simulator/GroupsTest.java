package io.github.outlook365.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Groups and their members as Graph documents them: a group found by {@code $filter=mail eq '...'}, its users through
 * {@code transitiveMembers/microsoft.graph.user} in pages linked by @odata.nextLink, GroupMember.Read.All required.
 */
class GroupsTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    private static final String TENANT = "contoso.com";
    private static final String DL = "team@contoso.com";

    private Outlook365Simulator sim;
    private TestClient client;

    @BeforeEach
    void given(Outlook365Simulator simulator) {
        sim = simulator;
        client = new TestClient(simulator);
        sim.registerApp(TENANT, "app", "secret");
        sim.registerApp(TENANT, "mail-only", "secret", Set.of("Mail.Read"));
        for (int i = 0; i < 5; i++) {
            sim.createMailbox(TENANT, "u" + i + "@contoso.com", "User " + i);
        }
    }

    @Test
    void aDistributionListIsFoundByMailAndItsMembersArePaged() {
        // given a distribution list of five users, made over the control API
        TestClient.Response created = client.send("POST", "/_simulator/groups", null,
                "{\"tenantId\":\"" + TENANT + "\",\"mail\":\"" + DL + "\",\"displayName\":\"Team\"}");
        assertEquals(201, created.status(), created.body());
        for (int i = 0; i < 5; i++) {
            assertEquals(204, client.send("POST", "/_simulator/groups/" + DL + "/members", null,
                    "{\"upn\":\"u" + i + "@contoso.com\"}").status());
        }
        assertEquals(204, client.send("DELETE", "/_simulator/groups/" + DL + "/members/u4@contoso.com", null, null)
                .status());
        String token = client.accessToken(TENANT, "app", "secret");

        // when the app looks the group up by its mail address
        TestClient.Response found = client.get("/v1.0/groups?$filter=" + TestClient.enc("mail eq '" + DL + "'"), token);
        assertEquals(200, found.status(), found.body());
        JsonNode group = found.json().path("value").get(0);
        assertEquals(DL, group.path("mail").asText());
        assertTrue(group.path("mailEnabled").asBoolean());
        assertFalse(group.path("securityEnabled").asBoolean());

        // and reads its users two at a time
        List<String> members = new ArrayList<>();
        String link = "/v1.0/groups/" + group.path("id").asText()
                      + "/transitiveMembers/microsoft.graph.user?$select=mail,userPrincipalName&$top=2";
        int pages = 0;
        while (link != null) {
            TestClient.Response page = client.get(link, token);
            assertEquals(200, page.status(), page.body());
            page.json().path("value").forEach(u -> members.add(u.path("mail").asText()));
            link = page.json().hasNonNull("@odata.nextLink") ? page.json().path("@odata.nextLink").asText() : null;
            pages++;
        }

        // then it gets the four members in two pages
        assertEquals(List.of("u0@contoso.com", "u1@contoso.com", "u2@contoso.com", "u3@contoso.com"), members);
        assertEquals(2, pages);
    }

    @Test
    void aMemberWhoseMailboxIsNotThereYetIsListedWithoutMail() {
        // given a group of u0 and of a user whose mailbox Exchange Online has not provisioned yet
        String id = sim.createGroup(TENANT, DL, "Team", true);
        sim.addGroupMember(id, "u0@contoso.com");
        sim.addGroupMember(id, "new.hire@contoso.com");
        String token = client.accessToken(TENANT, "app", "secret");

        // when the app reads the members
        TestClient.Response page = client.get("/v1.0/groups/" + id
                                              + "/transitiveMembers/microsoft.graph.user?$select=mail,userPrincipalName",
                token);

        // then both are listed, the new user by its userPrincipalName, with no mail address
        assertEquals(200, page.status(), page.body());
        JsonNode users = page.json().path("value");
        assertEquals(2, users.size(), page.body());
        assertEquals("u0@contoso.com", users.get(0).path("mail").asText());
        assertTrue(users.get(1).path("mail").isNull(), page.body());
        assertEquals("new.hire@contoso.com", users.get(1).path("userPrincipalName").asText());
        // and its mailbox does not answer until it exists
        assertEquals(404, client.get("/v1.0/users/new.hire@contoso.com/mailFolders/inbox", token).status());
        sim.createMailbox(TENANT, "new.hire@contoso.com", "New Hire");
        assertEquals(200, client.get("/v1.0/users/new.hire@contoso.com/mailFolders/inbox", token).status());
    }

    @Test
    void anAppWithoutGroupMemberReadAllIsDenied() {
        String id = sim.createGroup(TENANT, DL, "Team", true);
        sim.addGroupMember(id, "u0@contoso.com");
        String token = client.accessToken(TENANT, "mail-only", "secret");

        TestClient.Response denied = client.get("/v1.0/groups/" + id + "/transitiveMembers/microsoft.graph.user", token);

        assertEquals(403, denied.status());
        assertEquals("Authorization_RequestDenied", denied.json().path("error").path("code").asText());
    }
}

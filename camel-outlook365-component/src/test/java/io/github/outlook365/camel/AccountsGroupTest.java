package io.github.outlook365.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.SimFault;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One route on the mailboxes of a group's members (accountsGroup): each member fires with its mailbox in the header,
 * a member added later starts at its own baseline, a removed member stops and resumes when added again, and the
 * permission to read the members is checked when the route starts.
 */
class AccountsGroupTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    private static final String M0 = "m0@contoso.onmicrosoft.com";
    private static final String M1 = "m1@contoso.onmicrosoft.com";
    private static final String M2 = "m2@contoso.onmicrosoft.com";
    private static final String TEAM = "helpdesk-team@contoso.onmicrosoft.com";

    @TempDir
    Path work;

    private CamelContext context;
    private final Map<String, AtomicInteger> fired = new ConcurrentHashMap<>();
    private final Map<String, String> mailboxOf = new ConcurrentHashMap<>();

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.stop();
        }
    }

    private static SimMail mail(String to, String subject) {
        return SimMail.from("carol@fabrikam.example", "Carol").to(to).subject(subject).textBody("hi");
    }

    private SimulatedTenant tenant(Outlook365Simulator sim) throws Exception {
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        for (String m : List.of(M0, M1, M2)) {
            sim.createMailbox(SimulatedTenant.TENANT, m, m);
        }
        return tenant;
    }

    private RouteBuilder route(String group) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=200&accountsGroupRefresh=1000&accountsGroup=" + group)
                        .routeId("team")
                        .process(e -> {
                            String subject = e.getMessage().getHeader(Outlook365Constants.SUBJECT, String.class);
                            fired.computeIfAbsent(subject, k -> new AtomicInteger()).incrementAndGet();
                            mailboxOf.put(subject, e.getMessage().getHeader(Outlook365Constants.ACCOUNT, String.class));
                        });
            }
        };
    }

    private MailboxesConsumer consumer() {
        return (MailboxesConsumer) context.getRoute("team").getConsumer();
    }

    @Test
    void theMembersOfAGroupGivenByIdFireEachWithItsMailbox() throws Exception {
        // given a Microsoft 365 group of m0 and m1 (m2 is not a member), pages of one member to follow nextLink
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = tenant(sim);
        String id = sim.createGroup(SimulatedTenant.TENANT, TEAM, "Helpdesk team", true);
        sim.addGroupMember(id, M0);
        sim.addGroupMember(id, M1);
        context = tenant.context(route(id));
        context.start();
        assertEquals(List.of(M0, M1), consumer().watched());

        // when a mail arrives in each mailbox
        sim.deliver(M0, mail(M0, "to 0"));
        sim.deliver(M1, mail(M1, "to 1"));
        sim.deliver(M2, mail(M2, "to 2"));

        // then the members' fire once each, naming their mailbox; the non-member's does not
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.size() >= 2);
        Thread.sleep(1_500);
        assertEquals(Map.of("to 0", M0, "to 1", M1), mailboxOf);
        assertTrue(fired.values().stream().allMatch(n -> n.get() == 1), fired.toString());
        // and the members were read with the documented query
        assertTrue(sim.countRequests("GET", "^/v1.0/groups/" + id + "/transitiveMembers/microsoft.graph.user$") > 0);
    }

    @Test
    void aDistributionListByMailAddressFollowsItsMembersAddedAndRemoved() throws Exception {
        // given a distribution list of m0, given by its mail address
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = tenant(sim);
        sim.createGroup(SimulatedTenant.TENANT, TEAM, "Helpdesk team", false);
        sim.addGroupMember(TEAM, M0);
        context = tenant.context(route(TEAM));
        context.start();
        assertEquals(List.of(M0), consumer().watched());

        // when m1, whose mailbox already holds a mail, joins the list, and a mail arrives for it afterwards
        sim.deliver(M1, mail(M1, "before m1 joined"));
        sim.addGroupMember(TEAM, M1);
        await().atMost(Duration.ofSeconds(60)).until(() -> consumer().watched().contains(M1));
        sim.deliver(M1, mail(M1, "after m1 joined"));

        // then only the mail after it joined fires, once, naming m1
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.containsKey("after m1 joined"));
        assertEquals(M1, mailboxOf.get("after m1 joined"));

        // when m0 leaves the list and a mail arrives for it
        sim.removeGroupMember(TEAM, M0);
        await().atMost(Duration.ofSeconds(60)).until(() -> !consumer().watched().contains(M0));
        sim.deliver(M0, mail(M0, "while m0 was out"));
        sim.deliver(M1, mail(M1, "m1 still watched"));

        // then m0 no longer fires, m1 still does
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.containsKey("m1 still watched"));
        Thread.sleep(2_000);
        assertNull(fired.get("while m0 was out"), fired.toString());

        // when m0 is added again, then its trigger resumes where it was (its state kept): the mail fires once
        sim.addGroupMember(TEAM, M0);
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.containsKey("while m0 was out"));
        Thread.sleep(1_500);
        assertNull(fired.get("before m1 joined"), fired.toString());
        assertTrue(fired.values().stream().allMatch(n -> n.get() == 1), fired.toString());
    }

    @Test
    void aMemberLeftOutAtTheStartIsWatchedOnceItsMailboxExists() throws Exception {
        // given a group of m0 and of a new user whose mailbox Exchange Online has not provisioned yet
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = tenant(sim);
        String newHire = "new.hire@contoso.onmicrosoft.com";
        String id = sim.createGroup(SimulatedTenant.TENANT, TEAM, "Helpdesk team", true);
        sim.addGroupMember(id, M0);
        sim.addGroupMember(id, newHire);
        context = tenant.context(route(id));
        context.start();

        // then the route starts on m0 and leaves the new user out, saying why
        assertEquals(List.of(M0), consumer().watched());
        assertTrue(consumer().leftOut().containsKey(newHire), consumer().leftOut().toString());

        // when the mailbox appears, then a later refresh starts its trigger, and a mail to it fires once, naming it
        long reads = sim.countRequests("GET", "^/v1.0/groups/" + id + "/transitiveMembers");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> sim.countRequests("GET", "^/v1.0/groups/" + id + "/transitiveMembers") > reads + 1);
        assertTrue(consumer().leftOut().containsKey(newHire), "still no mailbox: still left out");
        sim.createMailbox(SimulatedTenant.TENANT, newHire, "New Hire");
        await().atMost(Duration.ofSeconds(60)).until(() -> consumer().watched().contains(newHire));
        assertTrue(consumer().leftOut().isEmpty(), consumer().leftOut().toString());
        sim.deliver(newHire, mail(newHire, "welcome"));
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.containsKey("welcome"));
        assertEquals(newHire, mailboxOf.get("welcome"));
        // and the refreshes after it go on
        long after = sim.countRequests("GET", "^/v1.0/groups/" + id + "/transitiveMembers");
        await().atMost(Duration.ofSeconds(60))
                .until(() -> sim.countRequests("GET", "^/v1.0/groups/" + id + "/transitiveMembers") > after);
        assertEquals(List.of(M0, newHire), consumer().watched());
        assertEquals(1, fired.get("welcome").get());
    }

    @Test
    void aMemberOutForLongIsReleasedAndStartsAgainFromItsStoredState() throws Exception {
        // given a group of m0 and m1, whose removed members' triggers are released at the next refresh
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = tenant(sim);
        String id = sim.createGroup(SimulatedTenant.TENANT, TEAM, "Helpdesk team", true);
        sim.addGroupMember(id, M0);
        sim.addGroupMember(id, M1);
        context = tenant.context(route(id));
        context.start();
        consumer().setRemovedKept(Duration.ZERO);
        sim.deliver(M0, mail(M0, "before m0 left"));
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.containsKey("before m0 left"));

        // when m0 leaves the group, and stays out past the time a suspended trigger is kept
        sim.removeGroupMember(id, M0);
        await().atMost(Duration.ofSeconds(60)).until(() -> !consumer().watched().contains(M0));
        await().atMost(Duration.ofSeconds(60)).until(() -> consumer().suspended().isEmpty());
        sim.deliver(M0, mail(M0, "while m0 was out"));

        // and is added again
        sim.addGroupMember(id, M0);
        await().atMost(Duration.ofSeconds(60)).until(() -> consumer().watched().contains(M0));

        // then its new trigger went on from the cursor its state kept: the mail of the time out fires, once, and the
        // mail from before does not fire again
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.containsKey("while m0 was out"));
        sim.deliver(M1, mail(M1, "m1 after"));
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.containsKey("m1 after"));
        assertEquals(Map.of("before m0 left", 1, "while m0 was out", 1, "m1 after", 1),
                fired.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
                        e -> e.getValue().get())));
    }

    @Test
    void aFailingRefreshKeepsTheMembersItWatches() throws Exception {
        // given a group of m0, watched
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = tenant(sim);
        String id = sim.createGroup(SimulatedTenant.TENANT, TEAM, "Helpdesk team", true);
        sim.addGroupMember(id, M0);
        context = tenant.context(route(id));
        context.start();

        // when reading the members fails for a while
        sim.injectFault(SimFault.status("^/v1.0/groups/.*", 500, "generalException", 1000));
        long before = sim.countRequests("GET", "^/v1.0/groups/.*");
        await().atMost(Duration.ofSeconds(60)).until(() -> sim.countRequests("GET", "^/v1.0/groups/.*") > before + 1);

        // then m0 is still watched and fires
        assertEquals(List.of(M0), consumer().watched());
        sim.deliver(M0, mail(M0, "during the failures"));
        await().atMost(Duration.ofSeconds(60)).until(() -> fired.containsKey("during the failures"));
    }

    @Test
    void withoutGroupMemberReadAllTheRouteDoesNotStartAndSaysWhatToGrant() throws Exception {
        // given an app granted Mail.Read only
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = tenant(sim);
        sim.registerApp(SimulatedTenant.TENANT, "limited-app", "limited~Secret", Set.of("Mail.Read"));
        String id = sim.createGroup(SimulatedTenant.TENANT, TEAM, "Helpdesk team", true);
        sim.addGroupMember(id, M0);
        context = tenant.context(route(id), c -> {
            c.setClientId("limited-app");
            c.setClientSecret("limited~Secret");
        });

        // when the route starts, then it fails naming the permission
        Exception e = assertThrows(Exception.class, context::start);
        String causes = causes(e);
        assertTrue(causes.contains("GroupMember.Read.All") && causes.contains("accountsGroup"), causes);
        assertTrue(!causes.contains("limited~Secret"), causes);
    }

    @Test
    void accountsGroupWithAccountsIsRefusedNamingBoth() throws Exception {
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = tenant(sim);
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?accounts=" + M0 + "&accountsGroup=" + TEAM).routeId("team").log("x");
            }
        });
        Exception e = assertThrows(Exception.class, context::start);
        String causes = causes(e);
        assertTrue(causes.contains("accountsGroup") && causes.contains("accounts"), causes);
    }

    static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }
}

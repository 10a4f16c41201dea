package io.github.outlook365.camel;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.auth.AuthMode;
import io.github.outlook365.camel.connection.Outlook365Connection;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.RecordedRequest;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.github.outlook365.camel.SimulatedTenant.ADA;
import static io.github.outlook365.camel.SimulatedTenant.BOB;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An action that sets no account acts on the mailbox each exchange names (header CamelOutlook365Account, which the
 * triggers set) in the app-only modes: a route on many mailboxes marks read and replies in the mailbox each mail came
 * from. An account set on the action (or the component) always wins; a delegated connection ignores the header; a
 * header that names no mailbox fails the exchange saying so; and the header cannot be given over HTTP.
 */
class ActionMailboxFromHeaderTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    private static final String M0 = "m0@contoso.onmicrosoft.com";
    private static final String M1 = "m1@contoso.onmicrosoft.com";
    private static final String NOTIFY = "notifications@contoso.onmicrosoft.com";
    private static final String CAROL = "carol@fabrikam.example";

    @TempDir
    Path work;

    private Outlook365Simulator sim;
    private SimulatedTenant tenant;
    private CamelContext context;

    @BeforeEach
    void given() throws Exception {
        sim = SIMULATOR.simulator();
        tenant = new SimulatedTenant(sim, work);
        for (String m : List.of(M0, M1, NOTIFY)) {
            sim.createMailbox(SimulatedTenant.TENANT, m, m);
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (context != null) {
            context.stop();
        }
    }

    /** A started context of the app-only tenant whose component sets no account, with these routes. */
    private CamelContext start(RouteBuilder routes) throws Exception {
        return start(routes, c -> c.setAccount(null));
    }

    private CamelContext start(RouteBuilder routes, Consumer<Outlook365Configuration> configuration) throws Exception {
        context = tenant.context(routes, configuration);
        context.start();
        return context;
    }

    private static SimMail mail(String to, String subject) {
        return SimMail.from(CAROL, "Carol").to(to).subject(subject).textBody("hi");
    }

    private static List<String> subjects(List<ObjectNode> messages) {
        return messages.stream().map(m -> m.get("subject").asText()).toList();
    }

    private static Exchange call(ProducerTemplate template, String uri, Map<String, Object> headers) {
        return template.request(uri, e -> e.getMessage().setHeaders(new HashMap<>(headers)));
    }

    private List<RecordedRequest> requests(String method, String pathRegex) {
        return sim.requests().stream()
                .filter(r -> r.method().equals(method) && java.util.regex.Pattern.compile(pathRegex).matcher(r.path()).find())
                .toList();
    }

    @Test
    void aRouteOnManyMailboxesMarksReadAndRepliesInTheMailboxEachMailCameFrom() throws Exception {
        // given a route on two mailboxes whose actions set no account
        Set<String> done = ConcurrentHashMap.newKeySet();
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=200&initialDelay=0&accounts=" + M0 + "," + M1).routeId("desk")
                        .to("outlook365:mail/markRead")
                        .to("outlook365:mail/reply?comment=Thanks, received.")
                        .process(e -> done.add(e.getMessage().getHeader(Outlook365Constants.ACCOUNT, String.class)));
            }
        });

        // when a mail arrives in each mailbox
        String id0 = sim.deliver(M0, mail(M0, "for m0"));
        String id1 = sim.deliver(M1, mail(M1, "for m1"));
        await().atMost(Duration.ofSeconds(60)).until(() -> done.size() == 2);

        // then each mail is read, in its own mailbox
        assertTrue(sim.message(M0, id0).get("isRead").asBoolean());
        assertTrue(sim.message(M1, id1).get("isRead").asBoolean());
        assertEquals(1, requests("PATCH", "^/v1.0/users/" + M0 + "/messages/" + id0 + "$").size());
        assertEquals(1, requests("PATCH", "^/v1.0/users/" + M1 + "/messages/" + id1 + "$").size());
        // and each was answered from its own mailbox
        assertEquals(1, requests("POST", "^/v1.0/users/" + M0 + "/messages/" + id0 + "/reply$").size());
        assertEquals(1, requests("POST", "^/v1.0/users/" + M1 + "/messages/" + id1 + "/reply$").size());
        assertEquals(List.of("RE: for m0"), subjects(sim.messages(M0, "sentitems")));
        assertEquals(List.of("RE: for m1"), subjects(sim.messages(M1, "sentitems")));
        assertEquals(List.of(), subjects(sim.messages(ADA, "sentitems")));
        // on the app's one token
        assertEquals(1, sim.tokenRequests());
    }

    @Test
    void theMailboxesOfExchangesCostNoConnectionThatStays() throws Exception {
        // given twenty mailboxes with a mail each, and an action without account
        List<String> mailboxes = new ArrayList<>();
        Map<String, String> ids = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            String m = String.format("x%02d@contoso.onmicrosoft.com", i);
            sim.createMailbox(SimulatedTenant.TENANT, m, m);
            mailboxes.add(m);
            ids.put(m, sim.deliver(m, mail(m, "mail " + i)));
        }
        start(null);
        ProducerTemplate template = context.createProducerTemplate();
        Outlook365Component component = context.getComponent("outlook365", Outlook365Component.class);
        call(template, "outlook365:mail/markRead", Map.of(Outlook365Constants.ACCOUNT, M0,
                Outlook365Constants.MESSAGE_ID, sim.deliver(M0, mail(M0, "first"))));
        int connections = component.connections().size();

        // when an exchange for each mailbox marks its mail read
        for (String m : mailboxes) {
            Exchange done = call(template, "outlook365:mail/markRead", Map.of(Outlook365Constants.ACCOUNT, m,
                    Outlook365Constants.MESSAGE_ID, ids.get(m)));
            assertNull(done.getException());
        }

        // then every mail is read in its mailbox
        for (String m : mailboxes) {
            assertTrue(sim.message(m, ids.get(m)).get("isRead").asBoolean(), m);
        }
        // and no connection, and no in-flight budget, stayed behind for the mailboxes the exchanges named
        assertEquals(connections, component.connections().size());
        Outlook365Connection connection = component.connections().iterator().next();
        assertEquals(0, connection.graph().mailboxesInFlight());
        assertEquals(1, sim.tokenRequests());
    }

    @Test
    void theMailboxOfAnExchangeKeepsItsInFlightBudget() throws Exception {
        // given an action without account and Graph answering slowly
        start(null);
        ProducerTemplate template = context.createProducerTemplate();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(sim.deliver(M0, mail(M0, "slow " + i)));
        }
        sim.clearRequests();
        sim.setLatency("^/v1.0/users/" + M0 + "/messages/", Duration.ofMillis(300));

        // when twelve exchanges mark mails of one mailbox read at once
        List<CompletableFuture<Exchange>> all = new ArrayList<>();
        for (String id : ids) {
            all.add(template.asyncSend("outlook365:mail/markRead", e -> e.getMessage().setHeaders(new HashMap<>(Map.of(
                    Outlook365Constants.ACCOUNT, M0, Outlook365Constants.MESSAGE_ID, id)))));
        }
        for (CompletableFuture<Exchange> f : all) {
            assertNull(f.get().getException());
        }

        // then Graph never saw more than the mailbox's budget (4) of them at once
        int most = sim.maxConcurrentRequests(M0);
        assertTrue(most >= 1 && most <= 4, "at most 4 in flight, saw " + most);
    }

    @Test
    void aFolderPathIsResolvedInTheMailboxOfEachExchange() throws Exception {
        // given a folder Inbox/Done in two mailboxes (each with its own id), and a mail in each
        start(null);
        String done0 = sim.createFolder(M0, "inbox", "Done");
        String done1 = sim.createFolder(M1, "inbox", "Done");
        String id0 = sim.deliver(M0, mail(M0, "move m0"));
        String id1 = sim.deliver(M1, mail(M1, "move m1"));
        ProducerTemplate template = context.createProducerTemplate();

        // when one mail/move endpoint moves each by the folder's path
        for (Map.Entry<String, String> m : Map.of(M0, id0, M1, id1).entrySet()) {
            Exchange moved = call(template, "outlook365:mail/move?destinationFolder=Inbox/Done",
                    Map.of(Outlook365Constants.ACCOUNT, m.getKey(), Outlook365Constants.MESSAGE_ID, m.getValue()));
            assertNull(moved.getException());
        }

        // then each landed in its own mailbox's folder: the path was looked up in each mailbox, not reused across them
        assertEquals(List.of("move m0"), subjects(sim.messages(M0, done0)));
        assertEquals(List.of("move m1"), subjects(sim.messages(M1, done1)));
    }

    @Test
    void aCalendarActionFollowsTheHeaderToo() throws Exception {
        start(null);

        Exchange listed = call(context.createProducerTemplate(), "outlook365:calendar/listCalendars",
                Map.of(Outlook365Constants.ACCOUNT, M1));

        assertNull(listed.getException());
        assertEquals(1, requests("GET", "^/v1.0/users/" + M1 + "/calendars").size());
    }

    @Test
    void anAccountOnTheActionWinsOverTheHeader() throws Exception {
        // given a route on two mailboxes that sends its alerts from a notifications mailbox
        Set<String> done = ConcurrentHashMap.newKeySet();
        start(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=200&initialDelay=0&accounts=" + M0 + "," + M1).routeId("alerts")
                        .setBody(simple("New mail: ${header.CamelOutlook365Subject}"))
                        .to("outlook365:mail/send?account=" + NOTIFY + "&to=" + BOB + "&subject=Alert")
                        .process(e -> done.add(e.getMessage().getHeader(Outlook365Constants.ACCOUNT, String.class)));
            }
        });

        // when a mail arrives in each mailbox
        sim.deliver(M0, mail(M0, "for m0"));
        sim.deliver(M1, mail(M1, "for m1"));
        await().atMost(Duration.ofSeconds(60)).until(() -> done.size() == 2);

        // then both alerts went out from the notifications mailbox, none from the mailboxes the mails came from
        assertEquals(2, requests("POST", "^/v1.0/users/" + NOTIFY + "/sendMail$").size());
        // (the trigger's subject header names each mail: the header wins over option subject, as for every action)
        assertEquals(Set.of("for m0", "for m1"), Set.copyOf(subjects(sim.messages(NOTIFY, "sentitems"))));
        assertEquals(2, sim.messages(BOB, "inbox").size());
        assertEquals(List.of(), subjects(sim.messages(M0, "sentitems")));
        assertEquals(List.of(), subjects(sim.messages(M1, "sentitems")));
    }

    @Test
    void anAccountOnTheComponentWinsOverTheHeaderToo() throws Exception {
        // given the component's account ada (every endpoint's default)
        start(null, c -> {
        });
        String id = sim.deliver(ADA, mail(ADA, "for ada"));

        // when an exchange naming m1 marks a mail read
        Exchange done = call(context.createProducerTemplate(), "outlook365:mail/markRead",
                Map.of(Outlook365Constants.ACCOUNT, M1, Outlook365Constants.MESSAGE_ID, id));

        // then it acted on ada's mailbox, as it always did
        assertNull(done.getException());
        assertTrue(sim.message(ADA, id).get("isRead").asBoolean());
        assertEquals(List.of(), requests("PATCH", "^/v1.0/users/" + M1 + "/"));
    }

    @Test
    void aDelegatedConnectionIgnoresTheHeader() throws Exception {
        // given a delegated connection of ada (signed in once: a refresh token), without account
        sim.registerWebApp(SimulatedTenant.TENANT, AuthorizationCodeFlowTest.WEB_CLIENT,
                AuthorizationCodeFlowTest.WEB_SECRET, AuthorizationCodeFlowTest.REDIRECT, null);
        String seed = sim.issueRefreshToken(SimulatedTenant.TENANT, AuthorizationCodeFlowTest.WEB_CLIENT, ADA,
                Set.of("User.Read", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"));
        start(null, c -> {
            c.setAuthMode(AuthMode.authorizationCode);
            c.setClientId(AuthorizationCodeFlowTest.WEB_CLIENT);
            c.setClientSecret(AuthorizationCodeFlowTest.WEB_SECRET);
            c.setRedirectUri(AuthorizationCodeFlowTest.REDIRECT);
            c.setAccount(null);
            c.setRefreshToken(seed);
        });
        String id = sim.deliver(ADA, mail(ADA, "for ada"));

        // when an exchange naming bob marks a mail read
        Exchange done = call(context.createProducerTemplate(), "outlook365:mail/markRead",
                Map.of(Outlook365Constants.ACCOUNT, BOB, Outlook365Constants.MESSAGE_ID, id));

        // then it acted as the signed-in user, on her own mailbox (/me)
        assertNull(done.getException());
        assertEquals(1, requests("PATCH", "^/v1.0/me/messages/" + id + "$").size());
        assertTrue(sim.message(ADA, id).get("isRead").asBoolean());
        assertEquals(List.of(), requests("PATCH", "^/v1.0/users/"));
    }

    static Stream<Arguments> badHeaders() {
        return Stream.of(
                Arguments.of("absent", null, "has no mailbox to act on: its endpoint sets no option account, so it acts"
                                             + " on the mailbox named by header CamelOutlook365Account"),
                Arguments.of("empty", "", "header CamelOutlook365Account='' is not a mailbox"),
                Arguments.of("blank", "   ", "header CamelOutlook365Account='   ' is not a mailbox"),
                Arguments.of("no @", "helpdesk", "header CamelOutlook365Account='helpdesk' is not a mailbox"),
                Arguments.of("white space", "help desk@contoso.com",
                        "header CamelOutlook365Account='help desk@contoso.com' is not a mailbox"),
                Arguments.of("a number", 42, "header CamelOutlook365Account='42' is not a mailbox"),
                Arguments.of("not a GUID", "1234-5678", "header CamelOutlook365Account='1234-5678' is not a mailbox"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHeaders")
    void aHeaderThatNamesNoMailboxFailsTheExchangeSayingSo(String name, Object header, String expected) throws Exception {
        // given an action without account
        start(null);
        String id = sim.deliver(M0, mail(M0, "untouched"));
        Map<String, Object> headers = new HashMap<>();
        headers.put(Outlook365Constants.MESSAGE_ID, id);
        if (header != null) {
            headers.put(Outlook365Constants.ACCOUNT, header);
        }

        // when an exchange with that header runs it
        Exchange done = call(context.createProducerTemplate(), "outlook365:mail/markRead", headers);

        // then it fails naming the header and what to give, before anything is sent
        assertNotNull(done.getException(), name);
        String message = done.getException().getMessage();
        assertTrue(message.contains(expected), message);
        assertTrue(message.contains("outlook365:mail/markRead"), message);
        assertEquals(List.of(), requests("PATCH", "/messages/"));
        assertFalse(sim.message(M0, id).get("isRead").asBoolean());
    }

    @Test
    void aHeaderThatNamesNoMailboxOfTheTenantIsExplainedAsTheHeader() throws Exception {
        start(null);

        Exchange done = call(context.createProducerTemplate(), "outlook365:mail/markRead", Map.of(
                Outlook365Constants.ACCOUNT, "nobody@contoso.onmicrosoft.com", Outlook365Constants.MESSAGE_ID, "AAMk1"));

        assertNotNull(done.getException());
        String message = done.getException().getMessage();
        assertTrue(message.contains("header CamelOutlook365Account='nobody@contoso.onmicrosoft.com' is not a mailbox"
                                    + " in tenant '" + SimulatedTenant.TENANT + "'"), message);
    }

    @Test
    void aTriggerStillNeedsItsAccount() throws Exception {
        // the header is for actions: a trigger of an app-only mode without account (and no accounts) cannot start
        Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> start(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=200").routeId("none").to("log:never");
            }
        }));
        String causes = causes(e);
        assertTrue(causes.contains("option account is required with authMode=clientCredentials"), causes);
    }

    @Test
    void theHeaderCannotBeGivenOverHttp() throws Exception {
        // given an HTTP route (platform-http) that marks a mail read with an action without account
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Map<String, Object> seen = new ConcurrentHashMap<>();
        context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                onException(Exception.class).handled(true).setBody(exceptionMessage());
                from("platform-http:/act").routeId("http")
                        .process(e -> {
                            seen.put("other", String.valueOf(e.getMessage().getHeader("X-Ticket")));
                            seen.put("account", String.valueOf(e.getMessage().getHeader(Outlook365Constants.ACCOUNT)));
                        })
                        .to("outlook365:mail/markRead");
            }
        }, c -> c.setAccount(null));
        MainHttpServer server = new MainHttpServer();
        server.setHost("127.0.0.1");
        server.setPort(port);
        context.addService(server);
        context.start();
        String id = sim.deliver(M1, mail(M1, "not yours"));

        // when a caller sends the header naming m1, with the message id
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/act"))
                .header(Outlook365Constants.ACCOUNT, M1)
                .header(Outlook365Constants.MESSAGE_ID.toLowerCase(), id)
                .header("X-Ticket", "T-1")
                .POST(HttpRequest.BodyPublishers.ofString(id)).build(), HttpResponse.BodyHandlers.ofString());

        // then the route saw the caller's other headers but not the Camel header: the action had no mailbox, and m1's
        // mail is untouched
        assertEquals("T-1", seen.get("other"));
        assertEquals("null", seen.get("account"));
        assertTrue(answer.body().contains("has no mailbox to act on"), answer.body());
        assertEquals(List.of(), requests("PATCH", "/messages/"));
        assertFalse(sim.message(M1, id).get("isRead").asBoolean());
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" | ");
        }
        return all.toString();
    }
}

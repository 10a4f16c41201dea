package io.github.outlook365.test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.github.outlook365.camel.Outlook365Component;
import io.github.outlook365.camel.model.Event;
import io.github.outlook365.camel.model.FileAttachment;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.simulator.RecordedRequest;
import io.github.outlook365.simulator.SimFault;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.function.Executable;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the kit gives a camel-test-junit5 test, in the user's terms, with Java DSL routes. */
class Outlook365TestKitTest extends CamelTestSupport {

    static final String ADA = "ada@contoso.onmicrosoft.com";
    static final String BOB = "bob@contoso.onmicrosoft.com";

    @RegisterExtension
    static final Outlook365TestKit OUTLOOK = Outlook365TestKit.clientCredentials()
            .mailbox(ADA, "Ada Lovelace")
            .mailbox(BOB, "Bob Babbage")
            .option("maxRetryDelay", "2000");

    private final SimulatedMailbox ada = OUTLOOK.mailbox(ADA);
    private final SimulatedMailbox bob = OUTLOOK.mailbox(BOB);

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return OUTLOOK.configure(super.createCamelContext());
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                // triage: answer, categorise, flag and file every mail about an order
                from("outlook365:mail/received?subjectContains=order&delay=100").routeId("triage")
                        .to("outlook365:mail/reply?comment=Thanks, we are on it.")
                        .to("outlook365:mail/setCategories?categories=Orders")
                        .to("outlook365:mail/flag")
                        .to("outlook365:mail/move?destinationFolder=Inbox/Orders");
                from("direct:send").to("outlook365:mail/send");
                from("direct:meeting").to("outlook365:calendar/createEvent");
            }
        };
    }

    @Test
    void whatTheRouteRepliedCategorisedFlaggedAndMovedIsReadBackAsMessages() {
        // given a folder the route files into, and a mail with an attachment
        ada.createFolder("Inbox/Orders");
        NotifyBuilder triaged = new NotifyBuilder(context).fromRoute("triage").whenCompleted(1).create();

        // when bob's order arrives
        String id = ada.deliver(SimMail.from(BOB, "Bob Babbage").subject("Order 4711").textBody("two pallets")
                .attachment("order.csv", "text/csv", "item;qty\npallet;2".getBytes(StandardCharsets.UTF_8)));

        // then the route answered it, and the mail is categorised, flagged and filed
        assertTrue(triaged.matches(20, TimeUnit.SECONDS));
        List<Message> orders = ada.folder("Inbox/Orders");
        assertEquals(List.of("Order 4711"), orders.stream().map(Message::subject).toList());
        Message filed = orders.get(0);
        assertEquals(List.of("Orders"), filed.categories());
        assertEquals("flagged", filed.flag().flagStatus());
        assertEquals("Inbox/Orders", ada.folderOf(filed.id()));
        assertNull(ada.message(id), "a moved message has a new id, as in Graph");
        assertTrue(ada.inbox().isEmpty());
        List<FileAttachment> attachments = ada.attachments(filed.id());
        assertEquals("order.csv", attachments.get(0).name());
        // and bob got the reply, which Ada's Sent Items keep
        Message reply = bob.inbox().get(0);
        assertEquals("RE: Order 4711", reply.subject());
        assertTrue(reply.body().content().contains("Thanks, we are on it."));
        assertEquals(ADA, reply.fromAddress());
        assertEquals(List.of("RE: Order 4711"), ada.sentItems().stream().map(Message::subject).toList());
        // and Graph saw one reply request for that message
        assertEquals(1, OUTLOOK.simulator().countRequests("POST", "/messages/" + id + "/reply$"));
    }

    @Test
    void aMailWithAnAttachmentSentByTheRouteArrivesWithItsContent() throws Exception {
        // when the route sends a mail with a file to bob
        byte[] pdf = "%PDF-1.7 invoice".getBytes(StandardCharsets.US_ASCII);
        template.sendBody("direct:send", Map.of("to", BOB, "subject", "Your invoice", "body", "attached",
                "attachments", List.of(FileAttachment.of("invoice.pdf", "application/pdf", pdf))));

        // then bob has it with the file, and Ada's Sent Items too
        Message received = bob.inbox().get(0);
        assertEquals("Your invoice", received.subject());
        assertEquals(ADA, received.fromAddress());
        FileAttachment file = bob.attachments(received.id()).get(0);
        assertEquals("invoice.pdf", file.name());
        try (var content = file.open()) {
            assertArrayEquals(pdf, content.readAllBytes());
        }
        assertEquals(1, ada.sentItems().size());
        RecordedRequest sent = OUTLOOK.simulator().requests().stream()
                .filter(r -> r.path().endsWith("/sendMail")).findFirst().orElseThrow();
        assertEquals("/v1.0/users/" + ADA + "/sendMail", sent.path());
        assertTrue(sent.body().contains("\"contentBytes\""), sent.body());
    }

    @Test
    void aMeetingTheRouteCreatesIsInTheCalendarsAsAnEvent() {
        // when the route creates a meeting with bob
        ZonedDateTime start = ZonedDateTime.now(ZoneOffset.UTC).plusDays(1).withHour(9).withMinute(0).withSecond(0)
                .withNano(0);
        template.sendBody("direct:meeting", Event.builder().subject("Design review").start(start)
                .end(start.plusHours(1)).attendee(io.github.outlook365.camel.model.Attendee.required(BOB)).build());

        // then it is in Ada's calendar with bob invited, and in bob's with a meeting request in his Inbox
        Event created = ada.events().get(0);
        assertEquals("Design review", created.subject());
        assertEquals(start.toInstant(), created.startTime().toInstant());
        assertEquals(BOB, created.attendees().get(0).emailAddress().address());
        assertEquals(List.of("Design review"), bob.events().stream().map(Event::subject).toList());
        assertEquals("Design review", bob.inbox().get(0).subject());
        assertEquals(created, ada.event(created.id()));
    }

    @Test
    void aThrottledMailboxDelaysTheRouteWhichStillSends() {
        // given Exchange Online throttles ada's mailbox twice
        ada.throttle(2, Duration.ofSeconds(1));

        // when the route sends
        template.sendBodyAndHeader("direct:send", "hello", "CamelOutlook365To", BOB);

        // then it waited out both 429s and sent once
        assertEquals(1, bob.inbox().size());
        assertEquals(2, OUTLOOK.simulator().requests().stream().filter(r -> r.status() == 429).count());
        assertEquals(1, OUTLOOK.simulator().requests().stream()
                .filter(r -> r.path().endsWith("/sendMail") && r.status() == 202).count());
    }

    @Test
    void anInjectedFaultReachesTheRouteAsTheComponentsError() {
        // given Graph refuses the next sendMail
        OUTLOOK.failNext("/sendMail$", 400, "ErrorInvalidRecipients", 1);

        // when the route sends
        CamelExecutionException failed = assertThrows(CamelExecutionException.class,
                () -> template.sendBodyAndHeader("direct:send", "hello", "CamelOutlook365To", BOB));

        // then the route sees Graph's error, and nothing arrived
        assertTrue(failed.getCause().getMessage().startsWith("outlook365:mail/send: Graph refused the recipients"),
                failed.getCause().getMessage());
        assertTrue(bob.inbox().isEmpty());
    }

    @Test
    void aTransientFaultIsRetriedAndRevokedAppTokensAreReplaced() {
        // given Graph throttles the next sendMail (429 with Retry-After: not processed, so safe to send again; a 503
        // after a send is not repeated, it may have gone out), and every token the app had stops working
        OUTLOOK.inject(new SimFault("POST", "/sendMail$", 429, null, 1, Duration.ofSeconds(1)));
        template.sendBodyAndHeader("direct:send", "first", "CamelOutlook365To", BOB);
        long tokensBefore = OUTLOOK.simulator().tokenRequests();
        OUTLOOK.revokeAppTokens();

        // when the route sends again
        template.sendBodyAndHeader("direct:send", "second", "CamelOutlook365To", BOB);

        // then both arrived: the 429 was waited out and a new token was asked for
        assertEquals(List.of("first", "second"), bob.inbox().stream().map(m -> m.body().content().trim()).toList());
        assertEquals(1, OUTLOOK.simulator().requests().stream().filter(r -> r.status() == 429).count());
        assertTrue(OUTLOOK.simulator().tokenRequests() > tokensBefore);
    }

    @Test
    void whatAPersonDoesInOutlookAndGraphsOwnJson() {
        // given a mail that lands in Junk Email
        String id = ada.deliver("Junk Email", SimMail.from("prize@fabrikam.example", "Prize Desk").subject("You won"));

        // when Ada reads it
        ada.markRead(id);

        // then the records and Graph's JSON say so
        assertEquals("Junk Email", ada.folderOf(id));
        assertTrue(ada.message(id).isRead());
        assertEquals(id, ada.folder("junkemail").get(0).id());
        assertEquals("focused", ada.raw(id).path("inferenceClassification").asText());
        assertEquals(ADA, OUTLOOK.account().address());
    }

    @Test
    void thePublishedPropertiesAreTheComponentsConfiguration() {
        // when a test reads what the kit publishes for camel-main
        Properties properties = OUTLOOK.properties();

        // then they name the simulator, the tenant, the app and the account, and the trust bean the context holds
        String base = OUTLOOK.simulator().baseUrl();
        assertEquals(base, properties.getProperty("camel.component.outlook365.authorityHost"));
        assertEquals(base, properties.getProperty("camel.component.outlook365.graphEndpoint"));
        assertEquals("clientCredentials", properties.getProperty("camel.component.outlook365.authMode"));
        assertEquals(OUTLOOK.tenantId(), properties.getProperty("camel.component.outlook365.tenantId"));
        assertEquals(OUTLOOK.clientId(), properties.getProperty("camel.component.outlook365.clientId"));
        assertEquals(OUTLOOK.clientSecret(), properties.getProperty("camel.component.outlook365.clientSecret"));
        assertEquals(ADA, properties.getProperty("camel.component.outlook365.account"));
        assertEquals("2000", properties.getProperty("camel.component.outlook365.maxRetryDelay"));
        assertEquals("#outlook365SimulatorTls", properties.getProperty("camel.component.outlook365.sslContextParameters"));
        assertTrue(context.getRegistry().lookupByName("outlook365SimulatorTls") != null);
        // and the context's component and placeholders say the same
        Outlook365Component component = context.getComponent("outlook365", Outlook365Component.class);
        assertEquals(properties.getProperty("camel.component.outlook365.stateDirectory"),
                component.getConfiguration().getStateDirectory());
        assertEquals(ADA, context.resolvePropertyPlaceholders("{{camel.component.outlook365.account}}"));
    }

    @Test
    void eachTestStartsWithEmptyMailboxes() {
        // given a mail in a test before this one would still be here if the kit did not start afresh
        assertTrue(ada.inbox().isEmpty() && bob.inbox().isEmpty() && ada.sentItems().isEmpty());
        await().atMost(Duration.ofSeconds(10)).until(() -> OUTLOOK.simulator().countRequests("GET", "/messages/delta") > 0);
        assertNull(ada.message("AAMkAGnothing"));
    }

    static List<Arguments> badUse() {
        Outlook365TestKit certificate = Outlook365TestKit.clientCertificate().mailbox(ADA, "Ada");
        return List.of(
                Arguments.of("an undeclared mailbox", (Executable) () -> OUTLOOK.mailbox("eve@fabrikam.example"),
                        "No mailbox eve@fabrikam.example in the test tenant: declare it with"
                        + " Outlook365TestKit...mailbox(\"eve@fabrikam.example\", name); declared: [" + ADA + ", " + BOB + "]"),
                Arguments.of("an unknown folder", (Executable) () -> OUTLOOK.mailbox(ADA).folder("Inbox/Nope"),
                        "No folder 'Inbox/Nope' in " + ADA + ": give a well-known name (inbox, sentitems, drafts,"
                        + " deleteditems, archive, junkemail) or a path of display names; it has [Archive, Deleted"
                        + " Items, Drafts, Inbox, Junk Email, Sent Items]"),
                Arguments.of("a kit without mailboxes", (Executable) () -> Outlook365TestKit.clientCredentials()
                        .beforeAll(null), "Outlook365TestKit has no mailbox: add one with .mailbox(address, name),"
                        + " e.g. Outlook365TestKit.clientCredentials().mailbox(\"ada@contoso.onmicrosoft.com\", \"Ada\")"),
                Arguments.of("an account that is no mailbox", (Executable) () -> Outlook365TestKit.clientCredentials()
                        .mailbox(ADA, "Ada").account(BOB).beforeAll(null), "Outlook365TestKit.account(" + BOB
                        + ") names no mailbox: add it with .mailbox(\"" + BOB + "\", name)"),
                Arguments.of("an expired secret of a certificate app", (Executable) certificate::expireClientSecret,
                        "expireClientSecret needs a client secret, but the kit signs in with a certificate: use"
                        + " Outlook365TestKit.clientCredentials() or authorizationCode()"),
                Arguments.of("a meeting without attendees", (Executable) () -> OUTLOOK.mailbox(ADA)
                        .sendMeetingRequest("Alone", ZonedDateTime.now(), ZonedDateTime.now().plusHours(1)),
                        "a meeting request needs at least one attendee"),
                Arguments.of("an empty mailbox address", (Executable) () -> Outlook365TestKit.clientCredentials()
                        .mailbox(" ", "Nobody"), "address must not be empty"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUse")
    void badUseSaysWhatToDo(String what, Executable use, String message) {
        Exception refused = assertThrows(Exception.class, use);
        assertEquals(message, refused.getMessage());
    }
}

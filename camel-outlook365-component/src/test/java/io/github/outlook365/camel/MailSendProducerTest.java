package io.github.outlook365.camel;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.outlook365.camel.graph.GraphJson;
import io.github.outlook365.camel.model.ItemBody;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.camel.model.Recipient;
import io.github.outlook365.simulator.RecordedRequest;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MailSendProducerTest extends SimulatedContextTest {

    private JsonNode lastSendMailBody() throws Exception {
        RecordedRequest request = sim.requests().stream().filter(r -> r.path().endsWith("/sendMail"))
                .reduce((a, b) -> b).orElseThrow();
        assertEquals("POST", request.method());
        assertEquals("/v1.0/users/" + SimulatedTenant.ADA + "/sendMail", request.path());
        return GraphJson.MAPPER.readTree(request.body());
    }

    @Test
    void textWithHeadersBecomesGraphsDocumentedSendMailRequest() throws Exception {
        // when a route sends text with recipients and subject in headers
        template.sendBodyAndHeaders("outlook365:mail/send?saveToSentItems=false", "The report is attached.",
                Map.of(Outlook365Constants.TO, "Bob Babbage <" + SimulatedTenant.BOB + ">; dave@fabrikam.example",
                        Outlook365Constants.CC, SimulatedTenant.ADA,
                        Outlook365Constants.SUBJECT, "Monthly report"));

        // then Graph receives the documented shape
        JsonNode body = lastSendMailBody();
        assertEquals("Monthly report", body.at("/message/subject").asText());
        assertEquals("text", body.at("/message/body/contentType").asText());
        assertEquals("The report is attached.", body.at("/message/body/content").asText());
        assertEquals(SimulatedTenant.BOB, body.at("/message/toRecipients/0/emailAddress/address").asText());
        assertEquals("Bob Babbage", body.at("/message/toRecipients/0/emailAddress/name").asText());
        assertEquals("dave@fabrikam.example", body.at("/message/toRecipients/1/emailAddress/address").asText());
        assertEquals(SimulatedTenant.ADA, body.at("/message/ccRecipients/0/emailAddress/address").asText());
        assertFalse(body.get("saveToSentItems").asBoolean());

        // and the mail arrives in Bob's inbox, not in Ada's Sent Items
        List<ObjectNode> inbox = sim.messages(SimulatedTenant.BOB, "inbox");
        assertEquals(1, inbox.size());
        assertEquals("Monthly report", inbox.get(0).get("subject").asText());
        assertEquals(SimulatedTenant.ADA, inbox.get(0).at("/from/emailAddress/address").asText());
        assertTrue(sim.messages(SimulatedTenant.ADA, "sentitems").isEmpty());
    }

    @Test
    void aMessageRecordIsSentAsIsAndSavedToSentItems() throws Exception {
        Message message = Message.compose("Hello", ItemBody.html("<p>Hello Bob</p>"), List.of(Recipient.of(SimulatedTenant.BOB)))
                .withImportance("high");
        template.sendBody("outlook365:mail/send", message);

        JsonNode body = lastSendMailBody();
        assertEquals("html", body.at("/message/body/contentType").asText());
        assertEquals("<p>Hello Bob</p>", body.at("/message/body/content").asText());
        assertEquals("high", body.at("/message/importance").asText());
        assertTrue(body.get("saveToSentItems").asBoolean());
        assertEquals(1, sim.messages(SimulatedTenant.BOB, "inbox").size());
        assertEquals(1, sim.messages(SimulatedTenant.ADA, "sentitems").size());
    }

    @Test
    void aMapWithShortKeysIsSent() throws Exception {
        Map<String, Object> mail = new LinkedHashMap<>();
        mail.put("to", List.of(SimulatedTenant.BOB));
        mail.put("subject", "From a map");
        mail.put("body", "<b>bold</b>");
        mail.put("contentType", "html");
        template.sendBody("outlook365:mail/send", mail);

        JsonNode body = lastSendMailBody();
        assertEquals("From a map", body.at("/message/subject").asText());
        assertEquals("html", body.at("/message/body/contentType").asText());
        assertEquals(SimulatedTenant.BOB, body.at("/message/toRecipients/0/emailAddress/address").asText());
    }

    @Test
    void endpointOptionsFillWhatHeadersDoNotGive() throws Exception {
        template.sendBody("outlook365:mail/send?to=" + SimulatedTenant.BOB + "&subject=Alert&contentType=html",
                "<p>disk full</p>");
        JsonNode body = lastSendMailBody();
        assertEquals("Alert", body.at("/message/subject").asText());
        assertEquals("html", body.at("/message/body/contentType").asText());
        assertEquals(SimulatedTenant.BOB, body.at("/message/toRecipients/0/emailAddress/address").asText());
    }

    @Test
    void replyToFromAHeaderAndAReplyGoesThere() throws Exception {
        template.sendBodyAndHeaders("outlook365:mail/send", "Answers to the team address, please.",
                Map.of(Outlook365Constants.TO, SimulatedTenant.BOB, Outlook365Constants.SUBJECT, "Team news",
                        Outlook365Constants.REPLY_TO, "Team <" + SimulatedTenant.ADA + ">"));
        JsonNode body = lastSendMailBody();
        assertEquals(SimulatedTenant.ADA, body.at("/message/replyTo/0/emailAddress/address").asText());
        assertEquals("Team", body.at("/message/replyTo/0/emailAddress/name").asText());
        assertEquals(SimulatedTenant.ADA, sim.messages(SimulatedTenant.BOB, "inbox").get(0)
                .at("/replyTo/0/emailAddress/address").asText());
    }

    @Test
    void mailSentToTheWatchedMailboxFiresTheTrigger() throws Exception {
        List<String> subjects = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("outlook365:mail/received?delay=100&initialDelay=0")
                        .process(e -> subjects.add(e.getMessage().getHeader(Outlook365Constants.SUBJECT, String.class)));
            }
        });
        template.sendBodyAndHeaders("outlook365:mail/send", "note to self",
                Map.of(Outlook365Constants.TO, SimulatedTenant.ADA, Outlook365Constants.SUBJECT, "to myself"));
        await().atMost(Duration.ofSeconds(20)).until(() -> subjects.size() >= 1);
        assertEquals(List.of("to myself"), subjects);
    }

    @Test
    void aRecipientThatIsNotAnAddressIsRefusedBeforeAnythingIsSent() {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBodyAndHeader("outlook365:mail/send", "x", Outlook365Constants.TO, "bob at contoso"));
        IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertTrue(cause.getMessage().contains("'bob at contoso' in header CamelOutlook365To is not an email address"),
                cause.getMessage());
        assertEquals(0, sim.countRequests("POST", "/sendMail"));
    }

    @Test
    void noRecipientAtAllIsRefused() {
        CamelExecutionException e = assertThrows(CamelExecutionException.class,
                () -> template.sendBody("outlook365:mail/send", "x"));
        assertTrue(e.getCause().getMessage().contains("has no recipient"), e.getCause().getMessage());
    }

    @Test
    void triggersAreNotActions() {
        Exception e = assertThrows(Exception.class, () -> template.sendBody("outlook365:mail/received", "x"));
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertTrue(root.getMessage().contains("outlook365:mail/received is a trigger"), root.getMessage());
    }
}

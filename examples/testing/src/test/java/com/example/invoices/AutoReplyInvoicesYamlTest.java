package com.example.invoices;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import io.github.outlook365.camel.model.Message;
import io.github.outlook365.simulator.SimMail;
import io.github.outlook365.test.Outlook365TestKit;
import io.github.outlook365.test.SimulatedMailbox;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AutoReplyInvoicesYamlTest extends CamelTestSupport {

    static final String ACCOUNTS = "accounts@contoso.onmicrosoft.com";
    static final String SUPPLIER = "billing@fabrikam.example";
    static final byte[] PDF = "%PDF-1.7 invoice 2026-17".getBytes(StandardCharsets.US_ASCII);

    @RegisterExtension
    static final Outlook365TestKit OUTLOOK = Outlook365TestKit.clientCredentials()
            .mailbox(ACCOUNTS, "Accounts Payable")      // the first mailbox is the one the routes work on
            .mailbox(SUPPLIER, "Fabrikam Billing");     // a mailbox outside, to read the reply back

    AutoReplyInvoicesYamlTest() {
        // every outlook365:mail/... the route sends to is also a mock endpoint (and still goes to the simulator)
        camelContextConfiguration().withMockEndpoints("outlook365:mail/*");
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return OUTLOOK.configure(super.createCamelContext());
    }

    @Override
    protected RoutesBuilder createRouteBuilder() throws Exception {
        return PluginHelper.getRoutesLoader(context).findRoutesBuilders(
                ResourceHelper.resolveMandatoryResource(context, "classpath:routes/auto-reply-invoices.camel.yaml"))
                .iterator().next();
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties properties = new Properties();
        properties.setProperty("outlook365.jobs.autoReplyInvoices", "true"); // the route's on switch
        properties.setProperty("outlook365.jobs.pollDelay", "100");          // poll every 100 ms, not every minute
        return properties;
    }

    private final SimulatedMailbox accounts = OUTLOOK.mailbox(ACCOUNTS);
    private MockEndpoint replies;
    private NotifyBuilder done;

    @BeforeEach
    void givenTheInvoicesFolderAndWhatTheRouteDoes() {
        accounts.createFolder("Inbox/Invoices");                    // where the route files invoices
        replies = getMockEndpoint("mock:outlook365:mail/reply");    // what it answers
        done = new NotifyBuilder(context).fromRoute("auto-reply-invoices").whenCompleted(1).create();
    }

    @Test
    void anInvoiceWithItsPdfIsAnsweredAndFiled() throws Exception {
        // given
        replies.expectedMessageCount(1);
        replies.expectedHeaderReceived("CamelOutlook365Subject", "Invoice 2026-17");

        // when the supplier's invoice arrives
        accounts.deliver(SimMail.from(SUPPLIER, "Fabrikam Billing").subject("Invoice 2026-17")
                .textBody("Please find our invoice attached.").attachment("invoice-2026-17.pdf", "application/pdf", PDF));

        // then the route answered it once and filed it
        assertTrue(done.matches(20, TimeUnit.SECONDS));
        replies.assertIsSatisfied();
        Message reply = OUTLOOK.mailbox(SUPPLIER).inbox().get(0);
        assertEquals("RE: Invoice 2026-17", reply.subject());
        assertTrue(reply.body().content().contains("we received your invoice"), reply.body().content());
        List<Message> filed = accounts.folder("Inbox/Invoices");
        assertEquals(List.of("Invoice 2026-17"), filed.stream().map(Message::subject).toList());
        assertEquals("invoice-2026-17.pdf", accounts.attachments(filed.get(0).id()).get(0).name());
        assertTrue(accounts.inbox().isEmpty());
    }

    @Test
    void aMailWithoutAnAttachmentIsLeftInTheInbox() throws Exception {
        // given
        replies.expectedMessageCount(1);

        // when an invoice without its file arrives, then one with it
        accounts.deliver(SimMail.from(SUPPLIER, "Fabrikam Billing").subject("Invoice 2026-18").textBody("oops"));
        accounts.deliver(SimMail.from(SUPPLIER, "Fabrikam Billing").subject("Invoice 2026-18 (with the file)")
                .textBody("attached").attachment("invoice-2026-18.pdf", "application/pdf", PDF));

        // then only the one with the file was answered; the other waits in the Inbox for a person
        assertTrue(done.matches(20, TimeUnit.SECONDS));
        replies.assertIsSatisfied();
        assertEquals(List.of("RE: Invoice 2026-18 (with the file)"),
                OUTLOOK.mailbox(SUPPLIER).inbox().stream().map(Message::subject).toList());
        assertEquals(List.of("Invoice 2026-18"), accounts.inbox().stream().map(Message::subject).toList());
    }
}

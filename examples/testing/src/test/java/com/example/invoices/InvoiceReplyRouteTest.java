package com.example.invoices;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InvoiceReplyRouteTest extends CamelTestSupport {

    static final String ACCOUNTS = "accounts@contoso.onmicrosoft.com";
    static final String SUPPLIER = "billing@fabrikam.example";

    @RegisterExtension
    static final Outlook365TestKit OUTLOOK = Outlook365TestKit.clientCredentials()
            .mailbox(ACCOUNTS, "Accounts Payable")
            .mailbox(SUPPLIER, "Fabrikam Billing");

    private final SimulatedMailbox accounts = OUTLOOK.mailbox(ACCOUNTS);
    private final SimulatedMailbox supplier = OUTLOOK.mailbox(SUPPLIER);

    @Override
    protected CamelContext createCamelContext() throws Exception {
        return OUTLOOK.configure(super.createCamelContext());
    }

    @Override
    protected RoutesBuilder createRouteBuilder() {
        return new InvoiceReplyRoute();
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties properties = new Properties();
        properties.setProperty("invoices.pollDelay", "100");
        return properties;
    }

    @BeforeEach
    void theInvoicesFolderExists() {
        accounts.createFolder("Inbox/Invoices");
    }

    @Test
    void anInvoiceIsAnsweredAndFiled() {
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("invoice-replies").whenCompleted(1).create();

        accounts.deliver(SimMail.from(SUPPLIER, "Fabrikam Billing").subject("Invoice 77").textBody("attached")
                .attachment("invoice-77.pdf", "application/pdf", "%PDF".getBytes(StandardCharsets.US_ASCII)));

        assertTrue(done.matches(20, TimeUnit.SECONDS));
        assertEquals(List.of("RE: Invoice 77"), supplier.inbox().stream().map(Message::subject).toList());
        assertEquals(List.of("RE: Invoice 77"), accounts.sentItems().stream().map(Message::subject).toList());
        assertEquals(List.of("Invoice 77"), accounts.folder("Inbox/Invoices").stream().map(Message::subject).toList());
    }

    @Test
    void aThrottledMailboxSlowsTheRouteDownButLosesNothing() {
        // given Exchange Online throttles the mailbox for its next three requests
        accounts.throttle(3, Duration.ofSeconds(1));
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("invoice-replies").whenCompleted(1).create();

        // when an invoice arrives
        accounts.deliver(SimMail.from(SUPPLIER, "Fabrikam Billing").subject("Invoice 78").textBody("attached")
                .attachment("invoice-78.pdf", "application/pdf", "%PDF".getBytes(StandardCharsets.US_ASCII)));

        // then the route waited and answered it once
        assertTrue(done.matches(30, TimeUnit.SECONDS));
        assertEquals(List.of("RE: Invoice 78"), supplier.inbox().stream().map(Message::subject).toList());
        assertEquals(3, OUTLOOK.simulator().requests().stream().filter(r -> r.status() == 429).count());
    }
}

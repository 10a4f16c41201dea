package com.example.invoices;

import org.apache.camel.builder.RouteBuilder;

/** The job of routes/auto-reply-invoices.camel.yaml in Java DSL: answer each invoice with a file and file it. */
public class InvoiceReplyRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("outlook365:mail/received?folder=inbox&subjectContains=invoice&onlyWithAttachments=true"
             + "&stateKey=invoice-replies&delay={{invoices.pollDelay:60000}}")
                .routeId("invoice-replies")
                .to("outlook365:mail/reply?comment=Thank you, we received your invoice.")
                .to("outlook365:mail/move?destinationFolder=Inbox/Invoices")
                .log("Answered and filed '${header.CamelOutlook365Subject}' from ${header.CamelOutlook365From}");
    }
}

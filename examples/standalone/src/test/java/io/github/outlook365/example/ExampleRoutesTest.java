package io.github.outlook365.example;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.outlook365.camel.Outlook365Component;
import io.github.outlook365.camel.model.Message;
import io.github.outlook365.test.Outlook365TestKit;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.apache.camel.test.main.junit5.Configure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The example's routes as camel-main loads them from its application.properties (which names the real tenant through
 * {{env:OUTLOOK365_...}} placeholders), pointed at the test kit's tenant instead: the demo mail the send-demo-mail route
 * sends to the account comes back through log-received-mail.
 */
@CamelMainTest(propertyPlaceholderFileName = "application.properties", properties = {
        "outlook365.example.httpPort=0", "camel.management.enabled=false", "camel.main.jmxEnabled=false",
        "outlook365.example.pollDelay=200", "outlook365.example.sendEvery=300",
        // the demo mail runs only when asked (the example asks for it on its embedded simulator)
        "outlook365.example.selfMail=true" })
class ExampleRoutesTest {

    static final String DEMO = "demo@contoso.onmicrosoft.com";

    @RegisterExtension
    static final Outlook365TestKit OUTLOOK = Outlook365TestKit.clientCredentials().mailbox(DEMO, "Demo Mailbox");

    @BeanInject
    CamelContext context;

    @Configure
    protected void configure(MainConfigurationProperties configuration) {
        OUTLOOK.configureMain(configuration);
    }

    @Test
    void theDemoMailsComeBackThroughTheTriggerEachOnce() {
        // given the example's routes, started by camel-main
        NotifyBuilder received = new NotifyBuilder(context).fromRoute("log-received-mail").whenCompleted(3).create();

        // when send-demo-mail has mailed the account a few times, then the trigger delivered each mail
        assertTrue(received.matches(30, TimeUnit.SECONDS));
        List<String> subjects = OUTLOOK.account().inbox().stream().map(Message::subject).toList();
        assertTrue(subjects.containsAll(List.of("Demo mail #1", "Demo mail #2", "Demo mail #3")), subjects.toString());
        assertEquals(subjects.size(), OUTLOOK.account().sentItems().size(), "one sent copy for each mail received");
        assertTrue(OUTLOOK.simulator().countRequests("POST", "/users/" + DEMO + "/sendMail") >= 3);
    }

    @Test
    void theKitsPropertiesWinOverTheRealTenantsPlaceholders() {
        // the example reads camel.component.outlook365.clientId from {{env:OUTLOOK365_CLIENT_ID:}}: the kit overrides it
        Outlook365Component component = context.getComponent("outlook365", Outlook365Component.class);
        assertEquals(OUTLOOK.clientId(), component.getConfiguration().getClientId());
        assertEquals(OUTLOOK.simulator().baseUrl(), component.getConfiguration().getGraphEndpoint());
        assertEquals(DEMO, context.resolvePropertyPlaceholders("{{camel.component.outlook365.account}}"));
        assertEquals("5000", context.resolvePropertyPlaceholders("{{camel.component.outlook365.reconnectDelay}}"));
    }
}

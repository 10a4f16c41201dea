package io.github.outlook365.camel;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import io.github.outlook365.camel.auth.AuthMode;
import io.github.outlook365.camel.auth.CloudEnvironment;
import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.github.outlook365.camel.AuthorizationCodeFlowTest.causes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A token without the Graph permission an operation needs stops the route at start, naming the permission, the
 * operation and the admin consent link of the tenant and cloud; roles count for app-only tokens, scp for delegated.
 */
class PermissionCheckTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    static final String LIMITED = "55555555-6666-7777-8888-999999999999";
    static final String SECRET = "limited~Secret.Value";

    @TempDir
    Path work;

    private Outlook365Simulator sim;
    private SimulatedTenant tenant;
    private CamelContext context;

    @BeforeEach
    void setUp() throws Exception {
        sim = SIMULATOR.simulator();
        tenant = new SimulatedTenant(sim, work);
    }

    @AfterEach
    void tearDown() {
        if (context != null) {
            context.stop();
        }
    }

    private static RouteBuilder route(String operation) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                if (operation.equals("mail/received")) {
                    from("outlook365:mail/received?delay=100").to("log:never");
                } else {
                    from("direct:send").to("outlook365:" + operation);
                }
            }
        };
    }

    @ParameterizedTest(name = "{0} with roles {1}")
    @CsvSource({
            "mail/send, Mail.Read, Mail.Send, ''",
            "mail/received, Mail.Send, Mail.Read, ' (or Mail.ReadWrite)'" })
    void anAppOnlyTokenWithoutTheRoleStopsTheRoute(String operation, String roles, String missing, String alternatives)
            throws Exception {
        // given an app an admin granted only some application permissions
        sim.registerApp(SimulatedTenant.TENANT, LIMITED, SECRET, Set.of(roles));
        context = tenant.context(route(operation), c -> {
            c.setClientId(LIMITED);
            c.setClientSecret(SECRET);
        });

        // when the route starts, then it stops with the permission, the operation and the consent link
        Exception e = assertThrows(Exception.class, context::start);
        assertTrue(causes(e).contains("outlook365:" + operation + " needs the Microsoft Graph application permission "
                                      + missing + alternatives + ", which the app-only token of clientId '" + LIMITED
                                      + "' in tenant '" + SimulatedTenant.TENANT + "' does not grant (it grants: "
                                      + roles + "): an admin must add it under 'API permissions'"),
                causes(e));
        assertTrue(causes(e).contains(sim.baseUrl() + "/" + SimulatedTenant.TENANT + "/adminconsent?client_id=" + LIMITED),
                causes(e));
        // and nothing reached the mailbox
        assertEquals(0, sim.countRequests(null, "^/v1.0/users/.*/(sendMail|mailFolders)"));
    }

    @Test
    void theAdminConsentUrlFollowsTheCloud() throws Exception {
        // given a US Government connection (hosts from the environment, no override)
        context = tenant.context(null, x -> {
            x.setEnvironment(CloudEnvironment.usGovL4);
            x.setAuthorityHost(null);
            x.setGraphEndpoint(null);
        });
        context.start();

        String url = context.createProducerTemplate().requestBody("outlook365:connection/adminConsentUrl", null,
                String.class);

        assertEquals("https://login.microsoftonline.us/" + SimulatedTenant.TENANT + "/adminconsent?client_id="
                     + SimulatedTenant.CLIENT_ID, url);
    }

    @Test
    void aDelegatedTokenWithoutTheScopeStopsTheRoute() throws Exception {
        // given a web app whose registration lacks Mail.Send, and ada signed in through it
        sim.registerWebApp(SimulatedTenant.TENANT, LIMITED, SECRET, AuthorizationCodeFlowTest.REDIRECT,
                Set.of("User.Read", "Mail.Read"));
        context = tenant.context(null, c -> {
            c.setAuthMode(AuthMode.authorizationCode);
            c.setTenantId(SimulatedTenant.TENANT);
            c.setClientId(LIMITED);
            c.setClientSecret(SECRET);
            c.setRedirectUri(AuthorizationCodeFlowTest.REDIRECT);
            c.setScopes("User.Read Mail.Read Mail.Send");
        });
        context.start();
        var template = context.createProducerTemplate();
        signIn(template, SimulatedTenant.ADA);

        // when a route that sends mail starts
        Exception e = assertThrows(Exception.class, () -> context.addRoutes(route("mail/send")));

        // then it names the delegated permission, the user and the consent link
        assertTrue(causes(e).contains("outlook365:mail/send needs the Microsoft Graph delegated permission Mail.Send,"
                                      + " which the token of " + SimulatedTenant.ADA + " (clientId '" + LIMITED
                                      + "') does not grant (it grants: Mail.Read, User.Read)"),
                causes(e));
        assertTrue(causes(e).contains("/" + SimulatedTenant.TENANT + "/adminconsent?client_id=" + LIMITED), causes(e));

        // and connection/check tells the same
        Map<?, ?> check = template.requestBody("outlook365:connection/check", null, Map.class);
        assertEquals(java.util.List.of("Mail.Send (mail/send)"), check.get("missing"));
    }

    @Test
    void aSharedMailboxNeedsTheSharedScope() throws Exception {
        // given ada may open the shared mailbox, but the app has no .Shared permission
        sim.createMailbox(SimulatedTenant.TENANT, "sales@contoso.onmicrosoft.com", "Sales");
        sim.grantMailboxAccess("sales@contoso.onmicrosoft.com", SimulatedTenant.ADA);
        sim.registerWebApp(SimulatedTenant.TENANT, LIMITED, SECRET, AuthorizationCodeFlowTest.REDIRECT,
                Set.of("User.Read", "Mail.ReadWrite", "Mail.Send"));
        context = tenant.context(null, c -> {
            c.setAuthMode(AuthMode.authorizationCode);
            c.setClientId(LIMITED);
            c.setClientSecret(SECRET);
            c.setRedirectUri(AuthorizationCodeFlowTest.REDIRECT);
            c.setAccount("sales@contoso.onmicrosoft.com");
        });
        context.start();
        var template = context.createProducerTemplate();
        signIn(template, SimulatedTenant.ADA);

        Exception e = assertThrows(Exception.class, () -> context.addRoutes(route("mail/received")));

        assertTrue(causes(e).contains("outlook365:mail/received needs the Microsoft Graph delegated permission"
                                      + " Mail.Read.Shared (or Mail.ReadWrite.Shared)"),
                causes(e));
    }

    /** Ada signs in as a person would: the setup token from the log, the sign-in page, the callback, one browser. */
    private void signIn(org.apache.camel.ProducerTemplate template, String user) throws Exception {
        try (CapturedLogs log = CapturedLogs.capture()) {
            template.requestBody("outlook365:connection/check", null, Map.class);
            new SignInBrowser(sim).signIn(template, SignInBrowser.setupToken(log), user);
        }
    }
}

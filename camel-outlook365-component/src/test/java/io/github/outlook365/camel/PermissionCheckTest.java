package io.github.outlook365.camel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.outlook365.camel.auth.AuthMode;
import io.github.outlook365.camel.auth.CloudEnvironment;
import io.github.outlook365.simulator.CapturedLogs;
import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import io.github.outlook365.simulator.SimMail;
import org.apache.camel.CamelContext;
import org.apache.camel.DelegateProcessor;
import org.apache.camel.Producer;
import org.apache.camel.ServiceStatus;
import org.apache.camel.StatefulService;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.github.outlook365.camel.AuthorizationCodeFlowTest.causes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A token without the Graph permission an operation needs stops the route at start, naming the route, the permission,
 * the operation and the admin consent link of the tenant and cloud; roles count for app-only tokens, scp for delegated.
 * A route that does not start needs nothing, although Camel starts the producers of its static steps.
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
    private Main main;

    @BeforeEach
    void setUp() throws Exception {
        sim = SIMULATOR.simulator();
        tenant = new SimulatedTenant(sim, work);
    }

    @AfterEach
    void tearDown() {
        if (main != null) {
            main.stop();
        }
        if (context != null) {
            context.stop();
        }
    }

    private static RouteBuilder route(String operation) {
        return new RouteBuilder() {
            @Override
            public void configure() {
                if (operation.equals("mail/received")) {
                    from("outlook365:mail/received?delay=100").routeId("uses-" + operation).to("log:never");
                } else {
                    from("direct:send").routeId("uses-" + operation).to("outlook365:" + operation);
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

        // when the route starts, then it stops with the route, the permission, the operation and the consent link
        Exception e = assertThrows(Exception.class, context::start);
        assertTrue(causes(e).contains("Route uses-" + operation + " cannot start: outlook365:" + operation
                                      + " needs the Microsoft Graph application permission " + missing + alternatives
                                      + ", which the app-only token of clientId '" + LIMITED + "' in tenant '"
                                      + SimulatedTenant.TENANT + "' does not grant (it grants: " + roles
                                      + "): an admin must add it under 'API permissions'"),
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
        assertTrue(causes(e).contains("Route uses-mail/send cannot start: outlook365:mail/send needs the Microsoft Graph"
                                      + " delegated permission Mail.Send,"
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

    /** What a user's camel-main application loads: one route that reads mail, two switched off that would change things. */
    private static final String ROUTES = """
            - route:
                id: log-mail
                from:
                  uri: outlook365:mail/received
                  parameters:
                    delay: 100
                  steps:
                    - to: mock:logged
            - route:
                id: archive-mail
                autoStartup: false
                from:
                  uri: direct:archive
                  steps:
                    - to: outlook365:mail/markRead
                    - to: outlook365:mail/archive
                    - to: outlook365:mail/send
            - route:
                id: watch-calendar
                autoStartup: false
                from:
                  uri: outlook365:calendar/created
                  steps:
                    - to: mock:created
            """;

    private CamelContext startMain(Set<String> roles) throws Exception {
        sim.registerApp(SimulatedTenant.TENANT, LIMITED, SECRET, roles);
        Path routes = Files.writeString(work.resolve("jobs.camel.yaml"), ROUTES);
        Outlook365Component component = new Outlook365Component();
        component.setConfiguration(tenant.configuration());
        component.getConfiguration().setClientId(LIMITED);
        component.getConfiguration().setClientSecret(SECRET);
        main = new Main();
        main.bind("outlook365", component);
        main.configure().withRoutesIncludePattern("file:" + routes.toAbsolutePath());
        main.start();
        return main.getCamelContext();
    }

    @Test
    void aSwitchedOffRouteNeedsNoPermissionAlthoughCamelStartsItsProducers() throws Exception {
        // given an app granted Mail.Read and Mail.Send only, and camel-main with a route that reads mail beside two
        // switched-off routes that would need Mail.ReadWrite and Calendars.Read
        CamelContext camel = startMain(Set.of("Mail.Read", "Mail.Send"));

        // then the application starts and its running route reads mail
        assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("log-mail"));
        assertEquals(ServiceStatus.Stopped, camel.getRouteController().getRouteStatus("archive-mail"));
        assertEquals(ServiceStatus.Stopped, camel.getRouteController().getRouteStatus("watch-calendar"));
        sim.deliver(SimulatedTenant.ADA, SimMail.from(SimulatedTenant.BOB, "Bob").subject("hello").textBody("hi"));
        await().atMost(Duration.ofSeconds(20)).until(() -> sim.countRequests("GET", "/messages/delta") >= 2);
        // and Camel did start the producers of the switched-off route (so a check there would have refused it)
        assertTrue(camel.hasServices(Producer.class).stream()
                .filter(p -> p.getEndpoint().getEndpointUri().startsWith("outlook365://mail/markRead"))
                .map(p -> p instanceof DelegateProcessor bridge ? bridge.getProcessor() : p)
                .anyMatch(p -> ((StatefulService) p).isStarted()),
                "camel-main 4.18 starts the producers of a route with autoStartup=false");
        // and nothing asked Graph for the calendar
        assertEquals(0, sim.countRequests(null, "/calendarView|/events"));
    }

    @Test
    void aRouteStartedLaterIsCheckedThenAndNamesEachOperationItLacks() throws Exception {
        // given the application running with Mail.Read and Mail.Send only
        CamelContext camel = startMain(Set.of("Mail.Read", "Mail.Send"));

        // when the switched-off route is started later (JMX, the route controller)
        Exception e = assertThrows(Exception.class, () -> camel.getRouteController().startRoute("archive-mail"));

        // then it does not start, and says which route needs what, and where the admin grants it
        assertEquals("Route archive-mail cannot start: outlook365:mail/markRead needs the Microsoft Graph application"
                     + " permission Mail.ReadWrite; outlook365:mail/archive needs the Microsoft Graph application"
                     + " permission Mail.ReadWrite, which the app-only token of clientId '" + LIMITED + "' in tenant '"
                     + SimulatedTenant.TENANT + "' does not grant (it grants: Mail.Read, Mail.Send): an admin must add"
                     + " them under 'API permissions' (Application permissions) of the app registration and grant admin"
                     + " consent: " + sim.baseUrl() + "/" + SimulatedTenant.TENANT + "/adminconsent?client_id=" + LIMITED
                     + ". A route that should not run can stay switched off (autoStartup: false);"
                     + " outlook365:connection/check lists what each route needs", rootMessage(e));
        assertEquals(ServiceStatus.Stopped, camel.getRouteController().getRouteStatus("archive-mail"));

        // and a switched-off trigger is checked when its route starts
        Exception trigger = assertThrows(Exception.class, () -> camel.getRouteController().startRoute("watch-calendar"));
        assertTrue(rootMessage(trigger).startsWith("Route watch-calendar cannot start: outlook365:calendar/created needs"
                                                   + " the Microsoft Graph application permission Calendars.Read (or"
                                                   + " Calendars.ReadWrite)"),
                rootMessage(trigger));
        // and the running route goes on
        assertEquals(ServiceStatus.Started, camel.getRouteController().getRouteStatus("log-mail"));
    }

    @Test
    void connectionCheckListsWhatEachRouteNeedsAndLacks() throws Exception {
        // given the application running with Mail.Read and Mail.Send only
        CamelContext camel = startMain(Set.of("Mail.Read", "Mail.Send"));

        // when someone asks the connection what the routes need
        Map<?, ?> check = camel.createProducerTemplate().requestBody("outlook365:connection/check", null, Map.class);

        // then each route of the connection says its permissions, whether it runs and what its token lacks
        assertEquals(List.of(
                Map.of("route", "log-mail", "status", "Started", "needs", List.of("Mail.Read (mail/received)"),
                        "missing", List.of()),
                Map.of("route", "archive-mail", "status", "Stopped",
                        "needs", List.of("Mail.ReadWrite (mail/markRead)", "Mail.ReadWrite (mail/archive)",
                                "Mail.Send (mail/send)"),
                        "missing", List.of("Mail.ReadWrite (mail/markRead)", "Mail.ReadWrite (mail/archive)")),
                Map.of("route", "watch-calendar", "status", "Stopped", "needs", List.of("Calendars.Read (calendar/created)"),
                        "missing", List.of("Calendars.Read (calendar/created)"))),
                check.get("routes"));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}

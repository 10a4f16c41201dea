package io.github.outlook365.camel;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What JMX tooling (JConsole, Hawtio, jolokia) shows of a running context: every attribute of every Camel MBean, and
 * what the no-argument and explain operations return. No secret of any mode may be in it.
 */
class SecretsInJmxTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    @Test
    void noSecretOfAnyModeIsVisibleOverJmx() throws Exception {
        Outlook365Simulator sim = SIMULATOR.simulator();
        SimulatedTenant tenant = new SimulatedTenant(sim, work);
        sim.registerApp(SimulatedTenant.TENANT, ClientCertificateAuthTest.CERT_CLIENT_ID,
                ClientCertificateAuthTest.REGISTERED.certificate());
        String certificate = ClientCertificateAuthTest.REGISTERED.base64Pkcs12(ClientCertificateAuthTest.PASSWORD);

        // given a context configured as the docs say: secrets as component options or property placeholders (a
        // secret written literally into a route URI is shown by Camel's own route dumps, whatever the component does)
        CamelContext context = tenant.context(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:send").routeId("send").to("outlook365:mail/send?certificatePassword={{pfx.password}}");
                from("direct:link").routeId("link").to("outlook365:connection/adminConsentUrl?authMode=authorizationCode"
                                                       + "&clientSecret={{web.secret}}&redirectUri="
                                                       + AuthorizationCodeFlowTest.REDIRECT
                                                       + "&refreshToken={{web.refreshToken}}&tokenStore="
                                                       + work.resolve("t.bin") + "&tokenStoreKey={{web.storeKey}}");
            }
        }, c -> {
            ClientCertificateAuthTest.certificateMode(c);
            c.setCertificate(certificate);
        });
        java.util.Properties properties = new java.util.Properties();
        properties.put("pfx.password", ClientCertificateAuthTest.PASSWORD);
        properties.put("web.secret", AuthorizationCodeFlowTest.WEB_SECRET);
        properties.put("web.refreshToken", "rt-DoNotLog-123");
        properties.put("web.storeKey", AuthorizationCodeFlowTest.STORE_KEY);
        context.getPropertiesComponent().setInitialProperties(properties);
        context.start();
        try {
            context.createProducerTemplate().sendBodyAndHeader("direct:send", "hi", Outlook365Constants.TO,
                    SimulatedTenant.BOB);
            context.createProducerTemplate().requestBody("direct:link", null, String.class);

            // when everything JMX shows of it is read
            String shown = everythingJmxShows(context.getManagementName());

            // then it names the endpoints, but no secret
            assertTrue(shown.contains("outlook365://mail/send"), "the endpoint MBeans were not read");
            List<String> secrets = List.of(ClientCertificateAuthTest.PASSWORD, certificate.substring(0, 40),
                    AuthorizationCodeFlowTest.WEB_SECRET, "rt-DoNotLog-123", AuthorizationCodeFlowTest.STORE_KEY,
                    SimulatedTenant.CLIENT_SECRET);
            for (String secret : secrets) {
                assertFalse(shown.contains(secret), "JMX shows a secret starting " + secret.substring(0, 4));
            }
        } finally {
            context.stop();
        }
    }

    private static String everythingJmxShows(String managementName) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = server.queryNames(new ObjectName("org.apache.camel:context=" + managementName + ",*"),
                null);
        List<String> shown = new ArrayList<>();
        for (ObjectName name : names) {
            shown.add(name.toString());
            for (MBeanAttributeInfo attribute : server.getMBeanInfo(name).getAttributes()) {
                try {
                    shown.add(String.valueOf(server.getAttribute(name, attribute.getName())));
                } catch (Exception e) {
                    // some attributes cannot be read in this state; what cannot be read cannot leak
                }
            }
            for (MBeanOperationInfo operation : server.getMBeanInfo(name).getOperations()) {
                boolean explain = operation.getName().startsWith("explain") && operation.getSignature().length == 1
                                  && operation.getSignature()[0].getType().equals("boolean");
                boolean dump = operation.getName().startsWith("dump") && operation.getSignature().length == 0;
                try {
                    if (explain) {
                        shown.add(String.valueOf(server.invoke(name, operation.getName(), new Object[] { true },
                                new String[] { "boolean" })));
                    } else if (dump) {
                        shown.add(String.valueOf(server.invoke(name, operation.getName(), new Object[0], new String[0])));
                    }
                } catch (Exception e) {
                    // an operation this context does not support
                }
            }
        }
        return String.join("\n", shown);
    }
}

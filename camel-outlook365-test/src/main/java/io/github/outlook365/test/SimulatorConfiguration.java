package io.github.outlook365.test;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * Points a camel-main application at the kit's simulator. camel-main runs its configuration classes before it sets
 * the components up from properties: the kit's options, added as override properties, then win over
 * application.properties, and the trust bean they name is in the registry.
 */
final class SimulatorConfiguration implements CamelConfiguration {

    private final Outlook365TestKit kit;

    SimulatorConfiguration(Outlook365TestKit kit) {
        this.kit = kit;
    }

    @Override
    public void configure(CamelContext context) {
        context.getRegistry().bind(Outlook365TestKit.TLS_BEAN, SSLContextParameters.class, kit.trust());
        PropertiesComponent properties = context.getPropertiesComponent();
        kit.properties().forEach((name, value) -> properties.addOverrideProperty((String) name, (String) value));
    }
}

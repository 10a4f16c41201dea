package io.github.outlook365.test;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * Points a camel-main application at the kit's simulator before camel-main configures the component from its
 * properties: the kit's options become override properties, so they win over application.properties.
 */
final class SimulatorMainListener extends MainListenerSupport {

    private final Outlook365TestKit kit;

    SimulatorMainListener(Outlook365TestKit kit) {
        this.kit = kit;
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        main.getCamelContext().getRegistry().bind(Outlook365TestKit.TLS_BEAN, SSLContextParameters.class, kit.trust());
        PropertiesComponent properties = main.getCamelContext().getPropertiesComponent();
        kit.properties().forEach((name, value) -> properties.addOverrideProperty((String) name, (String) value));
    }
}

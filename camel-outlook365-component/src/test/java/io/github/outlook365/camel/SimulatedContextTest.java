package io.github.outlook365.camel;

import java.nio.file.Path;

import io.github.outlook365.simulator.Outlook365Simulator;
import io.github.outlook365.simulator.Outlook365SimulatorExtension;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the action tests share: given a simulated tenant (Ada's and Bob's mailboxes, the app registered) and a started
 * Camel context whose outlook365 component points at it, as a user would configure it.
 */
abstract class SimulatedContextTest {

    @RegisterExtension
    static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();

    @TempDir
    Path work;

    protected Outlook365Simulator sim;
    protected SimulatedTenant tenant;
    protected CamelContext context;
    protected ProducerTemplate template;

    @BeforeEach
    void startContext() throws Exception {
        sim = SIMULATOR.simulator();
        tenant = new SimulatedTenant(sim, work);
        context = tenant.context(null);
        context.start();
        template = context.createProducerTemplate();
    }

    @AfterEach
    void stopContext() throws Exception {
        if (context != null) {
            context.stop();
        }
    }
}

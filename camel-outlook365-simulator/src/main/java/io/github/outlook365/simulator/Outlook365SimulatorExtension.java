package io.github.outlook365.simulator;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: starts one simulator before all tests of the class, resets it before each test, closes it after
 * all, and resolves {@link Outlook365Simulator} parameters.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final Outlook365SimulatorExtension SIMULATOR = new Outlook365SimulatorExtension();
 * }</pre>
 *
 * Nested test classes share the outer class's simulator.
 */
public final class Outlook365SimulatorExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {

    private Outlook365Simulator simulator;
    private int depth;

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (depth++ == 0) {
            simulator = Outlook365Simulator.start();
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (--depth == 0 && simulator != null) {
            simulator.close();
            simulator = null;
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        simulator().reset();
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Outlook365Simulator.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        try {
            return simulator();
        } catch (IllegalStateException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
    }

    /** The running simulator; only between beforeAll and afterAll. */
    public synchronized Outlook365Simulator simulator() {
        if (simulator == null) {
            throw new IllegalStateException("The Outlook 365 simulator is not running: register the extension as a"
                    + " static field with @RegisterExtension");
        }
        return simulator;
    }
}

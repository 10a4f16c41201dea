package io.github.outlook365.camel;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;

/**
 * One thing an {@code outlook365:<resource>/<action>} URI can do: a trigger (used in {@code from}) or an action (used
 * in {@code to}).
 */
public final class Outlook365Operation {

    /** Builds the consumer of a trigger. */
    @FunctionalInterface
    public interface TriggerFactory {
        Consumer create(Outlook365Endpoint endpoint, Processor processor) throws Exception;
    }

    /** Builds the producer of an action. */
    @FunctionalInterface
    public interface ActionFactory {
        Producer create(Outlook365Endpoint endpoint) throws Exception;
    }

    private final String name;
    private final TriggerFactory trigger;
    private final ActionFactory action;

    private Outlook365Operation(String name, TriggerFactory trigger, ActionFactory action) {
        this.name = name;
        this.trigger = trigger;
        this.action = action;
    }

    public static Outlook365Operation trigger(String name, TriggerFactory factory) {
        return new Outlook365Operation(name, factory, null);
    }

    public static Outlook365Operation action(String name, ActionFactory factory) {
        return new Outlook365Operation(name, null, factory);
    }

    /** {@code resource/action}, e.g. {@code mail/received}. */
    public String name() {
        return name;
    }

    public boolean isTrigger() {
        return trigger != null;
    }

    Consumer createConsumer(Outlook365Endpoint endpoint, Processor processor) throws Exception {
        return trigger.create(endpoint, processor);
    }

    Producer createProducer(Outlook365Endpoint endpoint) throws Exception {
        return action.create(endpoint);
    }
}

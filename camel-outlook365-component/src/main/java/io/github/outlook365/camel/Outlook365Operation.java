package io.github.outlook365.camel;

import java.util.function.Supplier;

import io.github.outlook365.camel.auth.GraphPermission;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;

/**
 * One thing an {@code outlook365:<resource>/<action>} URI can do: a trigger (used in {@code from}) or an action (used
 * in {@code to}), registered with the Microsoft Graph permission it needs.
 */
public final class Outlook365Operation {

    /** Builds the consumer of a trigger. */
    @FunctionalInterface
    public interface TriggerFactory {
        Consumer create(Outlook365Endpoint endpoint, Processor processor) throws Exception;
    }

    private final String name;
    private final GraphPermission permission;
    private final TriggerFactory trigger;
    private final Supplier<? extends Outlook365Action> action;

    private Outlook365Operation(String name, GraphPermission permission, TriggerFactory trigger,
                                Supplier<? extends Outlook365Action> action) {
        this.name = name;
        this.permission = permission;
        this.trigger = trigger;
        this.action = action;
    }

    public static Outlook365Operation trigger(String name, GraphPermission permission, TriggerFactory factory) {
        return new Outlook365Operation(name, permission, factory, null);
    }

    /**
     * @param action a fresh action per endpoint: an action may keep what it resolved once for every exchange (a
     *               folder's id, a calendar's path)
     */
    public static Outlook365Operation action(String name, GraphPermission permission,
                                             Supplier<? extends Outlook365Action> action) {
        return new Outlook365Operation(name, permission, null, action);
    }

    /** {@code resource/action}, e.g. {@code mail/received}. */
    public String name() {
        return name;
    }

    /** The Graph permission the operation needs: checked when its route starts, named when Graph answers 403. */
    public GraphPermission permission() {
        return permission;
    }

    public boolean isTrigger() {
        return trigger != null;
    }

    Consumer createConsumer(Outlook365Endpoint endpoint, Processor processor) throws Exception {
        return trigger.create(endpoint, processor);
    }

    Producer createProducer(Outlook365Endpoint endpoint) {
        return new Outlook365Producer(endpoint, this, action.get());
    }
}

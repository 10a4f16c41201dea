package io.github.outlook365.camel.trigger;

import java.time.Duration;

/**
 * The leadership a node holds over a trigger state shared by a cluster ({@link JdbcTriggerStore}): the store's epoch
 * when this node took the trigger over, and whether another node has taken it since (then every write is refused with
 * a {@link TriggerFencedException}). The cluster service (a {@code master:} endpoint, a {@code ClusteredRoutePolicy})
 * decides who runs the trigger; the epoch only makes sure a node that lost the lead without noticing (paused by GC, cut
 * off) commits nothing over the new leader's state.
 */
public interface TriggerLeadership {

    /** The epoch this node leads the trigger with: one more than the previous leader's. */
    long epoch();

    /** This node, as the shared state names it. */
    String node();

    /** The newest epoch seen in the shared state: {@link #epoch()} unless another node took over. */
    long leaderEpoch();

    /** The node that leads the trigger as last seen: {@link #node()} unless another node took over. */
    String leaderNode();

    /** Whether another node took the trigger over: nothing more is committed or fired here. */
    boolean fenced();

    /**
     * Checks that this node still leads the trigger, asking the shared state when the last check (or fenced write) is
     * older than {@code maxAge}.
     *
     * @throws TriggerFencedException when another node took it over
     */
    void verify(Duration maxAge);
}

package io.github.outlook365.camel.trigger;

import io.github.outlook365.camel.Outlook365Exception;

/**
 * A write to a shared trigger state was refused: another node took the trigger over (its leadership epoch is newer
 * than the one this node started with). The trigger ends its round, fires nothing more and commits nothing more until
 * its route starts again.
 */
public class TriggerFencedException extends Outlook365Exception {

    private final String key;
    private final long epoch;
    private final long leaderEpoch;
    private final String leaderNode;

    public TriggerFencedException(String key, long epoch, long leaderEpoch, String leaderNode) {
        super("the trigger state '" + key + "' was taken over by " + leaderNode + " (leader epoch " + leaderEpoch
              + "; this node led with epoch " + epoch + "): this node commits nothing more for it");
        this.key = key;
        this.epoch = epoch;
        this.leaderEpoch = leaderEpoch;
        this.leaderNode = leaderNode;
    }

    public String key() {
        return key;
    }

    /** The epoch this node led with. */
    public long epoch() {
        return epoch;
    }

    /** The epoch of the node that took over. */
    public long leaderEpoch() {
        return leaderEpoch;
    }

    /** The node that took over. */
    public String leaderNode() {
        return leaderNode;
    }
}

package dev.keyfailover.pool;

/**
 * A mark that ran out of compare-and-set attempts: the store answered every time, but other marks
 * of the same entry (on this node or others) kept changing it between the read and the write.
 * Not a store that does not answer: the cluster has a newer state than the one the mark was
 * based on, and this node's view follows it.
 */
final class StateContention extends RuntimeException {

    private static final long serialVersionUID = 1L;

    StateContention(int attempts) {
        super("the entry kept changing under " + attempts + " compare-and-set attempts", null, false, false);
    }
}

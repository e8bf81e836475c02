package dev.keyfailover.pool;

/**
 * Where the states of a pool's keys live (behaviour.md §12): this node's memory
 * ({@link LocalKeyStateStore}, the default) or a cache shared by every node behind a load balancer
 * ({@link JCacheKeyStateStore}). Attempt counters stay per node either way; budget counts live
 * where the states do ({@link #budgetCounts()}). Only the pool package makes stores: how a store
 * holds a key's states is none of its users' business.
 */
public abstract class KeyStateStore implements AutoCloseable {

    KeyStateStore() {
    }

    /** The state holder of one key of a pool, made once when the pool is built. */
    abstract KeyStates statesOf(String providerName, Key key);

    /** Called once the pool has made the states of all its keys: a shared store loads what the cluster knows. */
    public void started() {
    }

    /**
     * The run-time changes of a route's keys as every node shares them (behaviour.md §14, across
     * nodes), handed to {@code listener} as they change, starting with what the store holds now;
     * empty for a store of this node alone.
     */
    public java.util.Optional<SharedKeyList> keyList(String providerName,
                                                     java.util.function.Consumer<KeyChanges> listener) {
        return java.util.Optional.empty();
    }

    /**
     * Where the route that calls it counts its budgets (behaviour.md §16): for the local store, a
     * fresh count in this node's memory; for a shared one, the cache every node counts in.
     */
    public BudgetCounts budgetCounts() {
        return new LocalBudgetCounts();
    }

    /** {@code local}, or what the shared store is (e.g. {@code jcache keyfailover-state}). */
    public abstract String description();

    /** Whether the store answers now; a local store always does. */
    public abstract boolean reachable();

    @Override
    public void close() {
    }
}

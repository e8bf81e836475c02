package dev.keyfailover.pool;

/**
 * Where the states of a pool's keys live (behaviour.md §12): this node's memory
 * ({@link LocalKeyStateStore}, the default) or a cache shared by every node behind a load balancer
 * ({@link JCacheKeyStateStore}). Counters stay per node either way.
 */
public interface KeyStateStore extends AutoCloseable {

    /** The state holder of one key of a pool, made once when the pool is built. */
    KeyStates statesOf(String providerName, Key key);

    /** Called once the pool has made the states of all its keys: a shared store loads what the cluster knows. */
    default void started() {
    }

    /** {@code local}, or what the shared store is (e.g. {@code jcache keyfailover-state}). */
    String description();

    /** Whether the store answers now; a local store always does. */
    boolean reachable();

    @Override
    default void close() {
    }
}

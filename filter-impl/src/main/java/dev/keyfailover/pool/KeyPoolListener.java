package dev.keyfailover.pool;

/** Hears that a pool's list changed (behaviour.md §14): the route's meters add and remove theirs. */
@FunctionalInterface
public interface KeyPoolListener {

    /** Called after the swap, on the thread that changed the list, never for an empty change. */
    void keysChanged(PoolChange change);
}

package dev.keyfailover.pool;

import java.util.List;

/** What a swap of a pool's list did: the keys it added (VALID) and those it retired. */
public record PoolChange(List<Key> added, List<Key> removed) {

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty();
    }
}

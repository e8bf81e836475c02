package dev.keyfailover.pool;

import java.time.Instant;
import java.util.Optional;

/** A pool's keys as their budgets see them (behaviour.md §16): found by their id, cooled when spent. */
public final class KeyBudgets {

    private final KeyPool pool;

    public KeyBudgets(KeyPool pool) {
        this.pool = pool;
    }

    /** The key of the pool now with this index and hint, if it is still there. */
    public Optional<Key> find(KeyId id) {
        for (Key key : pool.keys()) {
            if (key.index() == id.index() && key.hint().equals(id.hint())) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /**
     * Cools the key for every model until its budget's window resets: not capped by
     * {@code maxCooldown}, never probed before.
     *
     * @return whether this call set that cooldown (it is reported once)
     */
    public boolean spent(Key key, Instant reset) {
        return key.coolAllUntil(reset, pool.now());
    }

    /** Whether the key cools now until {@code reset} or later: its budget's cooldown. */
    public boolean coolingUntil(Key key, Instant reset) {
        Instant now = pool.now();
        return key.state(now) == KeyState.COOLING && !key.status().until().isBefore(reset);
    }
}

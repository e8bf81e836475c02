package dev.keyfailover.chain;

import java.time.Duration;
import java.util.Optional;

import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeyWalk;

/**
 * What {@link FailoverStrategy} may ask of the pool when a walk ran dry: questions about the keys'
 * states for this request's model, answered when asked (most exhaustions need only the first).
 * Read-only: the strategy marks nothing.
 */
interface PoolView {

    /** Whether a key this walk did not try is usable now. */
    boolean untriedKeyUsable();

    /** The time until the soonest cooldown that blocks this model ends; empty when none cools. */
    Optional<Duration> soonestCooldownEnd();

    /** Whether any key is usable for this model now (one tried earlier may have come back). */
    boolean anyKeyUsable();

    /** Whether a key refused this request for itself (a 403 {@code skip} and the like). */
    boolean refusedForItself();

    /** Whether any key's account is out of credit or quota, as a whole or for this model. */
    boolean anyKeyExhausted();

    /** How many keys the pool has. */
    int keyCount();

    /** How many of them an administrator disabled (behaviour.md §14). */
    int adminDisabledCount();

    /** The view of a pool through one request's walk. */
    static PoolView of(KeyWalk walk, KeyPool pool) {
        return new PoolView() {
            @Override
            public boolean untriedKeyUsable() {
                return walk.untriedKeyUsable();
            }

            @Override
            public Optional<Duration> soonestCooldownEnd() {
                return pool.soonestCooldownEnd(walk.model());
            }

            @Override
            public boolean anyKeyUsable() {
                return pool.anyKeyUsable(walk.model());
            }

            @Override
            public boolean refusedForItself() {
                return walk.refusedForItself();
            }

            @Override
            public boolean anyKeyExhausted() {
                return pool.anyKeyExhausted(walk.model());
            }

            @Override
            public int keyCount() {
                return pool.keys().size();
            }

            @Override
            public int adminDisabledCount() {
                return (int) pool.keys().stream().filter(key -> key.membership().isAdminDisabled()).count();
            }
        };
    }
}

package dev.keyfailover.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;

import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.settings.PoolSettings;

/**
 * The walk of one client request through the pool (behaviour.md §2): primary first, then each next
 * usable key after the last one tried, never the same key twice. Used by one thread; closing it
 * gives back a re-check probe that never got an answer.
 */
public final class KeyWalk implements AutoCloseable {

    private final KeyPool pool;
    private final BitSet tried;
    private int position;
    private Key probe;
    private boolean refused;

    KeyWalk(KeyPool pool) {
        this.pool = pool;
        this.tried = new BitSet(pool.keys().size());
    }

    /**
     * The next key to try: VALID, or DISABLED with its re-check due and no other probe in flight
     * (it is then this request's probe).
     *
     * @return the key, or {@code null} when the walk has run dry
     */
    public Key next() {
        Instant now = pool.now();
        List<Key> keys = pool.keys();
        boolean rechecks = pool.settings().authRecheck().isPresent();
        while (position < keys.size()) {
            Key key = keys.get(position++);
            if (key.isUsable(now)) {
                tried.set(key.index());
                return key;
            }
            if (rechecks && key.tryStartProbe(now)) {
                tried.set(key.index());
                probe = key;
                return key;
            }
        }
        return null;
    }

    /** Whether this request uses the key as a re-check probe. */
    public boolean isProbe(Key key) {
        return key == probe;
    }

    /**
     * Applies the judgement of an upstream answer to the key that was used, and counts it.
     *
     * @return whether the key changed state by this call (VALID→COOLING, →DISABLED, or a
     *     successful re-check back to VALID), so that transitions are logged once
     */
    public boolean record(Key key, int status, KeyVerdict verdict) {
        key.counters().record(status);
        boolean probing = takeProbe(key);
        Instant now = pool.now();
        PoolSettings settings = pool.settings();
        switch (verdict.action()) {
            case DISABLE:
                return key.disable(now, settings.authRecheck().orElse(null), settings.maxAuthRecheck());
            case COOL_DOWN:
                if (probing) {
                    // Still disabled (a 429 proves nothing about the key), but not re-checked before the advised wait.
                    key.postponeRecheck(now.plus(cappedCooldown(verdict.cooldown(), settings)));
                    return false;
                }
                return key.coolUntil(now.plus(cappedCooldown(verdict.cooldown(), settings)), now);
            case ACCEPT:
                if (probing && status < 500) {
                    return key.probeSucceeded();
                }
                if (probing) {
                    key.abandonProbe();
                }
                return false;
            default:
                refused = true;
                if (probing) {
                    key.abandonProbe();
                }
                return false;
        }
    }

    /** Counts a transport failure; it says nothing about the key, which stays as it is. */
    public void recordTransportFailure(Key key) {
        key.counters().record(-1);
        if (takeProbe(key)) {
            key.abandonProbe();
        }
    }

    /** Whether a key this request has not tried is VALID now (a cooldown ended during the walk). */
    public boolean untriedKeyUsable() {
        Instant now = pool.now();
        for (Key key : pool.keys()) {
            if (!tried.get(key.index()) && key.isUsable(now)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a key refused this request for itself only (a SKIP verdict, e.g. 403 {@code skip}). */
    public boolean refusedForItself() {
        return refused;
    }

    private boolean takeProbe(Key key) {
        if (key != probe) {
            return false;
        }
        probe = null;
        return true;
    }

    private static Duration cappedCooldown(Duration cooldown, PoolSettings settings) {
        return cooldown.compareTo(settings.maxCooldown()) > 0 ? settings.maxCooldown() : cooldown;
    }

    /** Gives back a probe that got no answer (aborted request, exception). */
    @Override
    public void close() {
        if (probe != null) {
            probe.abandonProbe();
            probe = null;
        }
    }
}

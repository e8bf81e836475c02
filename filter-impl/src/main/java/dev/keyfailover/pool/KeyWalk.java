package dev.keyfailover.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.api.RateLimits;
import dev.keyfailover.settings.PoolSettings;

/**
 * The walk of one client request through the pool (behaviour.md §2, §9, §10): the usable keys in
 * the pool's {@code keyOrder}, never the same key twice, skipping keys that cool for this
 * request's model. Used by one thread; closing it gives back a re-check probe that never got an
 * answer.
 */
public final class KeyWalk implements AutoCloseable {

    private final KeyPool pool;
    /** The pool's list as it stood when the walk started (behaviour.md §14). */
    private final List<Key> keys;
    private final String model;
    /** The order keys are tried in, by index; {@code null} for the configured order. */
    private final int[] order;
    private final BitSet tried;
    private int position;
    private Key probe;
    /** The re-check the probe is for: the whole key's, or this model's (behaviour.md §15). */
    private KeyRecheck probed;
    private boolean refused;

    KeyWalk(KeyPool pool, List<Key> keys, String model, int[] order) {
        this.pool = pool;
        this.keys = keys;
        this.model = model;
        this.order = order;
        this.tried = new BitSet(keys.size());
    }

    /** The model this request is for; {@code null} when unknown (then only the whole key counts). */
    public String model() {
        return model;
    }

    /**
     * The next key to try: usable for this model, or DISABLED or EXHAUSTED (as a whole, or for this
     * model only while usable otherwise) with its re-check due and no other probe in flight (it is
     * then this request's probe).
     *
     * @return the key, or {@code null} when the walk has run dry
     */
    public Key next() {
        Instant now = pool.now();
        while (position < keys.size()) {
            Key key = keys.get(order == null ? position : order[position]);
            position++;
            if (!key.membership().inService()) {
                continue;
            }
            if (key.isUsable(now, model)) {
                tried.set(key.index());
                return key;
            }
            KeyRecheck due = key.recheck();
            if (!due.tryStartProbe(now)) {
                due = model != null && key.isUsable(now) ? key.recheck(model, now) : null;
                if (due == null || due == key.recheck() || !due.tryStartProbe(now)) {
                    continue;
                }
            }
            tried.set(key.index());
            probe = key;
            probed = due;
            return key;
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
     * @return whether the key changed state by this call (→COOLING for the key or this model,
     *     →DISABLED, →EXHAUSTED, or a successful re-check back to VALID), so that transitions are
     *     logged and counted once
     */
    public boolean record(Key key, int status, KeyVerdict verdict) {
        key.counters().record(status);
        KeyRecheck probing = takeProbe(key);
        PoolSettings settings = pool.settings();
        // The clock is read only by the verdicts that change the key: one request's hot path accepts its answer.
        return switch (verdict.action()) {
            case DISABLE -> suspend(key.recheck(), KeyState.DISABLED, settings.authRecheck(), probing, pool.now());
            case EXHAUST -> {
                Instant now = pool.now();
                yield suspend(verdict.modelOnly() ? key.recheck(model, now) : key.recheck(),
                        KeyState.EXHAUSTED, settings.quotaRecheck(), probing, now);
            }
            case COOL_DOWN -> {
                Instant now = pool.now();
                Instant until = verdict.until() != null ? verdict.until() : now.plus(capped(verdict.cooldown(), settings));
                if (probing != null) {
                    // Still out of service (a 429 proves nothing about the key), but not re-checked before the advised wait.
                    probing.postponeRecheck(until);
                    yield false;
                }
                yield coolUntil(key, until, now);
            }
            // What the answer proves depends on why the key is out (behaviour.md §1, §9).
            case ACCEPT -> probing != null && probing.probeAnswered(status);
            case SKIP -> {
                refused = true;
                if (probing != null) {
                    probing.abandonProbe();
                }
                yield false;
            }
        };
    }

    /** Takes a scope out of service; a probe of another scope is given back (its lease would block re-checks). */
    private boolean suspend(KeyRecheck recheck, KeyState state, Optional<Duration> firstInterval, KeyRecheck probing,
                            Instant now) {
        boolean changed = recheck.suspend(state, now, firstInterval.orElse(null), pool.settings().maxAuthRecheck());
        if (probing != null && !probing.scope().equals(recheck.scope())) {
            probing.abandonProbe();
        }
        return changed;
    }

    /**
     * Keeps what an answer said of the key's limits (behaviour.md §10); a limit used up with a
     * known reset cools the key for this model (or as a whole, by {@code cooldownScope}) until
     * then, capped at {@code maxCooldown}, so the next request goes elsewhere without a 429.
     *
     * @return whether this cooled a key that was usable
     */
    public boolean observe(Key key, RateLimits limits) {
        if (limits.isEmpty()) {
            return false;
        }
        key.models().observe(model, limits);
        Optional<Instant> usedUp = limits.usedUpUntil();
        Instant now = pool.now();
        if (usedUp.isEmpty() || !usedUp.get().isAfter(now)) {
            return false;
        }
        Duration wait = capped(Duration.between(now, usedUp.get()), pool.settings());
        return coolUntil(key, now.plus(wait), now);
    }

    private boolean coolUntil(Key key, Instant until, Instant now) {
        if (model != null && pool.settings().cooldownScope() == PoolSettings.CooldownScope.MODEL) {
            return key.coolModelUntil(model, until, now);
        }
        return key.coolUntil(until, now);
    }

    /** Counts a transport failure; it says nothing about the key, which stays as it is. */
    public void recordTransportFailure(Key key) {
        key.counters().record(-1);
        KeyRecheck probing = takeProbe(key);
        if (probing != null) {
            probing.abandonProbe();
        }
    }

    /** Whether a key this request has not tried is usable for its model now (a cooldown ended during the walk). */
    public boolean untriedKeyUsable() {
        Instant now = pool.now();
        for (Key key : pool.keys()) {
            if (!tried.get(key.index()) && key.isUsable(now, model)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a key refused this request for itself only (a SKIP verdict, e.g. 403 {@code skip}). */
    public boolean refusedForItself() {
        return refused;
    }

    /** The re-check this key is probed for by this request, which is over; {@code null} when it is no probe. */
    private KeyRecheck takeProbe(Key key) {
        if (key != probe) {
            return null;
        }
        KeyRecheck recheck = probed;
        probe = null;
        probed = null;
        return recheck;
    }

    private static Duration capped(Duration cooldown, PoolSettings settings) {
        return cooldown.compareTo(settings.maxCooldown()) > 0 ? settings.maxCooldown() : cooldown;
    }

    /** Gives back a probe that got no answer (aborted request, exception). */
    @Override
    public void close() {
        if (probe != null) {
            probed.abandonProbe();
            probe = null;
            probed = null;
        }
    }
}

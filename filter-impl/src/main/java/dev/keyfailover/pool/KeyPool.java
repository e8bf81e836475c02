package dev.keyfailover.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.keyfailover.settings.PoolSettings;

/**
 * The ordered keys of one provider and their states (behaviour.md §1), shared by all requests to
 * that provider. Thread-safe without locks; all time comes from the {@link Clock}.
 */
public final class KeyPool {

    private final String providerName;
    private final List<Key> keys;
    private final Clock clock;
    private final PoolSettings settings;
    private final Sleeper sleeper;
    private final WalkOrder order;
    private final KeyStateStore store;

    /**
     * @param store where the keys' states live: this node's memory, or a store shared by nodes
     * @throws IllegalArgumentException when a key is blank or repeated; the message names the
     *     provider and the key's index, never the key
     */
    public KeyPool(String providerName, List<String> secrets, Clock clock, PoolSettings settings, Sleeper sleeper,
                   KeyStateStore store) {
        this.providerName = Objects.requireNonNull(providerName, "providerName");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        try {
            KeyList.check(secrets);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("provider '" + providerName + "': " + e.getMessage());
        }
        List<Key> keys = new ArrayList<>(secrets.size());
        for (int i = 0; i < secrets.size(); i++) {
            keys.add(new Key(i, secrets.get(i), providerName, store));
        }
        this.keys = List.copyOf(keys);
        this.order = WalkOrder.of(settings.keyOrder());
        this.store = store;
        store.started();
    }

    /** Starts the walk of one client request for this model ({@code null}: unknown), in the pool's {@code keyOrder}. */
    public KeyWalk walk(String model) {
        return new KeyWalk(this, model, order.of(keys, model, now()));
    }

    /** The keys in their configured order. */
    public List<Key> keys() {
        return keys;
    }

    public PoolSettings settings() {
        return settings;
    }

    Instant now() {
        return clock.instant();
    }

    /** A point-in-time view of every key, for the status page and tests. */
    public List<KeySnapshot> snapshot() {
        Instant now = now();
        List<KeySnapshot> view = new ArrayList<>(keys.size());
        for (Key key : keys) {
            view.add(KeySnapshot.of(key, now));
        }
        return view;
    }

    /** Where the keys' states live. */
    public KeyStateStore store() {
        return store;
    }

    /** An administrator's reset of one key to VALID. */
    public boolean reset(int index) {
        return keys.get(index).reset(now());
    }

    /**
     * Waits while keys cool (the failover decides whether and how long: behaviour.md §6,
     * {@code maxWaitForKey}). Holds no lock, so other requests go on meanwhile.
     */
    public void pause(Duration wait) throws InterruptedException {
        if (!wait.isZero() && !wait.isNegative()) {
            sleeper.sleep(wait);
        }
    }

    /**
     * The time until the soonest cooldown that blocks this model ends (the key's own or the
     * model's on it), or empty when no key cools for it now.
     */
    public Optional<Duration> soonestCooldownEnd(String model) {
        Instant now = now();
        Instant soonest = null;
        for (Key key : keys) {
            Instant ends = key.coolingEnds(model, now);
            if (ends != null && (soonest == null || ends.isBefore(soonest))) {
                soonest = ends;
            }
        }
        return soonest == null ? Optional.empty() : Optional.of(Duration.between(now, soonest));
    }

    /** Whether any key is usable for this model now. */
    public boolean anyKeyUsable(String model) {
        Instant now = now();
        for (Key key : keys) {
            if (key.isUsable(now, model)) {
                return true;
            }
        }
        return false;
    }

    /** Whether any key is EXHAUSTED (its account out of credit or quota). */
    public boolean anyKeyExhausted() {
        return anyKeyExhausted(null);
    }

    /**
     * Whether any key is EXHAUSTED as a whole, or for this model ({@code null}: unknown) alone
     * (its quota for that model is empty, behaviour.md §15).
     */
    public boolean anyKeyExhausted(String model) {
        for (Key key : keys) {
            if (key.isExhausted(model)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "KeyPool[" + providerName + ", " + keys.size() + " keys]";
    }
}

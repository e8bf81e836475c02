package dev.keyfailover.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.keyfailover.settings.PoolSettings;

/**
 * The ordered keys of one provider and their states (behaviour.md §1), shared by all requests to
 * that provider. Thread-safe without locks on the request path; all time comes from the
 * {@link Clock}. The list is immutable and swapped whole by {@link #replace} (behaviour.md §14): a
 * walk keeps the list it started with, a key kept keeps its object (state, counters, cooldowns), a
 * removed key is retired so that no walk picks it again.
 */
public final class KeyPool {

    private final String providerName;
    private volatile List<Key> keys;
    /** The next {@link Key#index()} never given: numbers are not reused. */
    private int nextIndex;
    private final List<KeyPoolListener> listeners = new CopyOnWriteArrayList<>();
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
        this(providerName, clock, settings, sleeper, store, KeyEntry.all(checked(providerName, secrets), KeySource.DEPLOY));
    }

    private static List<String> checked(String providerName, List<String> secrets) {
        try {
            KeyList.check(secrets);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("provider '" + providerName + "': " + e.getMessage());
        }
        return secrets;
    }

    /**
     * A pool whose keys come from several sources (behaviour.md §14).
     *
     * @throws IllegalArgumentException when a key is blank or repeated; the message names the
     *     provider and the key's index, never the key
     */
    public KeyPool(String providerName, Clock clock, PoolSettings settings, Sleeper sleeper, KeyStateStore store,
                   List<KeyEntry> entries) {
        this.providerName = Objects.requireNonNull(providerName, "providerName");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.store = Objects.requireNonNull(store, "store");
        this.order = WalkOrder.of(settings.keyOrder());
        this.keys = List.of();
        replace(entries);
        store.started();
    }

    /**
     * Swaps the list for this one (behaviour.md §14): a key already in the pool (the same secret)
     * keeps its object and so its state, counters and cooldowns; a new key starts VALID; a key left
     * out is retired, so no new walk gets it while walks under way finish with what they have. The
     * listeners hear of the change after the swap.
     *
     * @throws IllegalArgumentException when the list is empty, or a key is blank or repeated (the
     *     message names the index, never the key); the pool is then unchanged
     */
    public synchronized PoolChange replace(List<KeyEntry> entries) {
        List<String> secrets = new ArrayList<>(entries.size());
        for (KeyEntry entry : entries) {
            secrets.add(entry.secret());
        }
        checked(providerName, secrets);
        Map<String, Key> current = new HashMap<>();
        for (Key key : keys) {
            current.put(key.secret(), key);
        }
        List<Key> next = new ArrayList<>(entries.size());
        List<Key> added = new ArrayList<>();
        for (KeyEntry entry : entries) {
            Key key = current.remove(entry.secret());
            if (key == null) {
                key = new Key(nextIndex++, entry.secret(), providerName, store);
                added.add(key);
            }
            key.membership().describe(entry.source(), entry.label());
            next.add(key);
        }
        this.keys = List.copyOf(next);
        List<Key> removed = List.copyOf(current.values());
        for (Key key : removed) {
            key.membership().retire();
        }
        PoolChange change = new PoolChange(List.copyOf(added), removed);
        if (!change.isEmpty()) {
            for (KeyPoolListener listener : listeners) {
                listener.keysChanged(change);
            }
        }
        return change;
    }

    /** Hears of every later {@link #replace} that added or removed keys. */
    public void listen(KeyPoolListener listener) {
        listeners.add(listener);
    }

    /** The key with this fingerprint in the list now, if any. */
    public Optional<Key> find(String fingerprint) {
        for (Key key : keys) {
            if (key.fingerprint().equals(fingerprint)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /**
     * An administrator takes a key out of service, or gives it back (behaviour.md §14): while
     * disabled it is neither used nor re-checked.
     *
     * @return whether this call changed it
     */
    public boolean adminDisable(Key key, boolean disabled) {
        return key.membership().adminDisable(disabled);
    }

    /** Starts the walk of one client request for this model ({@code null}: unknown), in the pool's {@code keyOrder}. */
    public KeyWalk walk(String model) {
        List<Key> now = keys;
        return new KeyWalk(this, now, model, order.of(now, model, now()));
    }

    /** The keys in their configured order, as the list stands now (behaviour.md §14). */
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
        List<Key> current = keys;
        List<KeySnapshot> view = new ArrayList<>(current.size());
        for (int position = 0; position < current.size(); position++) {
            view.add(KeySnapshot.of(current.get(position), position, now));
        }
        return view;
    }

    /** Where the keys' states live. */
    public KeyStateStore store() {
        return store;
    }

    /** An administrator's reset of the key at this position to VALID. */
    public boolean reset(int position) {
        return reset(keys.get(position));
    }

    /** An administrator's reset of one key to VALID. */
    public boolean reset(Key key) {
        return key.reset(now());
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

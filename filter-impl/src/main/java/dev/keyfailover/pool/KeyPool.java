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

    /**
     * @throws IllegalArgumentException when a key is blank or repeated; the message names the
     *     provider and the key's index, never the key
     */
    public KeyPool(String providerName, List<String> secrets, Clock clock, PoolSettings settings, Sleeper sleeper) {
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
            keys.add(new Key(i, secrets.get(i)));
        }
        this.keys = List.copyOf(keys);
    }

    public KeyPool(String providerName, List<String> secrets, Clock clock, PoolSettings settings) {
        this(providerName, secrets, clock, settings, Sleeper.THREAD);
    }

    /** Starts the walk of one client request. */
    public KeyWalk walk() {
        return new KeyWalk(this);
    }

    /** The provider this pool belongs to. */
    public String providerName() {
        return providerName;
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

    /** An administrator's reset of one key to VALID. */
    public boolean reset(int index) {
        return keys.get(index).reset();
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

    /** The time until the soonest cooldown ends, or empty when no key is COOLING now. */
    public Optional<Duration> soonestCooldownEnd() {
        Instant now = now();
        Duration soonest = null;
        for (Key key : keys) {
            KeyStatus status = key.status();
            if (status.effectiveState(now) == KeyState.COOLING) {
                Duration remaining = Duration.between(now, status.until());
                if (soonest == null || remaining.compareTo(soonest) < 0) {
                    soonest = remaining;
                }
            }
        }
        return Optional.ofNullable(soonest);
    }

    /** Whether any key is VALID now. */
    public boolean anyKeyUsable() {
        Instant now = now();
        for (Key key : keys) {
            if (key.isUsable(now)) {
                return true;
            }
        }
        return false;
    }

    /** The instant until which a request starting now may wait for a key. */
    public Instant waitDeadline() {
        return now().plus(settings.maxWaitForKey());
    }

    @Override
    public String toString() {
        return "KeyPool[" + providerName + ", " + keys.size() + " keys]";
    }
}

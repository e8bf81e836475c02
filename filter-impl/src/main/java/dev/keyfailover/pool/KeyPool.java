package dev.keyfailover.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.keyfailover.api.KeyPoolException;

/**
 * The ordered keys of one provider and their states (SPEC section 1), shared by all requests to
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
        this.keys = List.copyOf(validated(providerName, secrets));
    }

    public KeyPool(String providerName, List<String> secrets, Clock clock, PoolSettings settings) {
        this(providerName, secrets, clock, settings, Sleeper.THREAD);
    }

    private static List<Key> validated(String providerName, List<String> secrets) {
        if (secrets.isEmpty()) {
            throw new IllegalArgumentException("provider '" + providerName + "': a key pool needs at least one key");
        }
        Set<String> seen = new HashSet<>();
        List<Key> keys = new ArrayList<>(secrets.size());
        for (int i = 0; i < secrets.size(); i++) {
            String secret = secrets.get(i);
            if (secret == null || secret.isBlank()) {
                throw new IllegalArgumentException("provider '" + providerName + "': key at index " + i + " is blank");
            }
            if (!seen.add(secret)) {
                throw new IllegalArgumentException("provider '" + providerName + "': key at index " + i
                        + " repeats an earlier key");
            }
            keys.add(new Key(i, secret));
        }
        return keys;
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
     * With {@code maxWaitForKey} set, waits for the soonest cooldown to end instead of failing
     * (SPEC section 6). Sleeps without holding any lock.
     *
     * @param exhaustion what the last walk ended with
     * @param deadline the latest instant this request may wait until
     * @return true when the caller should walk the pool again
     */
    public boolean awaitKey(KeyPoolException exhaustion, Instant deadline) throws InterruptedException {
        if (exhaustion.kind() != KeyPoolException.Kind.RATE_LIMITED || settings.maxWaitForKey().isZero()) {
            return false;
        }
        Duration wait = exhaustion.retryAfter();
        if (now().plus(wait).isAfter(deadline)) {
            return false;
        }
        if (!wait.isZero()) {
            sleeper.sleep(wait);
        }
        return true;
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

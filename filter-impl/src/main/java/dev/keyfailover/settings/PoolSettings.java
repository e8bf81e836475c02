package dev.keyfailover.settings;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Tunables of a key pool.
 *
 * @param authRecheck first wait before a DISABLED key is re-checked; empty for {@code never}
 * @param maxAuthRecheck the longest re-check interval after doubling
 * @param maxCooldown the cap on any cooldown upstream advises
 * @param maxWaitForKey how long a request may wait for a cooling key instead of failing; zero = off
 */
public record PoolSettings(Optional<Duration> authRecheck, Duration maxAuthRecheck, Duration maxCooldown,
                           Duration maxWaitForKey) {

    /** 15 minutes. */
    public static final Duration DEFAULT_AUTH_RECHECK = Duration.ofMinutes(15);
    /** 24 hours. */
    public static final Duration DEFAULT_MAX_AUTH_RECHECK = Duration.ofHours(24);
    /** 1 hour. */
    public static final Duration DEFAULT_MAX_COOLDOWN = Duration.ofHours(1);

    public PoolSettings {
        Objects.requireNonNull(authRecheck, "authRecheck");
        authRecheck.ifPresent(d -> Require.positive(d, "authRecheck"));
        Require.positive(maxAuthRecheck, "maxAuthRecheck");
        Require.positive(maxCooldown, "maxCooldown");
        Require.notNegative(maxWaitForKey, "maxWaitForKey");
    }

    /** The defaults of behaviour.md §1, §3 and §6. */
    public static PoolSettings defaults() {
        return new PoolSettings(Optional.of(DEFAULT_AUTH_RECHECK), DEFAULT_MAX_AUTH_RECHECK, DEFAULT_MAX_COOLDOWN,
                Duration.ZERO);
    }

    public PoolSettings withAuthRecheck(Optional<Duration> value) {
        return new PoolSettings(value, maxAuthRecheck, maxCooldown, maxWaitForKey);
    }

    public PoolSettings withMaxCooldown(Duration value) {
        return new PoolSettings(authRecheck, maxAuthRecheck, value, maxWaitForKey);
    }

    public PoolSettings withMaxWaitForKey(Duration value) {
        return new PoolSettings(authRecheck, maxAuthRecheck, maxCooldown, value);
    }
}

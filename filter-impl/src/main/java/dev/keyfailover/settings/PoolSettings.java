package dev.keyfailover.settings;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Tunables of a key pool.
 *
 * @param authRecheck first wait before a DISABLED key is re-checked; empty for {@code never}
 * @param maxAuthRecheck the longest re-check interval after doubling (DISABLED and EXHAUSTED)
 * @param maxCooldown the cap on any cooldown upstream advises
 * @param maxWaitForKey how long a request may wait for a cooling key instead of failing; zero = off
 * @param quotaRecheck first wait before an EXHAUSTED key is re-checked; empty for {@code never}
 * @param cooldownScope what a rate-limit mark cools: the pair (key, model) or the whole key
 * @param keyOrder which usable key a request tries first
 */
public record PoolSettings(Optional<Duration> authRecheck, Duration maxAuthRecheck, Duration maxCooldown,
                           Duration maxWaitForKey, Optional<Duration> quotaRecheck, CooldownScope cooldownScope,
                           KeyOrder keyOrder) {

    /** What a rate-limit mark cools (behaviour.md §9). */
    public enum CooldownScope {
        /** The pair (key, model): the key still serves other models. */
        MODEL,
        /** The whole key. */
        KEY
    }

    /** Which usable key a request tries first (behaviour.md §10). */
    public enum KeyOrder {
        /** The first usable key in the configured order. */
        PRIORITY,
        /** The key with the largest known share of its request limit left for the model. */
        HEADROOM,
        /** Each request starts one key further than the one before. */
        ROUND_ROBIN
    }

    /** 15 minutes. */
    public static final Duration DEFAULT_AUTH_RECHECK = Duration.ofMinutes(15);
    /** 1 hour. */
    public static final Duration DEFAULT_QUOTA_RECHECK = Duration.ofHours(1);
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
        Objects.requireNonNull(quotaRecheck, "quotaRecheck");
        quotaRecheck.ifPresent(d -> Require.positive(d, "quotaRecheck"));
        Objects.requireNonNull(cooldownScope, "cooldownScope");
        Objects.requireNonNull(keyOrder, "keyOrder");
    }

    /** The rules of behaviour.md §1 to §3 and §6 with the model, quota and order defaults of §9 and §10. */
    public PoolSettings(Optional<Duration> authRecheck, Duration maxAuthRecheck, Duration maxCooldown,
                        Duration maxWaitForKey) {
        this(authRecheck, maxAuthRecheck, maxCooldown, maxWaitForKey, Optional.of(DEFAULT_QUOTA_RECHECK),
                CooldownScope.MODEL, KeyOrder.PRIORITY);
    }

    /** The defaults of behaviour.md §1, §3, §6, §9 and §10. */
    public static PoolSettings defaults() {
        return new PoolSettings(Optional.of(DEFAULT_AUTH_RECHECK), DEFAULT_MAX_AUTH_RECHECK, DEFAULT_MAX_COOLDOWN,
                Duration.ZERO);
    }

    public PoolSettings withAuthRecheck(Optional<Duration> value) {
        return new PoolSettings(value, maxAuthRecheck, maxCooldown, maxWaitForKey, quotaRecheck, cooldownScope,
                keyOrder);
    }

    public PoolSettings withMaxCooldown(Duration value) {
        return new PoolSettings(authRecheck, maxAuthRecheck, value, maxWaitForKey, quotaRecheck, cooldownScope,
                keyOrder);
    }

    public PoolSettings withMaxWaitForKey(Duration value) {
        return new PoolSettings(authRecheck, maxAuthRecheck, maxCooldown, value, quotaRecheck, cooldownScope,
                keyOrder);
    }

    public PoolSettings withQuotaRecheck(Optional<Duration> value) {
        return new PoolSettings(authRecheck, maxAuthRecheck, maxCooldown, maxWaitForKey, value, cooldownScope,
                keyOrder);
    }

    public PoolSettings withCooldownScope(CooldownScope value) {
        return new PoolSettings(authRecheck, maxAuthRecheck, maxCooldown, maxWaitForKey, quotaRecheck, value,
                keyOrder);
    }

    public PoolSettings withKeyOrder(KeyOrder value) {
        return new PoolSettings(authRecheck, maxAuthRecheck, maxCooldown, maxWaitForKey, quotaRecheck, cooldownScope,
                value);
    }
}

package dev.keyfailover.config;

import java.time.Duration;
import java.util.Optional;

import dev.keyfailover.settings.PoolSettings;
import dev.keyfailover.settings.Require;

/**
 * Reads how a route's pool treats its keys: {@code authRecheck}, {@code maxCooldown},
 * {@code maxWaitForKey}, {@code quotaRecheck}, {@code cooldownScope}, {@code keyOrder} (behaviour.md §1, §3, §9).
 */
final class PoolConfig {

    private PoolConfig() {
    }

    static PoolSettings read(ParameterReader reader) throws ConfigException {
        PoolSettings poolDefaults = PoolSettings.defaults();
        Optional<Duration> recheck = reader.parse("authRecheck", value -> value.equalsIgnoreCase("never")
                ? Optional.<Duration>empty() : Optional.of(Require.positive(Values.duration(value), "authRecheck")))
                .orElse(poolDefaults.authRecheck());
        Duration maxCooldown = reader.parse("maxCooldown", value -> Require.positive(Values.duration(value),
                "maxCooldown")).orElse(poolDefaults.maxCooldown());
        Duration maxWait = reader.parse("maxWaitForKey", value -> Require.notNegative(Values.duration(value),
                "maxWaitForKey")).orElse(poolDefaults.maxWaitForKey());
        Optional<Duration> quotaRecheck = reader.parse("quotaRecheck", value -> value.equalsIgnoreCase("never")
                ? Optional.<Duration>empty() : Optional.of(Require.positive(Values.duration(value), "quotaRecheck")))
                .orElse(poolDefaults.quotaRecheck());
        PoolSettings.CooldownScope scope = reader.parse("cooldownScope",
                value -> Values.choice(value, PoolSettings.CooldownScope.class)).orElse(poolDefaults.cooldownScope());
        PoolSettings.KeyOrder order = reader.parse("keyOrder",
                value -> Values.choice(value, PoolSettings.KeyOrder.class)).orElse(poolDefaults.keyOrder());
        return new PoolSettings(recheck, poolDefaults.maxAuthRecheck(), maxCooldown, maxWait, quotaRecheck, scope,
                order);
    }
}

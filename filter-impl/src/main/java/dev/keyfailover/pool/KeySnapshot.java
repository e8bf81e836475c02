package dev.keyfailover.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.keyfailover.api.RateLimits;

/**
 * One key as it stands at an instant: masked hint, state, remaining wait, counters, and what is
 * known per model (cooldowns, the provider's rate-limit counts). Holds no secret.
 *
 * @param index the key's position in the pool's list now, from 0
 * @param state DISABLED too while an administrator has disabled it
 * @param cooldownRemaining COOLING: time until the key is valid again; DISABLED and EXHAUSTED:
 *     time until its re-check is due (zero when due or never); VALID: zero
 * @param recheckEnabled DISABLED and EXHAUSTED: whether the key will be re-checked at all
 * @param models per model ({@link Key#ANY_MODEL} for requests without one), by name
 * @param id the key's own number and hint, which stay when the list changes: what its usage is counted by
 */
public record KeySnapshot(int index, String hint, String fingerprint, KeyState state, Duration cooldownRemaining,
                          boolean recheckEnabled, long attempts, long successes, long failures, int lastStatus,
                          List<ModelSnapshot> models, KeyId id) {

    /**
     * What is known of one key for one model.
     *
     * @param cooldownRemaining time until the model's own cooldown on this key ends; zero when none
     * @param limits the provider's last word on the key's limits for the model; {@link RateLimits#NONE} when none
     */
    public record ModelSnapshot(String model, Duration cooldownRemaining, RateLimits limits) {
    }

    static KeySnapshot of(Key key, int position, Instant now) {
        KeyStatus status = key.status();
        KeyState state = key.membership().isAdminDisabled() ? KeyState.DISABLED : status.effectiveState(now);
        Duration remaining = Duration.ZERO;
        if (state != KeyState.VALID && status.until() != null && now.isBefore(status.until())) {
            remaining = Duration.between(now, status.until());
        }
        KeyCounters counters = key.counters();
        return new KeySnapshot(position, key.hint(), key.fingerprint(), state, remaining,
                !key.membership().isAdminDisabled() && (!status.isSuspended() || status.until() != null),
                counters.attempts(), counters.successes(), counters.failures(), counters.lastStatus(),
                models(key, now), key.id());
    }

    private static List<ModelSnapshot> models(Key key, Instant now) {
        Map<String, ModelSnapshot> byModel = new TreeMap<>();
        key.models().cooldowns(now).forEach((model, until) ->
                byModel.put(model, new ModelSnapshot(model, Duration.between(now, until), RateLimits.NONE)));
        key.models().allLimits().forEach((model, limits) -> {
            ModelSnapshot cooling = byModel.get(model);
            byModel.put(model, new ModelSnapshot(model, cooling == null ? Duration.ZERO : cooling.cooldownRemaining(),
                    limits));
        });
        return List.copyOf(new ArrayList<>(byModel.values()));
    }
}

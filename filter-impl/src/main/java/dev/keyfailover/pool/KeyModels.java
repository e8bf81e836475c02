package dev.keyfailover.pool;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.keyfailover.api.RateLimits;

/**
 * What one key keeps per model: the scopes of its states (in its {@link KeyStates}) and the
 * provider's last word on its limits. Model names come from clients, so both are bounded to
 * {@link Key#MAX_MODELS} per key: past it, {@link Key} marks the whole key instead of a new model,
 * and no new model's limits are kept. Which state a mark sets stays {@link Key}'s.
 */
final class KeyModels {

    private final KeyStates states;
    /** The provider's last word on the key's limits, per model ({@link Key#ANY_MODEL} when unknown); per node. */
    private final ConcurrentHashMap<String, RateLimits> limits = new ConcurrentHashMap<>();

    KeyModels(KeyStates states) {
        this.states = states;
    }

    /**
     * Whether the key may keep a state for this model: it has one already, or there is room for one,
     * after the models whose cooldowns ended (VALID again) are let go.
     */
    boolean hasRoomFor(String model, Instant now) {
        Map<String, KeyStatus> models = states.models();
        if (models.containsKey(model) || models.size() < Key.MAX_MODELS) {
            return true;
        }
        models.forEach((name, status) -> {
            if (status.effectiveState(now) == KeyState.VALID) {
                states.update(name, current -> current.effectiveState(now) == KeyState.VALID ? KeyStatus.VALID : current);
            }
        });
        return states.models().size() < Key.MAX_MODELS;
    }

    /** The cooldowns of single models that have not ended at {@code now}, by model name. */
    Map<String, Instant> cooldowns(Instant now) {
        Map<String, Instant> cooling = new TreeMap<>();
        states.models().forEach((model, status) -> {
            if (status.effectiveState(now) == KeyState.COOLING) {
                cooling.put(model, status.until());
            }
        });
        return cooling;
    }

    /** Keeps what the provider said about the key's limits for a model (for at most {@link Key#MAX_MODELS} models). */
    void observe(String model, RateLimits observed) {
        String scope = model == null ? Key.ANY_MODEL : model;
        if (limits.size() < Key.MAX_MODELS || limits.containsKey(scope)) {
            limits.put(scope, observed);
        }
    }

    /** The provider's last word on the key's limits for a model ({@code null}: unknown), or {@code null}. */
    RateLimits limits(String model) {
        return limits.get(model == null ? Key.ANY_MODEL : model);
    }

    /** Every model's last word, by model name (a copy). */
    Map<String, RateLimits> allLimits() {
        return new TreeMap<>(limits);
    }
}

package dev.keyfailover.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What an upstream answer means for the key that was used (behaviour.md §3).
 *
 * @param action what happens to the key and to the request
 * @param cooldown for {@link Action#COOL_DOWN}: the wait before the key is used again (the pool
 *     caps it at {@code maxCooldown}), {@link #DEFAULT_COOLDOWN} when none that is positive is given;
 *     {@link Duration#ZERO} for every other action
 * @param until for {@link Action#COOL_DOWN}: a deadline the provider knows (a daily quota's reset),
 *     which the pool keeps as it is, not capped by {@code maxCooldown} ({@link #coolDownUntil});
 *     {@code null} otherwise
 * @param modelOnly for {@link Action#EXHAUST}: the quota that ran out is the request's model's only
 *     (behaviour.md §15), so the key is set aside for that model and still serves others
 *     ({@link #exhaustModel()}); {@code false} otherwise
 */
public record KeyVerdict(Action action, Duration cooldown, Instant until, boolean modelOnly) {

    /** What happens to the key and to the request. */
    public enum Action {
        /** The answer goes to the client as it is; the key is fine (a re-check probe succeeded). */
        ACCEPT,
        /** The key is rate-limited: it cools down, and the request fails over to the next key. */
        COOL_DOWN,
        /** The key failed authentication: it is disabled, and the request fails over. */
        DISABLE,
        /** The key is refused for this request only: nothing is marked, the request fails over. */
        SKIP,
        /**
         * The key's account ran out of credit or quota: the whole key is set aside until its quota
         * re-check, and the request fails over (behaviour.md §9).
         */
        EXHAUST
    }

    /** The cooldown when upstream advises none that is usable: 60 seconds. */
    public static final Duration DEFAULT_COOLDOWN = Duration.ofSeconds(60);

    /** The verdict for every answer that is not a key problem. */
    public static final KeyVerdict ACCEPT = new KeyVerdict(Action.ACCEPT, Duration.ZERO);
    /** The verdict for an authentication failure. */
    public static final KeyVerdict DISABLE = new KeyVerdict(Action.DISABLE, Duration.ZERO);
    /** The verdict for a refusal that concerns this request only. */
    public static final KeyVerdict SKIP = new KeyVerdict(Action.SKIP, Duration.ZERO);
    /** The verdict for an account out of credit or quota. */
    public static final KeyVerdict EXHAUST = new KeyVerdict(Action.EXHAUST, Duration.ZERO);

    public KeyVerdict {
        Objects.requireNonNull(action, "action");
        if (action != Action.COOL_DOWN) {
            cooldown = Duration.ZERO;
            until = null;
        } else if (cooldown == null || cooldown.isZero() || cooldown.isNegative()) {
            cooldown = DEFAULT_COOLDOWN;
            until = null;
        }
        modelOnly = modelOnly && action == Action.EXHAUST;
    }

    /** A verdict of behaviour.md §3: no deadline of its own, nothing limited to a model. */
    public KeyVerdict(Action action, Duration cooldown) {
        this(action, cooldown, null, false);
    }

    /** A rate-limit verdict with the advised wait; {@code null}, zero or negative means the default. */
    public static KeyVerdict coolDown(Duration cooldown) {
        return new KeyVerdict(Action.COOL_DOWN, cooldown);
    }

    /**
     * A rate-limit verdict with a deadline the provider knows, such as the reset of a daily quota:
     * the key cools until then, not capped by {@code maxCooldown}. A deadline not after {@code now}
     * means the default cooldown.
     *
     * @param now the time the answer is judged at (the {@code now} a provider's judge is given)
     */
    public static KeyVerdict coolDownUntil(Instant until, Instant now) {
        Objects.requireNonNull(now, "now");
        if (until == null || !until.isAfter(now)) {
            return coolDown(null);
        }
        return new KeyVerdict(Action.COOL_DOWN, Duration.between(now, until), until, false);
    }

    /**
     * An empty quota for the request's model only (a quota of zero for it): the key is EXHAUSTED
     * for that model and re-checked after {@code quotaRecheck}, and still serves other models. A
     * request whose model is unknown sets the whole key aside, as {@link #EXHAUST}.
     */
    public static KeyVerdict exhaustModel() {
        return new KeyVerdict(Action.EXHAUST, Duration.ZERO, null, true);
    }
}

package dev.keyfailover.api;

import java.time.Duration;
import java.util.Objects;

/**
 * What an upstream answer means for the key that was used (behaviour.md §3).
 *
 * @param action what happens to the key and to the request
 * @param cooldown for {@link Action#COOL_DOWN}: the wait before the key is used again (the pool
 *     caps it), {@link #DEFAULT_COOLDOWN} when none that is positive is given;
 *     {@link Duration#ZERO} for every other action
 */
public record KeyVerdict(Action action, Duration cooldown) {

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
        } else if (cooldown == null || cooldown.isZero() || cooldown.isNegative()) {
            cooldown = DEFAULT_COOLDOWN;
        }
    }

    /** A rate-limit verdict with the advised wait; {@code null}, zero or negative means the default. */
    public static KeyVerdict coolDown(Duration cooldown) {
        return new KeyVerdict(Action.COOL_DOWN, cooldown);
    }
}

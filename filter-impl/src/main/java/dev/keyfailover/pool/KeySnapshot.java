package dev.keyfailover.pool;

import java.time.Duration;
import java.time.Instant;

/**
 * One key as it stands at an instant: masked hint, state, remaining wait and counters. Holds no
 * secret.
 *
 * @param cooldownRemaining COOLING: time until the key is valid again; DISABLED: time until its
 *     re-check is due (zero when due or never); VALID: zero
 * @param recheckEnabled DISABLED: whether the key will be re-checked at all
 */
public record KeySnapshot(int index, String hint, KeyState state, Duration cooldownRemaining,
                          boolean recheckEnabled, long attempts, long successes, long failures, int lastStatus) {

    static KeySnapshot of(Key key, Instant now) {
        KeyStatus status = key.status();
        KeyState state = status.effectiveState(now);
        Duration remaining = Duration.ZERO;
        if (state != KeyState.VALID && status.until() != null && now.isBefore(status.until())) {
            remaining = Duration.between(now, status.until());
        }
        Key.KeyCounters counters = key.counters();
        return new KeySnapshot(key.index(), key.hint(), state, remaining,
                state != KeyState.DISABLED || status.until() != null,
                counters.attempts(), counters.successes(), counters.failures(), counters.lastStatus());
    }
}

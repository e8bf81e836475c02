package dev.keyfailover.pool;

import java.time.Duration;
import java.time.Instant;

/**
 * An immutable state of one key, swapped atomically so that concurrent marks see one winner.
 *
 * @param state the stored state; COOLING past its deadline is VALID in effect
 * @param until COOLING: the end of the cooldown; DISABLED and EXHAUSTED: when the re-check is due
 *     ({@code null} with re-checks off)
 * @param recheckInterval DISABLED and EXHAUSTED: the wait before the next re-check, doubled after
 *     each failure
 * @param probing DISABLED and EXHAUSTED: a request is re-checking the key right now
 */
record KeyStatus(KeyState state, Instant until, Duration recheckInterval, boolean probing) {

    static final KeyStatus VALID = new KeyStatus(KeyState.VALID, null, null, false);

    static KeyStatus cooling(Instant until) {
        return new KeyStatus(KeyState.COOLING, until, null, false);
    }

    static KeyStatus disabled(Instant due, Duration interval) {
        return suspended(KeyState.DISABLED, due, interval);
    }

    /** DISABLED or EXHAUSTED: out of ordinary traffic until a re-check succeeds. */
    static KeyStatus suspended(KeyState state, Instant due, Duration interval) {
        return new KeyStatus(state, due, interval, false);
    }

    boolean isSuspended() {
        return state == KeyState.DISABLED || state == KeyState.EXHAUSTED;
    }

    KeyStatus withProbing(boolean value) {
        return new KeyStatus(state, until, recheckInterval, value);
    }

    /** The state as it stands at {@code now}: an ended cooldown reads as VALID. */
    KeyState effectiveState(Instant now) {
        if (state == KeyState.COOLING && !now.isBefore(until)) {
            return KeyState.VALID;
        }
        return state;
    }

    boolean isRecheckDue(Instant now) {
        return isSuspended() && until != null && !probing && !now.isBefore(until);
    }
}

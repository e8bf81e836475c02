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
 * @param probeLease DISABLED and EXHAUSTED: a request (on this or another node) is re-checking the
 *     key, until this instant at the latest; {@code null} when none is. A lease, not a flag, so
 *     that a probe whose node went away does not block re-checks forever.
 */
record KeyStatus(KeyState state, Instant until, Duration recheckInterval, Instant probeLease) {

    static final KeyStatus VALID = new KeyStatus(KeyState.VALID, null, null, null);

    /** How long a re-check probe may hold the key before another request may probe it. */
    static final Duration PROBE_LEASE = Duration.ofMinutes(15);

    static KeyStatus cooling(Instant until) {
        return new KeyStatus(KeyState.COOLING, until, null, null);
    }

    /** DISABLED or EXHAUSTED: out of ordinary traffic until a re-check succeeds. */
    static KeyStatus suspended(KeyState state, Instant due, Duration interval) {
        return new KeyStatus(state, due, interval, null);
    }

    boolean isSuspended() {
        return state == KeyState.DISABLED || state == KeyState.EXHAUSTED;
    }

    /** Holds a probe lease from {@code now}, or ({@code null}) gives it back. */
    KeyStatus withProbe(Instant now) {
        return new KeyStatus(state, until, recheckInterval, now == null ? null : now.plus(PROBE_LEASE));
    }

    /** Whether a probe holds the key (its lease may have lapsed: see {@link #isRecheckDue}). */
    boolean probing() {
        return probeLease != null;
    }

    /** The state as it stands at {@code now}: an ended cooldown reads as VALID. */
    KeyState effectiveState(Instant now) {
        if (state == KeyState.COOLING && !now.isBefore(until)) {
            return KeyState.VALID;
        }
        return state;
    }

    boolean isRecheckDue(Instant now) {
        return isSuspended() && until != null && !now.isBefore(until)
                && (probeLease == null || !now.isBefore(probeLease));
    }
}

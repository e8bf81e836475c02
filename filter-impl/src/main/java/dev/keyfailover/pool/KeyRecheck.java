package dev.keyfailover.pool;

import java.time.Duration;
import java.time.Instant;

/**
 * The re-check of one key out of service (behaviour.md §1 "Re-checks", §9): taking it out as
 * DISABLED or EXHAUSTED with a re-check wait that doubles after each failure, one probe at a time
 * under a lease, and what a probe's answer proves. The key's other concern, cooling for a while,
 * stays in {@link Key}. Every change is one compare-and-set of one scope's status: the whole key's
 * ({@link Key#ANY_MODEL}), or one model's when only that model's quota is empty (behaviour.md §15).
 */
final class KeyRecheck {

    private final KeyStates states;
    private final String scope;

    KeyRecheck(KeyStates states, String scope) {
        this.states = states;
        this.scope = scope;
    }

    /** The scope whose status this re-check changes. */
    String scope() {
        return scope;
    }

    /**
     * Takes the key out of ordinary traffic as DISABLED (authentication) or EXHAUSTED (quota).
     * When it was being re-checked in that same state, the re-check interval doubles (capped).
     *
     * @param firstInterval the first re-check wait; {@code null} for no re-checks
     * @return whether this call moved the key into {@code state} from another state
     */
    boolean suspend(KeyState state, Instant now, Duration firstInterval, Duration maxInterval) {
        KeyStates.Transition change = states.update(scope, current -> {
            if (current.state() != state) {
                return firstInterval == null
                        ? KeyStatus.suspended(state, null, null)
                        : KeyStatus.suspended(state, now.plus(firstInterval), firstInterval);
            }
            if (!current.probing() || current.recheckInterval() == null) {
                return current;
            }
            Duration doubled = current.recheckInterval().multipliedBy(2);
            Duration next = doubled.compareTo(maxInterval) > 0 ? maxInterval : doubled;
            return KeyStatus.suspended(state, now.plus(next), next);
        });
        return change.before().state() != state;
    }

    /** Reserves the key for a re-check probe when one is due and none holds it (on any node). */
    boolean tryStartProbe(Instant now) {
        if (!states.get(scope).isRecheckDue(now)) {
            return false;
        }
        KeyStates.Transition change = states.update(scope,
                current -> current.isRecheckDue(now) ? current.withProbe(now) : current);
        return change.changed();
    }

    /**
     * Ends a probe whose answer was no failure of the key. The answer brings the key back only when
     * it proves what the key was out for: a DISABLED key authenticated with any answer below 500
     * (a 400 or 404 too); an EXHAUSTED key has credit only when the answer is a 2xx, since a plain
     * 400 may refuse the request before the account's balance is looked at. Otherwise the key stays
     * out and its re-check stays due.
     *
     * @return whether the key became VALID by this call
     */
    boolean probeAnswered(int status) {
        KeyStates.Transition change = states.update(scope, current -> {
            if (!current.isSuspended() || !current.probing()) {
                return current;
            }
            return proves(current.state(), status) ? KeyStatus.VALID : current.withProbe(null);
        });
        return change.after().equals(KeyStatus.VALID) && change.changed();
    }

    private static boolean proves(KeyState state, int status) {
        return switch (state) {
            case DISABLED -> status < 500;
            case EXHAUSTED -> status >= 200 && status < 300;
            case VALID, COOLING -> false;
        };
    }

    /** Ends a probe that proved nothing: the key stays out of service and its re-check stays due. */
    void abandonProbe() {
        states.update(scope, current -> current.isSuspended() && current.probing() ? current.withProbe(null) : current);
    }

    /**
     * Ends a probe that was rate-limited: the key stays out of service and its next re-check is
     * due no earlier than {@code notBefore}.
     */
    void postponeRecheck(Instant notBefore) {
        states.update(scope, current -> {
            if (!current.isSuspended() || !current.probing()) {
                return current;
            }
            Instant due = current.until() == null || current.until().isBefore(notBefore) ? notBefore : current.until();
            return KeyStatus.suspended(current.state(), due, current.recheckInterval());
        });
    }
}

package dev.keyfailover.pool;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * One API key of a pool with its state. Every state change is one compare-and-set of an immutable
 * {@link KeyStatus}, so that among concurrent marks exactly one reports the transition.
 *
 * <p>{@link #toString()} shows the masked hint only; the secret is reachable through
 * {@link #secret()} alone, which only the failover handler calls, to put it on a request.
 */
public final class Key {

    private final int index;
    private final String secret;
    private final String hint;
    private final AtomicReference<KeyStatus> status = new AtomicReference<>(KeyStatus.VALID);
    private final KeyCounters counters = new KeyCounters();

    Key(int index, String secret) {
        this.index = index;
        this.secret = secret;
        this.hint = KeyHint.of(secret);
    }

    /** The key's position in the configured list, from 0. */
    public int index() {
        return index;
    }

    /** The masked hint, safe to show anywhere. */
    public String hint() {
        return hint;
    }

    /** The secret itself: only for putting on an outgoing request. */
    public String secret() {
        return secret;
    }

    /** The state at {@code now}. */
    public KeyState state(Instant now) {
        return status.get().effectiveState(now);
    }

    /** Counters of this key's attempts. */
    public KeyCounters counters() {
        return counters;
    }

    KeyStatus status() {
        return status.get();
    }

    /** Whether ordinary traffic may use the key at {@code now}. */
    boolean isUsable(Instant now) {
        return state(now) == KeyState.VALID;
    }

    /**
     * Cools the key down until {@code until}. An existing later deadline is kept; a DISABLED key
     * stays disabled.
     *
     * @return whether this call moved the key from VALID to COOLING
     */
    boolean coolUntil(Instant until, Instant now) {
        KeyStatus[] before = new KeyStatus[1];
        KeyStatus after = update(current -> {
            before[0] = current;
            if (current.state() == KeyState.DISABLED) {
                return current;
            }
            if (current.effectiveState(now) == KeyState.COOLING && !current.until().isBefore(until)) {
                return current;
            }
            return KeyStatus.cooling(until);
        });
        return before[0].effectiveState(now) == KeyState.VALID && after.state() == KeyState.COOLING;
    }

    /**
     * Disables the key. When it was being re-checked, the re-check interval doubles (capped).
     *
     * @param firstInterval the first re-check wait; {@code null} for no re-checks
     * @return whether this call moved the key into DISABLED from another state
     */
    boolean disable(Instant now, Duration firstInterval, Duration maxInterval) {
        KeyStatus[] before = new KeyStatus[1];
        update(current -> {
            before[0] = current;
            if (current.state() != KeyState.DISABLED) {
                return firstInterval == null
                        ? KeyStatus.disabled(null, null)
                        : KeyStatus.disabled(now.plus(firstInterval), firstInterval);
            }
            if (!current.probing() || current.recheckInterval() == null) {
                return current;
            }
            Duration doubled = current.recheckInterval().multipliedBy(2);
            Duration next = doubled.compareTo(maxInterval) > 0 ? maxInterval : doubled;
            return KeyStatus.disabled(now.plus(next), next);
        });
        return before[0].state() != KeyState.DISABLED;
    }

    /** Reserves the key for a re-check probe when one is due and none is in flight. */
    boolean tryStartProbe(Instant now) {
        KeyStatus current = status.get();
        return current.isRecheckDue(now) && status.compareAndSet(current, current.withProbing(true));
    }

    /**
     * Ends a probe that proved the key authenticates.
     *
     * @return whether the key became VALID by this call
     */
    boolean probeSucceeded() {
        KeyStatus[] before = new KeyStatus[1];
        update(current -> {
            before[0] = current;
            return current.state() == KeyState.DISABLED && current.probing() ? KeyStatus.VALID : current;
        });
        return before[0].state() == KeyState.DISABLED && before[0].probing();
    }

    /** Ends a probe that proved nothing: the key stays disabled and its re-check stays due. */
    void abandonProbe() {
        update(current -> current.state() == KeyState.DISABLED && current.probing()
                ? current.withProbing(false)
                : current);
    }

    /**
     * Ends a probe that was rate-limited: the key stays disabled and its next re-check is due no
     * earlier than {@code notBefore}.
     */
    void postponeRecheck(Instant notBefore) {
        update(current -> {
            if (current.state() != KeyState.DISABLED || !current.probing()) {
                return current;
            }
            Instant due = current.until() == null || current.until().isBefore(notBefore) ? notBefore : current.until();
            return KeyStatus.disabled(due, current.recheckInterval());
        });
    }

    /** Back to VALID whatever the state: an administrator's reset. */
    boolean reset() {
        return status.getAndSet(KeyStatus.VALID).state() != KeyState.VALID;
    }

    private KeyStatus update(UnaryOperator<KeyStatus> change) {
        while (true) {
            KeyStatus current = status.get();
            KeyStatus next = change.apply(current);
            if (next == current || status.compareAndSet(current, next)) {
                return next;
            }
        }
    }

    @Override
    public String toString() {
        return "Key[" + index + " " + hint + " " + status.get().state() + "]";
    }

    /** Attempt counters of one key, for the status page and metrics. */
    public static final class KeyCounters {
        private final AtomicLong attempts = new AtomicLong();
        private final AtomicLong successes = new AtomicLong();
        private final AtomicLong failures = new AtomicLong();
        private volatile int lastStatus;

        void record(int statusCode) {
            attempts.incrementAndGet();
            if (statusCode >= 200 && statusCode < 400) {
                successes.incrementAndGet();
            } else {
                failures.incrementAndGet();
            }
            lastStatus = statusCode;
        }

        /** Attempts made with the key. */
        public long attempts() {
            return attempts.get();
        }

        /** Attempts answered with 2xx or 3xx. */
        public long successes() {
            return successes.get();
        }

        /** Attempts answered otherwise, or failed in transport. */
        public long failures() {
            return failures.get();
        }

        /** The last upstream status; 0 before any attempt, -1 after a transport failure. */
        public int lastStatus() {
            return lastStatus;
        }
    }
}

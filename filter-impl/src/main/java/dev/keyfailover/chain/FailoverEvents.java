package dev.keyfailover.chain;

import java.util.Objects;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.pool.Key;

/**
 * What the chain reports about upstream attempts and key transitions, to whoever listens: the
 * log ({@link FailoverLog}, always) and the meters ({@code metrics.FailoverMeters}, when a route
 * has them). Called on the request's thread, in the order things happen; a transition is reported
 * once, by the request whose mark made it (the pool says which). Keys appear as {@link Key}, whose
 * text is its masked hint. Implementations must be cheap and must not throw.
 */
public interface FailoverEvents {

    /** Listens to nothing. */
    FailoverEvents NONE = new FailoverEvents() {
    };

    /**
     * An answer to an attempt with a pool key, judged.
     *
     * @param transition whether the mark made by this verdict changed the key's state (→COOLING
     *     for the key or this model, →DISABLED, →EXHAUSTED, a re-check back to VALID)
     * @param probe whether the attempt was the key's re-check
     * @param upstreamNanos request sent to response head received; 0 when not measured
     */
    default void attempt(Key key, int status, KeyVerdict verdict, boolean transition, boolean probe,
                         long upstreamNanos) {
    }

    /** An attempt with a pool key that failed in transport (no answer, or its error body could not be read). */
    default void transportFailure(Key key, long upstreamNanos) {
    }

    /** An answer's rate-limit headers said a limit is used up: the key (or this model on it) started cooling. */
    default void limitUsedUp(Key key, String model) {
    }

    /** The walk ran dry: the proxy answers with this exhaustion. */
    default void exhausted(KeyPoolExhaustion exhaustion, int attempts) {
    }

    /** The walk ran dry after a key refused this request for itself: that refusal goes to the client. */
    default void refusalRelayed(int attempts) {
    }

    /**
     * An attempt sent without a pool key (BYOK, or a route without a pool): nothing is judged.
     *
     * @param status the answer's status, {@code -1} for a transport failure
     */
    default void directAttempt(int status, long upstreamNanos) {
    }

    /** Both, {@code first} first; {@link #NONE} is left out. */
    static FailoverEvents both(FailoverEvents first, FailoverEvents second) {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(second, "second");
        if (first == NONE) {
            return second;
        }
        if (second == NONE) {
            return first;
        }
        return new FailoverEvents() {
            @Override
            public void attempt(Key key, int status, KeyVerdict verdict, boolean transition, boolean probe,
                                long upstreamNanos) {
                first.attempt(key, status, verdict, transition, probe, upstreamNanos);
                second.attempt(key, status, verdict, transition, probe, upstreamNanos);
            }

            @Override
            public void transportFailure(Key key, long upstreamNanos) {
                first.transportFailure(key, upstreamNanos);
                second.transportFailure(key, upstreamNanos);
            }

            @Override
            public void limitUsedUp(Key key, String model) {
                first.limitUsedUp(key, model);
                second.limitUsedUp(key, model);
            }

            @Override
            public void exhausted(KeyPoolExhaustion exhaustion, int attempts) {
                first.exhausted(exhaustion, attempts);
                second.exhausted(exhaustion, attempts);
            }

            @Override
            public void refusalRelayed(int attempts) {
                first.refusalRelayed(attempts);
                second.refusalRelayed(attempts);
            }

            @Override
            public void directAttempt(int status, long upstreamNanos) {
                first.directAttempt(status, upstreamNanos);
                second.directAttempt(status, upstreamNanos);
            }
        };
    }
}

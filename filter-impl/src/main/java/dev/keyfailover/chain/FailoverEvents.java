package dev.keyfailover.chain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.pool.KeyId;

/**
 * What the chain reports about upstream attempts and key transitions, to whoever listens: the
 * log ({@link FailoverLog} and, for the lines an outage repeats, {@link OutageLog}: always) and
 * the meters ({@code metrics.FailoverMeters}, when a route has them). Called on the request's
 * thread, in the order things happen, every attempt from the one place that makes attempts
 * ({@link KeyFailoverExec}). Keys appear as {@link KeyId}: index and
 * masked hint, never the key. Implementations must be cheap and must not throw.
 */
public interface FailoverEvents {

    /** Listens to nothing. */
    FailoverEvents NONE = new FailoverEvents() {
    };

    /** An upstream attempt: answered and judged, failed in transport, or sent without a pool key. */
    default void attempt(AttemptReport attempt) {
    }

    /** An answer's rate-limit headers said a limit is used up: the key (or this model on it) started cooling. */
    default void limitUsedUp(KeyId key, String model) {
    }

    /** The walk ran dry: the proxy answers with this exhaustion. */
    default void exhausted(KeyPoolExhaustion exhaustion, int attempts) {
    }

    /** The walk ran dry after a key refused this request for itself: that refusal goes to the client. */
    default void refusalRelayed(int attempts) {
    }

    /** The request goes to the fallback route {@code to}, for this reason. */
    default void fallback(String to, FallbackReason reason) {
    }

    /**
     * A transient failure is retried (behaviour.md §18) after this wait.
     *
     * @param attempts the request's attempts so far
     * @param status the transient status; {@code -1} for a transport failure
     */
    default void retrying(int attempts, int status, Duration wait) {
    }

    /** The request's {@code requestBudget} ran out before its answer started: the proxy answers 504. */
    default void budgetSpent(int attempts) {
    }

    /** The key spent its {@code keyBudget} (behaviour.md §16): it cools for every model until {@code reset}. */
    default void keyBudgetSpent(KeyId key, String budget, Instant reset) {
    }

    /**
     * The breaker of this route and model opened (its requests go to the fallback for a cooldown)
     * or closed (a probe succeeded).
     */
    default void breaker(String model, boolean open) {
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
            public void attempt(AttemptReport attempt) {
                first.attempt(attempt);
                second.attempt(attempt);
            }

            @Override
            public void limitUsedUp(KeyId key, String model) {
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
            public void fallback(String to, FallbackReason reason) {
                first.fallback(to, reason);
                second.fallback(to, reason);
            }

            @Override
            public void breaker(String model, boolean open) {
                first.breaker(model, open);
                second.breaker(model, open);
            }

            @Override
            public void retrying(int attempts, int status, Duration wait) {
                first.retrying(attempts, status, wait);
                second.retrying(attempts, status, wait);
            }

            @Override
            public void budgetSpent(int attempts) {
                first.budgetSpent(attempts);
                second.budgetSpent(attempts);
            }

            @Override
            public void keyBudgetSpent(KeyId key, String budget, Instant reset) {
                first.keyBudgetSpent(key, budget, reset);
                second.keyBudgetSpent(key, budget, reset);
            }
        };
    }
}

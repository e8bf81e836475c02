package dev.keyfailover.chain;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;

import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.settings.RetrySettings;

/**
 * The retry decision of one route for failures that are not a key's fault (behaviour.md §18), a
 * pure function as {@link FailoverStrategy} is: which failures are transient, and whether and how
 * long to wait before the next attempt, from the retries so far, upstream's advised wait, the
 * request's budget and a jitter source. It waits, marks and releases nothing: {@link KeyFailoverExec}
 * does the I/O.
 */
final class RetryStrategy {

    private final RetrySettings settings;
    private final DoubleSupplier jitter;

    /** @param jitter uniform in [0, 1): the share of the backoff ceiling a retry waits */
    RetryStrategy(RetrySettings settings, DoubleSupplier jitter) {
        this.settings = settings;
        this.jitter = jitter;
    }

    RetrySettings settings() {
        return settings;
    }

    /**
     * Whether an answer so judged is a transient failure: a status in {@code transientStatuses}
     * that no key rule claims (a status {@code failoverOn} names is judged COOL_DOWN or SKIP, never
     * ACCEPT, so it follows that rule instead).
     */
    boolean isTransient(int status, KeyVerdict verdict) {
        return verdict.action() == KeyVerdict.Action.ACCEPT && settings.isTransient(status);
    }

    /** Whether an attempt that failed so may be retried: refused, reset, no head; never a timeout. */
    static boolean isTransient(TransportFailure failure) {
        return switch (failure) {
            case TRANSIENT -> true;
            case TIMEOUT, OTHER -> false;
        };
    }

    /**
     * What follows a transient failure: pass it on when retries are off; give up when they are
     * spent; pass it on when upstream advises a longer wait than {@code maxRetryWait}; else retry
     * after the advised wait, or a random one in [0, backoff·2^retriesSoFar], unless that wait
     * would reach the request's deadline.
     *
     * @param retriesSoFar the retries this request has had
     * @param advisedWait upstream's {@code Retry-After} (or {@code retry-after-ms}), if any
     * @param deadline when the request's budget runs out, if it has one
     */
    RetryStep afterTransientFailure(int retriesSoFar, Optional<Duration> advisedWait, Optional<Instant> deadline,
                                    Instant now) {
        if (settings.retries() == 0) {
            return RetryStep.PASS_ON;
        }
        if (retriesSoFar >= settings.retries()) {
            return RetryStep.GIVE_UP;
        }
        if (advisedWait.isPresent() && advisedWait.get().compareTo(settings.maxRetryWait()) > 0) {
            return RetryStep.PASS_ON;
        }
        Duration wait = advisedWait.orElseGet(() -> backoff(retriesSoFar));
        if (deadline.isPresent() && !now.plus(wait).isBefore(deadline.get())) {
            return RetryStep.OUT_OF_BUDGET;
        }
        return RetryStep.retryAfter(wait);
    }

    /** Full jitter: uniform in [0, backoff·2^retriesSoFar]. */
    Duration backoff(int retriesSoFar) {
        double ceiling = settings.backoff().toNanos() * Math.pow(2, retriesSoFar);
        double share = Math.min(Math.max(jitter.getAsDouble(), 0), 1);
        return Duration.ofNanos((long) (ceiling * share));
    }

    /** Whether the request's budget has run out: no further attempt starts. */
    static boolean outOfBudget(Optional<Instant> deadline, Instant now) {
        return deadline.isPresent() && !now.isBefore(deadline.get());
    }
}

package dev.keyfailover.chain;

import java.time.Duration;
import java.util.Objects;

/**
 * What follows a transient failure of a pool request, as {@link RetryStrategy} decides it
 * (behaviour.md §18).
 *
 * @param kind which of the four
 * @param delay for {@link Kind#RETRY}: how long to wait first; zero otherwise
 */
record RetryStep(Kind kind, Duration delay) {

    enum Kind {
        /** Wait, then try the next usable key. */
        RETRY,
        /** The retries are spent: the failure goes to the client, marked so that it does not retry in turn. */
        GIVE_UP,
        /** Not retried (retries off, or upstream asks for a longer wait than {@code maxRetryWait}): passed on as it is. */
        PASS_ON,
        /** The wait would outlast the request's budget: the proxy answers 504. */
        OUT_OF_BUDGET
    }

    static final RetryStep GIVE_UP = new RetryStep(Kind.GIVE_UP, Duration.ZERO);
    static final RetryStep PASS_ON = new RetryStep(Kind.PASS_ON, Duration.ZERO);
    static final RetryStep OUT_OF_BUDGET = new RetryStep(Kind.OUT_OF_BUDGET, Duration.ZERO);

    RetryStep {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(delay, "delay");
    }

    static RetryStep retryAfter(Duration delay) {
        return new RetryStep(Kind.RETRY, delay);
    }
}

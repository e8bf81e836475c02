package dev.keyfailover.chain;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

import dev.keyfailover.settings.RetrySettings;

/**
 * What bounds a pool request's attempts (behaviour.md §18): how many transient failures are
 * retried, after what wait and within what budget ({@code retries}), the share of a retry's backoff
 * ceiling it waits ({@code jitter}), and the route's {@code connectTimeout}, which what is left of
 * the request's budget may shorten for an attempt.
 *
 * @param jitter uniform in [0, 1): {@code ThreadLocalRandom} in production, a constant in tests
 */
record AttemptBounds(RetrySettings retries, Duration connectTimeout, DoubleSupplier jitter) {

    AttemptBounds {
        Objects.requireNonNull(retries, "retries");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(jitter, "jitter");
    }
}

package dev.keyfailover.chain;

import java.util.Objects;
import java.util.function.DoubleSupplier;

import dev.keyfailover.settings.RetrySettings;

/**
 * What bounds a pool request's attempts (behaviour.md §18): how many transient failures are
 * retried, after what wait and within what budget ({@code retries}), the share of a retry's backoff
 * ceiling it waits ({@code jitter}).
 *
 * @param jitter uniform in [0, 1): {@code ThreadLocalRandom} in production, a constant in tests
 */
record AttemptBounds(RetrySettings retries, DoubleSupplier jitter) {

    AttemptBounds {
        Objects.requireNonNull(retries, "retries");
        Objects.requireNonNull(jitter, "jitter");
    }
}

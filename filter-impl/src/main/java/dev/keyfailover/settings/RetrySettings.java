package dev.keyfailover.settings;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How a route retries failures that are not a key's fault (behaviour.md §18): a transient status,
 * a connection refused or reset, an answer that ends before its head.
 *
 * @param retries how many times one pool request is retried after a transient failure; 0 = never
 * @param transientStatuses the statuses that count as transient (unless {@code failoverOn} gives one a rule)
 * @param backoff the ceiling of the first retry's random wait, doubling for each retry after it
 * @param maxRetryWait the longest {@code Retry-After} a retry waits for; a longer one ends the retries
 * @param requestBudget the longest one request may take until its answer starts; empty for no bound
 */
public record RetrySettings(int retries, Set<Integer> transientStatuses, Duration backoff, Duration maxRetryWait,
                            Optional<Duration> requestBudget) {

    /** More retries than this only multiply an outage. */
    public static final int MAX_RETRIES = 10;
    /** 500, 502, 503, 504 and 529 (Anthropic's overload). */
    public static final Set<Integer> DEFAULT_TRANSIENT_STATUSES = Set.of(500, 502, 503, 504, 529);
    /** A longer first backoff, doubled for each retry, would hold a request for hours. */
    public static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    public static final Duration MAX_REQUEST_BUDGET = Duration.ofDays(1);
    public static final int DEFAULT_RETRIES = 2;
    public static final Duration DEFAULT_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_RETRY_WAIT = Duration.ofSeconds(10);

    public RetrySettings {
        Require.between(retries, 0, MAX_RETRIES, "retries", "retries");
        Objects.requireNonNull(transientStatuses, "transientStatuses");
        for (int status : transientStatuses) {
            Require.between(status, 400, 599, "transientStatuses", "(a 4xx or 5xx status)");
        }
        transientStatuses = Set.copyOf(transientStatuses);
        Require.atMost(Require.notNegative(backoff, "retryBackoff"), MAX_BACKOFF, "retryBackoff");
        Require.notNegative(maxRetryWait, "maxRetryWait");
        Objects.requireNonNull(requestBudget, "requestBudget");
        requestBudget.ifPresent(budget -> Require.atMost(Require.positive(budget, "requestBudget"), MAX_REQUEST_BUDGET,
                "requestBudget"));
    }

    /** The defaults of behaviour.md §18: 2 retries of 500, 502, 503, 504 and 529, 500 ms backoff, 10 s, no budget. */
    public static RetrySettings defaults() {
        return new RetrySettings(DEFAULT_RETRIES, DEFAULT_TRANSIENT_STATUSES, DEFAULT_BACKOFF, DEFAULT_MAX_RETRY_WAIT,
                Optional.empty());
    }

    /** No retries; the other settings at their defaults. */
    public static RetrySettings none() {
        return defaults().withRetries(0);
    }

    /** Whether a status counts as transient. */
    public boolean isTransient(int status) {
        return transientStatuses.contains(status);
    }

    public RetrySettings withRetries(int value) {
        return new RetrySettings(value, transientStatuses, backoff, maxRetryWait, requestBudget);
    }

    public RetrySettings withBackoff(Duration value) {
        return new RetrySettings(retries, transientStatuses, value, maxRetryWait, requestBudget);
    }

    public RetrySettings withMaxRetryWait(Duration value) {
        return new RetrySettings(retries, transientStatuses, backoff, value, requestBudget);
    }

    public RetrySettings withRequestBudget(Duration value) {
        return new RetrySettings(retries, transientStatuses, backoff, maxRetryWait, Optional.of(value));
    }
}

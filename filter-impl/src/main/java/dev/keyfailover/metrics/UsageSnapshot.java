package dev.keyfailover.metrics;

/**
 * What a key or a client used (behaviour.md §16), as the status page shows it.
 *
 * @param tokensToday input and output tokens of the current UTC day
 * @param requestsToday answers served today
 * @param tokens tokens since the route started
 * @param requests answers served since the route started
 */
public record UsageSnapshot(long tokensToday, long requestsToday, long tokens, long requests) {

    /** Nothing used yet. */
    public static final UsageSnapshot NONE = new UsageSnapshot(0, 0, 0, 0);
}

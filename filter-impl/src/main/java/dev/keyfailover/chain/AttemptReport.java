package dev.keyfailover.chain;

import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.pool.KeyId;

/**
 * One upstream attempt, as {@link FailoverEvents} hear of it, whoever's credential it carried.
 *
 * @param key the pool key it was sent with (index and hint); {@code null} for an attempt without
 *     one (BYOK, a route without a pool)
 * @param status the answer's status; {@code -1} when the attempt failed in transport (no answer,
 *     or its error body could not be read)
 * @param verdict what the answer meant for the key; {@code null} when nothing was judged (no pool
 *     key, or no answer)
 * @param transition whether the mark made by the verdict changed the key's state (→COOLING for the
 *     key or this model, →DISABLED, →EXHAUSTED, a re-check back to VALID): reported once, by the
 *     request whose mark made it
 * @param probe whether the attempt was the key's re-check
 * @param upstreamNanos request sent to response head received (or to the failure); 0 when not measured
 */
public record AttemptReport(KeyId key, int status, KeyVerdict verdict, boolean transition, boolean probe,
                            long upstreamNanos) {

    /** Whether the attempt carried a pool key. */
    public boolean pooled() {
        return key != null;
    }

    /** Whether the attempt got no answer. */
    public boolean transportFailed() {
        return status < 0;
    }
}

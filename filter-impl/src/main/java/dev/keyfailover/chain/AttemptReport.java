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
 * @param failure what kind of transport failure it was; {@code null} when answered
 * @param transientStatus whether the answer was a transient failure of the route (a status in
 *     {@code transientStatuses} no key rule claims, behaviour.md §18); only for pool keys
 */
public record AttemptReport(KeyId key, int status, KeyVerdict verdict, boolean transition, boolean probe,
                            long upstreamNanos, TransportFailure failure, boolean transientStatus) {

    /** An answered attempt, judged (a pool key) or not. */
    public static AttemptReport answered(KeyId key, int status, KeyVerdict verdict, boolean transition, boolean probe,
                                         long upstreamNanos, boolean transientStatus) {
        return new AttemptReport(key, status, verdict, transition, probe, upstreamNanos, null, transientStatus);
    }

    /** An attempt that got no answer, or whose error body could not be read. */
    public static AttemptReport failed(KeyId key, TransportFailure failure, long upstreamNanos) {
        return new AttemptReport(key, -1, null, false, false, upstreamNanos, failure, false);
    }

    /** Whether the attempt carried a pool key. */
    public boolean pooled() {
        return key != null;
    }

    /** Whether the attempt got no answer. */
    public boolean transportFailed() {
        return status < 0;
    }
}

package dev.keyfailover.chain;

import java.time.Clock;
import java.time.Duration;

import dev.keyfailover.api.RetryHints;
import org.apache.hc.core5.http.ClassicHttpResponse;

/**
 * The soonest {@code Retry-After} of the routes a request tried (behaviour.md §18): when no
 * fallback route serves, the client gets the first route's own answer with it. Made only for a
 * request sent on to a fallback.
 */
final class SoonestRetryAfter {

    private final Clock clock;
    private Duration soonest;

    /** @param own the first route's own answer; {@code null} when it gave none (then nothing is merged) */
    SoonestRetryAfter(ClassicHttpResponse own, Clock clock) {
        this.clock = clock;
        this.soonest = own == null ? null : RetryHints.advisedWait(own, clock.instant()).orElse(null);
    }

    /** A fallback route's refusal, {@code null} when it was too large to keep: its wait, if sooner. */
    void refused(ClassicHttpResponse refusal) {
        Duration wait = refusal == null ? null : RetryHints.advisedWait(refusal, clock.instant()).orElse(null);
        if (wait != null && soonest != null && wait.compareTo(soonest) < 0) {
            soonest = wait;
        }
    }

    /** The first route's own answer, which advised a wait, advises the soonest (whole seconds, rounded up). */
    void applyTo(ClassicHttpResponse own) {
        if (own != null && soonest != null && own.containsHeader("Retry-After")) {
            own.setHeader("Retry-After", Long.toString(soonest.toSeconds() + (soonest.toMillisPart() > 0 ? 1 : 0)));
        }
    }
}

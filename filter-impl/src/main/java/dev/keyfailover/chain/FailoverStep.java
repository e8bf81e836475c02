package dev.keyfailover.chain;

import java.time.Duration;
import java.util.Objects;

import dev.keyfailover.api.KeyPoolExhaustion;

/**
 * What the failover does when its walk of the pool runs dry, as {@link FailoverStrategy} decides
 * it: wait for a cooling key and walk again, relay the refusal a key made of this request, or
 * answer with the pool's exhaustion.
 *
 * @param kind which of the three
 * @param delay for {@link Kind#WAIT}: how long; zero otherwise
 * @param exhaustion why no key is left (for {@link Kind#WAIT}, what the answer would be now)
 */
record FailoverStep(Kind kind, Duration delay, KeyPoolExhaustion exhaustion) {

    enum Kind {
        /** Every key cools and one is back within {@code maxWaitForKey}: wait, then walk again. */
        WAIT,
        /** A key refused this request for itself: its answer explains more than the exhaustion would. */
        RELAY_REFUSAL,
        /** The proxy answers with the exhaustion, in the provider's format. */
        ANSWER_EXHAUSTION
    }

    FailoverStep {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(exhaustion, "exhaustion");
    }

    static FailoverStep waitFor(Duration wait, KeyPoolExhaustion exhaustion) {
        return new FailoverStep(Kind.WAIT, wait, exhaustion);
    }

    static FailoverStep relayRefusal(KeyPoolExhaustion exhaustion) {
        return new FailoverStep(Kind.RELAY_REFUSAL, Duration.ZERO, exhaustion);
    }

    static FailoverStep answer(KeyPoolExhaustion exhaustion) {
        return new FailoverStep(Kind.ANSWER_EXHAUSTION, Duration.ZERO, exhaustion);
    }
}

package dev.keyfailover.chain;

import java.time.Duration;

import dev.keyfailover.pool.Key;
import org.apache.hc.core5.http.ClassicHttpResponse;

/** What the failover does next, as {@link FailoverDecision} decides it. */
sealed interface FailoverStep {

    /** Send the request with this key. */
    record TryKey(Key key) implements FailoverStep {
    }

    /** Every key cools and one is back within {@code maxWaitForKey}: wait this long, then walk again. */
    record Wait(Duration duration) implements FailoverStep {
    }

    /**
     * Done: this goes to the client (an upstream answer, the explaining refusal, or an exhaustion
     * error); {@code servedBy} is the key whose answer it is, {@code null} for the proxy's own.
     */
    record Answer(ClassicHttpResponse response, Key servedBy) implements FailoverStep {
    }
}

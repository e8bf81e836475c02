package dev.keyfailover.chain;

import java.util.Objects;

/**
 * Per-provider settings of the failover handler.
 *
 * @param byokAllowed whether a client's own credential is honoured ({@code byok=allow}); when
 *     false, client credentials are stripped and the pool is used
 * @param bodyLimits how the body is buffered for replay
 */
public record FailoverSettings(boolean byokAllowed, BodyLimits bodyLimits) {

    public FailoverSettings {
        Objects.requireNonNull(bodyLimits, "bodyLimits");
    }

    public static FailoverSettings defaults() {
        return new FailoverSettings(true, BodyLimits.defaults());
    }
}

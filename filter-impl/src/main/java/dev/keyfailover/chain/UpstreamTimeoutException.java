package dev.keyfailover.chain;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;

import dev.keyfailover.settings.Durations;

/**
 * Upstream stayed silent past one of the route's three timeouts of an answer (behaviour.md §18,
 * Timeouts), thrown by the upstream connection ({@link MaskedConnections}); which one is
 * {@link #waitingFor()}, so that a caller tells them apart by type and field, never by message. A
 * timeout is never retried on the same route.
 */
public final class UpstreamTimeoutException extends SocketTimeoutException {

    private static final long serialVersionUID = 1L;

    /** What the proxy was waiting for. */
    public enum Wait {
        /** The answer's head ({@code responseTimeout}). */
        HEAD("responseTimeout", "no answer"),
        /** The first byte of a streamed answer's body, its head held back ({@code firstByteTimeout}). */
        FIRST_BYTE("firstByteTimeout", "no first byte of the answer's body"),
        /** More of an answer's body ({@code streamIdleTimeout}). */
        STREAM_IDLE("streamIdleTimeout", "silence inside the answer's body");

        private final String parameter;
        private final String what;

        Wait(String parameter, String what) {
            this.parameter = parameter;
            this.what = what;
        }

        /** The route parameter that sets this timeout. */
        public String parameter() {
            return parameter;
        }
    }

    private final Wait wait;
    private final Duration timeout;

    public UpstreamTimeoutException(Wait wait, Duration timeout) {
        super(Objects.requireNonNull(wait, "wait").what + " within " + Durations.text(timeout) + " ("
                + wait.parameter + ")");
        this.wait = wait;
        this.timeout = timeout;
    }

    public Wait waitingFor() {
        return wait;
    }

    /** The timeout that ran out. */
    public Duration timeout() {
        return timeout;
    }
}

package dev.keyfailover.settings;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the clients of a route (downstream, not upstream: see {@link ClientSettings}) may hold of
 * the node: how many requests at once, and how long one may keep a thread waiting on its socket.
 *
 * @param maxConcurrentStreams requests of the route in flight at once, streams included; more are
 *     refused at once with a 503. Empty for no limit (the container's thread pool is the limit)
 * @param clientIdleTimeout the longest a client may take to send its whole body, and the longest
 *     one write of the answer may stay blocked on a client that does not read
 */
public record InboundLimits(OptionalInt maxConcurrentStreams, Duration clientIdleTimeout) {

    /** 30 seconds. */
    public static final Duration DEFAULT_CLIENT_IDLE_TIMEOUT = Duration.ofSeconds(30);

    /**
     * The {@code Retry-After} of a refusal over {@code maxConcurrentStreams}: a permit frees as soon
     * as any stream of the route ends, so the honest advice is "soon", the shortest whole second.
     */
    public static final Duration OVERLOAD_RETRY_AFTER = Duration.ofSeconds(1);

    public InboundLimits {
        Objects.requireNonNull(maxConcurrentStreams, "maxConcurrentStreams");
        maxConcurrentStreams.ifPresent(limit -> Require.atLeastOne(limit, "maxConcurrentStreams", "stream"));
        Require.positive(clientIdleTimeout, "clientIdleTimeout");
    }
}

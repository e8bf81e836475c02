package dev.keyfailover.api;

/**
 * An error the proxy itself produces, as opposed to an answer from upstream. Each
 * {@link Provider} renders it in its API's error format ({@link Provider#failureResponse}).
 */
public enum ProxyFailure {
    /** The request cannot be forwarded as it is, e.g. a path that would leave the provider's base URL. */
    BAD_REQUEST(400),
    /** A method the proxy never forwards: TRACE would echo the pool key back, CONNECT would open a tunnel. */
    METHOD_NOT_ALLOWED(405),
    /** The client's body exceeds the configured limit. */
    REQUEST_TOO_LARGE(413),
    /** Upstream could not be reached, reset the connection, or answered something unreadable. */
    BAD_GATEWAY(502),
    /** Upstream did not answer within the response timeout. */
    GATEWAY_TIMEOUT(504),
    /** The client did not send its whole body within the route's {@code clientIdleTimeout}. */
    REQUEST_TIMEOUT(408),
    /**
     * The route already serves its {@code maxConcurrentStreams}: refused at once (with a short
     * {@code Retry-After}) instead of waiting unseen in the container's queue.
     */
    OVERLOADED(503),
    /**
     * The route takes client tokens and the request carried none, an unknown one, or one not
     * allowed on this route (behaviour.md §13): answered as the provider answers a bad API key.
     */
    UNAUTHORIZED(401),
    /**
     * The client's address sent too many unknown credentials within a minute (the route's
     * {@code authFailureLimit}, behaviour.md §13): refused for a minute, with {@code Retry-After}.
     */
    TOO_MANY_AUTH_FAILURES(429),
    /**
     * The client token's {@code clientBudget} is spent (behaviour.md §16): refused until its window
     * resets, with {@code Retry-After}, answered as the provider answers a rate limit.
     */
    CLIENT_BUDGET_SPENT(429);

    private final int status;

    ProxyFailure(int status) {
        this.status = status;
    }

    /** The HTTP status a client receives. */
    public int status() {
        return status;
    }
}

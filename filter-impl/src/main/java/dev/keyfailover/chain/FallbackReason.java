package dev.keyfailover.chain;

/** Why a request went to a fallback route (behaviour.md §18): the {@code reason} tag of {@code keyfailover.fallbacks}. */
public enum FallbackReason {
    /** No key of the route could serve and {@code maxWaitForKey} did not cover the wait. */
    EXHAUSTED("exhausted"),
    /** A transient failure (status, reset) outlived its retries. */
    TRANSIENT("transient"),
    /** The route did not answer in time. */
    TIMEOUT("timeout"),
    /** The answer's status or error code is one that {@code fallbackOn} names. */
    FALLBACK_ON("fallback_on"),
    /** The (route, model) breaker is open: the route was not tried. */
    BREAKER_OPEN("breaker_open");

    private final String tag;

    FallbackReason(String tag) {
        this.tag = tag;
    }

    /** The tag value. */
    public String tag() {
        return tag;
    }
}

package dev.keyfailover.metrics;

import dev.keyfailover.chain.Caller;
import dev.keyfailover.chain.Exchange;

/**
 * How one client request ended, as the {@code outcome} tag of {@link MeterNames#REQUESTS}; each
 * request is counted once. The client going away wins over everything; then the proxy's own
 * answers; then who answered.
 */
public enum RequestOutcome {
    /** Upstream's answer relayed, whatever its status: with the pool key that served, or on a route without a pool. */
    SERVED("served"),
    /** Upstream's answer relayed, sent with the client's own key. */
    BYOK("byok"),
    /** The pool ran dry: the proxy's exhaustion answer, or a key's refusal of this request relayed. */
    EXHAUSTED("exhausted"),
    /**
     * The proxy's own error answer: a request it does not forward (405, 400, 413), upstream not
     * reached or too slow (502, 504), or an upstream answer that broke off while relayed.
     */
    PROXY_ERROR("proxy_error"),
    /**
     * Refused for its credential on a route with client tokens (behaviour.md §13): no token, an
     * unknown one, one not for this route (401), or an address with too many failures (429).
     */
    UNAUTHORIZED("unauthorized"),
    /** Refused because the client token's {@code clientBudget} is spent (behaviour.md §16): 429 until it resets. */
    CLIENT_BUDGET("client_budget"),
    /** The client went away before its answer was written whole (while sending its body, or reading the answer). */
    CLIENT_ERROR("client_error");

    private final String tag;

    RequestOutcome(String tag) {
        this.tag = tag;
    }

    /** The tag value. */
    public String tag() {
        return tag;
    }

    /** The outcome of an exchange whose answer the chain returned and the client got whole. */
    public static RequestOutcome answered(Exchange exchange, Caller caller) {
        if (caller.refused()) {
            return UNAUTHORIZED;
        }
        if (caller.overBudget()) {
            return CLIENT_BUDGET;
        }
        return switch (exchange.origin()) {
            case EXHAUSTION -> EXHAUSTED;
            case PROXY -> PROXY_ERROR;
            case UPSTREAM -> exchange.byok() ? BYOK : SERVED;
        };
    }
}

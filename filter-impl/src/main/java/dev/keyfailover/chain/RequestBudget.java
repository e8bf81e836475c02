package dev.keyfailover.chain;

import java.time.Instant;

/**
 * A request's {@code requestBudget} as one route's exchange holds it (behaviour.md §18, The
 * request's budget): when it runs out, and, once it ran out before the answer started, what it ran
 * out waiting for, by which the breaker of the (route, model) counts the budget's 504
 * ({@link FallbackExec}). Made once per exchange of a request with a budget (a fallback route's
 * exchange has its own, with the same deadline); a request without one has none.
 */
final class RequestBudget {

    /** What a budget ran out waiting for; the breaker's count of the budget's 504 (behaviour.md §18, Breaker). */
    enum Cut {
        /**
         * The route's provider: a connect, the answer's head, a held-back first byte, or the wait
         * for a retry after a transient failure of this request on this route. A transient failure
         * of the (route, model), as a timeout is: a provider silent past every budget opens its
         * breaker, so that requests reach the fallback instead of spending their budget on it.
         */
        PROVIDER,
        /**
         * The route's own resources: a key of its pool ({@code maxWaitForKey}, a key's refusal),
         * a connection of its connection pool. Says nothing of the provider: neither a success
         * nor a failure (a probe is given back).
         */
        POOL
    }

    private final Instant deadline;
    private Cut cut;

    RequestBudget(Instant deadline) {
        this.deadline = deadline;
    }

    /** What the budget ran out waiting for, when the exchange's answer is the budget's 504; else {@code null}. */
    static Cut cutOf(Exchange exchange) {
        RequestBudget budget = exchange.budget();
        return budget == null ? null : budget.cut;
    }

    Instant deadline() {
        return deadline;
    }

    /** The budget ran out before the answer started, waiting for this. */
    void ranOut(Cut waitingFor) {
        this.cut = waitingFor;
    }
}

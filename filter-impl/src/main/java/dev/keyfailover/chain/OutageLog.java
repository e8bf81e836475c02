package dev.keyfailover.chain;

import java.time.Clock;

import dev.keyfailover.api.KeyPoolExhaustion;
import org.slf4j.event.Level;

/**
 * The failover's log lines that an outage repeats once per request (behaviour.md §8): no key left,
 * and the request's budget ran out. Each goes through a {@link LogThrottle} made in the route's
 * {@link ThrottledLines}, so an outage writes one line per kind per window, and the route's sweep
 * or its stop writes the count of those a later line did not take. The once-per-transition lines
 * are {@link FailoverLog}'s, which needs no sweep.
 */
final class OutageLog implements FailoverEvents {

    private final String providerName;
    private final LogThrottles exhaustions;
    private final LogThrottle budgetsSpent;

    /** @param lines the route's throttled lines, where this log's throttles are swept */
    OutageLog(String providerName, Clock clock, ThrottledLines lines) {
        this.providerName = providerName;
        this.exhaustions = lines.throttles(clock, FailoverLog.LOG, Level.WARN, providerName, "no key left: ");
        this.budgetsSpent = lines.throttle(clock, FailoverLog.LOG, Level.WARN, providerName, "requestBudget ran out");
    }

    @Override
    public void budgetSpent(int attempts) {
        long leftOut = budgetsSpent.occurred();
        if (leftOut != LogThrottle.COUNTED) {
            FailoverLog.LOG.warn("{}: requestBudget ran out after {} attempt(s), answering 504{}", providerName,
                    attempts, LogThrottle.summary(leftOut));
        }
    }

    @Override
    public void exhausted(KeyPoolExhaustion exhaustion, int attempts) {
        // Throttled by kind only: the detail's counts change from request to request.
        long leftOut = exhaustions.occurred(exhaustion.kind().name());
        if (leftOut != LogThrottle.COUNTED) {
            // What the client was told (e.g. keys an administrator disabled, §6), never a key.
            String told = exhaustion.detail() != null ? exhaustion.detail() : exhaustion.kind().message();
            FailoverLog.LOG.warn("{}: no key left after {} attempt(s): {} ({}, retry after {} ms){}", providerName,
                    attempts, told, exhaustion.kind(), exhaustion.retryAfter().toMillis(),
                    LogThrottle.summary(leftOut));
        }
    }
}

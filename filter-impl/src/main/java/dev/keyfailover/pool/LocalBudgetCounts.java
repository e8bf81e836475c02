package dev.keyfailover.pool;

import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Budget counts in this node's memory (behaviour.md §16): the counts of a route with
 * {@code stateStore=local}, lost on restart; and a shared store's copy of the cluster's counts,
 * read without a round trip.
 */
final class LocalBudgetCounts implements BudgetCounts {

    private final Map<String, BudgetCount> counts = new ConcurrentHashMap<>();

    @Override
    public long add(String owner, LocalDate window, long amount) {
        return counts.compute(owner, (o, count) -> (count == null ? BudgetCount.NONE : count).plus(window, amount))
                .in(window);
    }

    @Override
    public long spent(String owner, LocalDate window) {
        BudgetCount count = counts.get(owner);
        return count == null ? 0 : count.in(window);
    }

    /** Takes what the cluster counted, unless this copy already knows a later count. */
    void adopt(String owner, BudgetCount count) {
        counts.merge(owner, count, (mine, theirs) -> theirs.newerThan(mine) ? theirs : mine);
    }
}

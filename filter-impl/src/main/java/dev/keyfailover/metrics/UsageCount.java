package dev.keyfailover.metrics;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Tokens and requests of one key or client (behaviour.md §16): of today (a UTC day, swapped by
 * compare-and-set when a new day's first answer comes) and in all since the route started.
 */
final class UsageCount {

    private record Day(long day, long tokens, long requests) {
    }

    private final AtomicReference<Day> today = new AtomicReference<>(new Day(Long.MIN_VALUE, 0, 0));
    private final LongAdder tokens = new LongAdder();
    private final LongAdder requests = new LongAdder();

    void add(long day, long tokenCount) {
        tokens.add(tokenCount);
        requests.increment();
        today.updateAndGet(t -> t.day == day ? new Day(day, t.tokens + tokenCount, t.requests + 1)
                : new Day(day, tokenCount, 1));
    }

    UsageSnapshot snapshot(long day) {
        Day current = today.get();
        boolean isToday = current.day == day;
        return new UsageSnapshot(isToday ? current.tokens : 0, isToday ? current.requests : 0, tokens.sum(),
                requests.sum());
    }
}

package dev.keyfailover.chain;

import java.time.Clock;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.keyfailover.pool.RepeatedLines;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The throttled log lines of one route (behaviour.md §8): every {@link LogThrottle} of the route
 * is made here, so that one periodic task of the route ({@link #sweep()}, every
 * {@link #SWEEP_INTERVAL}) writes the count of a window no later line took, and the route's stop
 * ({@link #flush()}) writes what is still counted. No thread of its own: the route runs the sweep
 * on a thread it has anyway.
 */
public final class ThrottledLines {

    /** How often the route sweeps: a count is written within a window and this of its window's end. */
    public static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

    /** The route's one {@link ProviderFaults}, made on first use. */
    private volatile ProviderFaults providerFaults;

    /** Added to as kinds first occur (at most {@link LogThrottles#MAX_KINDS} per line), never removed. */
    private final Queue<LogThrottle> throttles = new ConcurrentLinkedQueue<>();

    /**
     * A throttle for one kind of line.
     *
     * @param log the logger the line is written to, at {@code level}; the sweep's line goes there too
     * @param route the route's name, which starts the sweep's line
     * @param what the kind of line, as the sweep's line names it: what the program or the configuration
     *     gives, never what a client sent
     */
    public LogThrottle throttle(Clock clock, Logger log, Level level, String route, String what) {
        LogThrottle throttle = new LogThrottle(clock, log, level, route, what);
        throttles.add(throttle);
        return throttle;
    }

    /** Throttles for one line by kind; a kind's sweep line names {@code what} followed by the kind. */
    public LogThrottles throttles(Clock clock, Logger log, Level level, String route, String what) {
        return new LogThrottles(this, clock, log, level, route, what);
    }

    /** The route's log of code that throws (a provider's bug), whose lines are throttled here; one per route. */
    public ProviderFaults providerFaults(Clock clock, String route) {
        ProviderFaults faults = providerFaults;
        if (faults == null) {
            synchronized (this) {
                if (providerFaults == null) {
                    providerFaults = new ProviderFaults(route, clock, this);
                }
                faults = providerFaults;
            }
        }
        return faults;
    }

    /**
     * The route's throttles as its shared state store asks for them (behaviour.md §12: contention
     * lines): the pool comes before this package and knows only {@link RepeatedLines}.
     */
    public RepeatedLines forStore(Clock clock, String route) {
        return (log, level, what) -> {
            LogThrottle throttle = throttle(clock, log, level, route, what);
            return () -> {
                long leftOut = throttle.occurred();
                return leftOut == LogThrottle.COUNTED ? null : LogThrottle.summary(leftOut);
            };
        };
    }

    /** Writes the counts of windows that ended a window ago with no line since; run every {@link #SWEEP_INTERVAL}. */
    public void sweep() {
        for (LogThrottle throttle : throttles) {
            throttle.sweep();
        }
    }

    /** Writes every count not written yet: the route stops. */
    public void flush() {
        for (LogThrottle throttle : throttles) {
            throttle.flush();
        }
    }

    /** Throttles made so far (tests). */
    int size() {
        return throttles.size();
    }
}

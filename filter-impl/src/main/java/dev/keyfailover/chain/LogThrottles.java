package dev.keyfailover.chain;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link LogThrottle} per kind of one line, the kind named by what the program or the
 * configuration gives (an exception's class, a fallback route's name), never by what a client sends.
 * Bounded all the same: past {@link #MAX_KINDS} kinds, further ones share one throttle.
 */
public final class LogThrottles {

    static final int MAX_KINDS = 32;

    private final Clock clock;
    private final Map<String, LogThrottle> kinds = new ConcurrentHashMap<>();
    private final LogThrottle others;

    public LogThrottles(Clock clock) {
        this.clock = clock;
        this.others = new LogThrottle(clock);
    }

    /** {@link LogThrottle#occurred()} of this kind's throttle. */
    public long occurred(String kind) {
        LogThrottle throttle = kinds.get(kind);
        if (throttle == null) {
            // The size check may let a few racing threads past the bound; it only has to stay small.
            throttle = kinds.size() < MAX_KINDS ? kinds.computeIfAbsent(kind, k -> new LogThrottle(clock)) : others;
        }
        return throttle.occurred();
    }
}

package dev.keyfailover.chain;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * A {@link LogThrottle} per kind of one line, the kind named by what the program or the
 * configuration gives (an exception's class, a fallback route's name), never by what a client sends.
 * Bounded all the same: past {@link #MAX_KINDS} kinds, further ones share one throttle.
 */
public final class LogThrottles {

    static final int MAX_KINDS = 32;

    private final ThrottledLines lines;
    private final Clock clock;
    private final Logger log;
    private final Level level;
    private final String route;
    private final String what;
    private final Map<String, LogThrottle> kinds = new ConcurrentHashMap<>();
    private final LogThrottle others;

    /** Made by {@link ThrottledLines#throttles}; a kind's sweep line names {@code what} followed by the kind. */
    LogThrottles(ThrottledLines lines, Clock clock, Logger log, Level level, String route, String what) {
        this.lines = lines;
        this.clock = clock;
        this.log = log;
        this.level = level;
        this.route = route;
        this.what = what;
        this.others = lines.throttle(clock, log, level, route, what + "(any of the kinds past the first " + MAX_KINDS
                + ")");
    }

    /** {@link LogThrottle#occurred()} of this kind's throttle. */
    public long occurred(String kind) {
        LogThrottle throttle = kinds.get(kind);
        if (throttle == null) {
            // The size check may let a few racing threads past the bound; it only has to stay small.
            throttle = kinds.size() < MAX_KINDS
                    ? kinds.computeIfAbsent(kind, k -> lines.throttle(clock, log, level, route, what + k))
                    : others;
        }
        return throttle.occurred();
    }
}

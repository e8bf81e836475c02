package dev.keyfailover.chain;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The warnings a route's requests repeat while a fallback route is of no use (behaviour.md §18, §8):
 * a fallback route skipped (not running, or the model too deep in the body to rename) or failing,
 * each at most once per 10 s per fallback route (and exception class), then with the count of
 * those left out. Written under {@link FallbackExec}'s logger, whose lines they are.
 */
final class FallbackWarnings {

    private static final Logger LOG = LoggerFactory.getLogger(FallbackExec.class);

    private final String route;
    /** By the fallback route's name and why it was skipped. */
    private final LogThrottles skipped;
    /** By the fallback route's name and the exception's class. */
    private final LogThrottles failed;

    /** @param lines the route's throttled lines, which sweep and flush these throttles */
    FallbackWarnings(String route, Clock clock, ThrottledLines lines) {
        this.route = route;
        this.skipped = lines.throttles(clock, LOG, Level.WARN, route, "fallback route ");
        this.failed = lines.throttles(clock, LOG, Level.WARN, route, "fallback route ");
    }

    /** The fallback route {@code name} is not running (yet, or any more): skipped. */
    void notRunning(String name) {
        long leftOut = skipped.occurred("'" + name + "' is not running; skipped");
        if (leftOut != LogThrottle.COUNTED) {
            LOG.warn("{}: fallback route '{}' is not running; skipped{}", route, name, LogThrottle.summary(leftOut));
        }
    }

    /** The request's model could not be renamed for the fallback route {@code name}: skipped. */
    void tooDeepToRename(String name) {
        long leftOut = skipped.occurred("'" + name + "': the model lies too deep to rename; skipped");
        if (leftOut != LogThrottle.COUNTED) {
            LOG.warn("{}: the model of this request lies too deep in its body to rename for fallback route "
                    + "'{}'; skipped{}", route, name, LogThrottle.summary(leftOut));
        }
    }

    /** The fallback route {@code name} failed before answering. */
    void failed(String name, Exception e) {
        long leftOut = failed.occurred("'" + name + "' failed: " + e.getClass().getName());
        if (leftOut != LogThrottle.COUNTED) {
            LOG.warn("{}: fallback route '{}' failed: {}{}", route, name, e.toString(), LogThrottle.summary(leftOut));
        }
    }
}

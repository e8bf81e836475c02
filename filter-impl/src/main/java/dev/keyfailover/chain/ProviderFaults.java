package dev.keyfailover.chain;

import java.time.Clock;
import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Code that throws while serving a request, most likely a provider of one's own: logged by its
 * class and stack, never its message, which may hold the key the provider was handed (behaviour.md
 * §7: no key in a log line). A bug fails every request alike, so one route's lines are throttled
 * as an outage's (§8): the first of a kind (what failed and the exception's class) with its stack,
 * then a count per window. One per route, made by {@link ThrottledLines#providerFaults}.
 */
public final class ProviderFaults {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderFaults.class);

    private final String route;
    private final LogThrottles throttles;
    /** Failures the request survives (a provider's reading that threw, ignored): WARN, throttled the same way. */
    private final LogThrottles ignoredThrottles;

    ProviderFaults(String route, Clock clock, ThrottledLines lines) {
        this.route = route;
        this.throttles = lines.throttles(clock, LOG, Level.ERROR, route, "");
        this.ignoredThrottles = lines.throttles(clock, LOG, Level.WARN, route, "");
    }

    /** Logs {@code failure} at ERROR: {@code <route>: <what> failed: <class>}, with its stack; throttled by kind. */
    public void log(String what, RuntimeException failure) {
        long leftOut = throttles.occurred(what + " failed: " + failure.getClass().getName());
        if (leftOut == LogThrottle.COUNTED) {
            return;
        }
        Throwable trace = new Throwable(failure.getClass().getName() + " (its message is not logged: it may hold a key)");
        trace.setStackTrace(failure.getStackTrace());
        LOG.error("{}: {} failed: {}{}", route, what, failure.getClass().getName(), LogThrottle.summary(leftOut), trace);
    }

    /**
     * Logs at WARN, in one line, that {@code failure} was ignored: its class and the code outside the
     * JDK that threw; throttled by kind, as every answer of a provider with that bug would repeat it.
     */
    void ignored(String what, RuntimeException failure) {
        long leftOut = ignoredThrottles.occurred(what + " failed: " + failure.getClass().getName() + "; ignored");
        if (leftOut == LogThrottle.COUNTED) {
            return;
        }
        Object where = Arrays.stream(failure.getStackTrace()).filter(frame -> !frame.getClassName().startsWith("java."))
                .findFirst().map(Object.class::cast).orElse("?");
        LOG.warn("{}: {} failed: {} at {}; ignored{}", route, what, failure.getClass().getName(), where,
                LogThrottle.summary(leftOut));
    }
}

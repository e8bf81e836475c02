package dev.keyfailover.chain;

import java.util.Arrays;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Code that throws while serving a request, most likely a provider of one's own: logged by its
 * class and stack, never its message, which may hold the key the provider was handed (behaviour.md
 * §7: no key in a log line).
 */
public final class ProviderFaults {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderFaults.class);

    private ProviderFaults() {
    }

    /** Logs {@code failure} at ERROR: {@code <route>: <what> failed: <class>}, with its stack. */
    public static void log(String route, String what, RuntimeException failure) {
        Throwable trace = new Throwable(failure.getClass().getName() + " (its message is not logged: it may hold a key)");
        trace.setStackTrace(failure.getStackTrace());
        LOG.error("{}: {} failed: {}", route, what, failure.getClass().getName(), trace);
    }

    /** Logs at WARN, in one line, that {@code failure} was ignored: its class and the code outside the JDK that threw. */
    static void ignored(String route, String what, RuntimeException failure) {
        Object where = Arrays.stream(failure.getStackTrace()).filter(frame -> !frame.getClassName().startsWith("java."))
                .findFirst().map(Object.class::cast).orElse("?");
        LOG.warn("{}: {} failed: {} at {}; ignored", route, what, failure.getClass().getName(), where);
    }
}

package dev.keyfailover.bench;

/**
 * The outcome names of a held stream that did not end well (modes {@code hold} and {@code streams}), split at its
 * first event: a stream that never got one points at opening it, one that did at keeping it.
 */
final class StreamFates {

    private StreamFates() {
    }

    /** Ended cleanly but with too few events, bucketed so that the outcomes stay few. */
    static String cutAfter(int events) {
        return "cut-after-" + (events == 0 ? "0" : events < 5 ? "1-4" : "5+") + "-events";
    }

    /** Nothing arrived for the read timeout. */
    static String stalled(boolean sawEvent) {
        return sawEvent ? "stalled-mid-stream" : "stalled-before-first-event";
    }

    /** The connection failed otherwise. */
    static String failed(boolean sawEvent, Throwable e) {
        return (sawEvent ? "failed-mid-stream: " : "failed-before-first-event: ") + Outcomes.nameOf(e);
    }
}

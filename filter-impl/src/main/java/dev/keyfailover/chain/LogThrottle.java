package dev.keyfailover.chain;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * One kind of log line that requests repeat (one message template on one route; behaviour.md §8):
 * the first occurrence is logged at once; those within {@link #WINDOW} after a logged one are only
 * counted; the next one after the window is logged with the count appended ({@link #summary}).
 * When none comes, the route's sweep writes the count in a line of its own ({@link #sweep}), and
 * the route's stop writes what is still counted ({@link #flush}). The count is exact under
 * concurrency, and an occurrence that is only counted costs one clock read, one volatile read and
 * one atomic add.
 *
 * <p>Exactly once: each window counts in an object of its own; whoever replaces the window by
 * compare-and-set (the next line logged, the sweep, the stop) takes its count, and a count taken
 * is marked so that an add that comes too late sees it and counts in the window after.
 * Made by {@link ThrottledLines}, which sweeps it.
 */
public final class LogThrottle {

    /**
     * How long a logged line speaks for those like it: an outage at hundreds of requests a second
     * writes one line per kind per 10 s, and a failure that goes on is still seen within seconds.
     */
    public static final Duration WINDOW = Duration.ofSeconds(10);
    /** What {@link #occurred()} returns for an occurrence that is only counted. */
    public static final long COUNTED = -1;

    private static final long WINDOW_MILLIS = WINDOW.toMillis();
    /** A taken count: far below zero, so that a late add still leaves it negative. */
    private static final long TAKEN = Long.MIN_VALUE / 2;
    private static final VarHandle CURRENT;

    static {
        try {
            CURRENT = MethodHandles.lookup().findVarHandle(LogThrottle.class, "current", Window.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Clock clock;
    private final Logger log;
    private final Level level;
    private final String route;
    private final String what;
    /** The window occurrences are counted in; ended from the start, so the first occurrence is logged. */
    private volatile Window current = new Window(Long.MIN_VALUE);

    /**
     * @param log where the sweep's line goes, at {@code level}: the same as the throttled line's
     * @param what the kind of line, as the sweep's line names it (never what a client sent)
     */
    LogThrottle(Clock clock, Logger log, Level level, String route, String what) {
        this.clock = clock;
        this.log = log;
        this.level = level;
        this.route = route;
        this.what = what;
    }

    /**
     * Notes one occurrence.
     *
     * @return {@link #COUNTED} when it is only counted; else the caller logs it, and this is how
     *     many like it were left out since the last one logged (0: none, or the sweep wrote them), for
     *     {@link #summary}
     */
    public long occurred() {
        long now = clock.millis();
        while (true) {
            Window window = current;
            if (now < window.until) {
                if (window.incrementAndGet() > 0) {
                    return COUNTED;
                }
                // Taken while this thread was on its way: the window was replaced, count in the new one.
                continue;
            }
            // One thread wins the window; a loser sees the new window and is counted in it.
            if (CURRENT.compareAndSet(this, window, new Window(now + WINDOW_MILLIS))) {
                return Math.max(0, window.getAndSet(TAKEN));
            }
        }
    }

    /**
     * Writes the count of a window that ended at least a window ago with no line since to take it
     * (behaviour.md §8): an outage that ended is summed up within about a window. A window that
     * ended more recently is left to the next line, which may still come.
     */
    void sweep() {
        Window window = current;
        if (window.get() > 0 && clock.millis() - WINDOW_MILLIS >= window.until) {
            write(take(window), "in the " + WINDOW.toSeconds() + " s after the last one logged, none since");
        }
    }

    /** Writes what is counted now, the window ended or not: the route stops, no line will take it. */
    void flush() {
        Window window = current;
        if (window.get() > 0) {
            write(take(window), "since the last one logged, until the route stopped");
        }
    }

    /** The window's count, or 0 when another took it first; an ended window stays ended. */
    private long take(Window window) {
        if (!CURRENT.compareAndSet(this, window, new Window(window.until))) {
            return 0;
        }
        return Math.max(0, window.getAndSet(TAKEN));
    }

    private void write(long counted, String when) {
        if (counted <= 0) {
            return;
        }
        String format = "{}: {} more like \"{}\" {}";
        switch (level) {
            case ERROR -> log.error(format, route, counted, what, when);
            case WARN -> log.warn(format, route, counted, what, when);
            case INFO -> log.info(format, route, counted, what, when);
            case DEBUG -> log.debug(format, route, counted, what, when);
            case TRACE -> log.trace(format, route, counted, what, when);
        }
    }

    /** What a logged line gets appended: nothing, or how many like it were left out before it. */
    public static String summary(long leftOut) {
        return leftOut <= 0 ? "" : " (" + leftOut + " more like it in the " + WINDOW.toSeconds()
                + " s after the last one logged)";
    }

    /** One window: until when (the clock's millis) occurrences are only counted, and their count. */
    private static final class Window extends AtomicLong {

        private final long until;

        Window(long until) {
            this.until = until;
        }
    }
}

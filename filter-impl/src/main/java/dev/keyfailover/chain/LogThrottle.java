package dev.keyfailover.chain;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One kind of log line that requests repeat (one message template on one route; behaviour.md §8):
 * the first occurrence is logged at once; those within {@link #WINDOW} after a logged one are only
 * counted; the next one after the window is logged with the count appended ({@link #summary}). The
 * count is exact under concurrency, and an occurrence that is only counted costs one clock read,
 * one volatile read and one atomic add.
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

    private final Clock clock;
    /** Until when (the clock's millis) occurrences are only counted; the first one is logged. */
    private final AtomicLong quietUntil = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong leftOut = new AtomicLong();

    public LogThrottle(Clock clock) {
        this.clock = clock;
    }

    /**
     * Notes one occurrence.
     *
     * @return {@link #COUNTED} when it is only counted; else the caller logs it, and this is how
     *     many like it were left out since the last one logged (0: none), for {@link #summary}
     */
    public long occurred() {
        long now = clock.millis();
        long until = quietUntil.get();
        while (now >= until) {
            // One thread wins the window; a loser sees the new window and is counted in it.
            if (quietUntil.compareAndSet(until, now + WINDOW_MILLIS)) {
                return leftOut.getAndSet(0);
            }
            until = quietUntil.get();
        }
        leftOut.incrementAndGet();
        return COUNTED;
    }

    /** What a logged line gets appended: nothing, or how many like it were left out before it. */
    public static String summary(long leftOut) {
        return leftOut <= 0 ? "" : " (" + leftOut + " more like it in the " + WINDOW.toSeconds()
                + " s after the last one logged)";
    }
}

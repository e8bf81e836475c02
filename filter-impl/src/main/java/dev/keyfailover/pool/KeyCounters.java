package dev.keyfailover.pool;

import java.util.concurrent.atomic.AtomicLong;

/** Attempt counters of one key, for the status page and metrics. */
public final class KeyCounters {
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong successes = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile int lastStatus;

    void record(int statusCode) {
        attempts.incrementAndGet();
        if (statusCode >= 200 && statusCode < 400) {
            successes.incrementAndGet();
        } else {
            failures.incrementAndGet();
        }
        lastStatus = statusCode;
    }

    /** Attempts made with the key. */
    public long attempts() {
        return attempts.get();
    }

    /** Attempts answered with 2xx or 3xx. */
    public long successes() {
        return successes.get();
    }

    /** Attempts answered otherwise, or failed in transport. */
    public long failures() {
        return failures.get();
    }

    /** The last upstream status; 0 before any attempt, -1 after a transport failure. */
    public int lastStatus() {
        return lastStatus;
    }
}

package dev.keyfailover.chain;

import java.io.Closeable;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadlines of the reads on a provider's upstream connections (behaviour.md §18, Timeouts).
 * Upstream sockets read with no socket timeout; each connection has a {@link Watch} that its
 * reader arms before a read that may wait and disarms after it, and a periodic sweep closes the
 * connection of a watch whose deadline has passed, which ends the blocked read.
 *
 * <p>A sweep rather than the socket's timeout: on a virtual thread every read that has to wait
 * under a socket timeout parks with a timeout, scheduling and cancelling a delayed task, once per
 * streamed chunk. Arming a watch is one clock read and one volatile write. The price is
 * precision: a watch fires up to one sweep interval after its deadline.
 */
final class UpstreamWatchdog implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamWatchdog.class);
    static final long MAX_SWEEP_INTERVAL_MILLIS = 100;
    static final long MIN_SWEEP_INTERVAL_MILLIS = 10;
    private final Clock clock;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    /** The route's sweeper thread, stopped with the route (a thread left running would pin the webapp's classes). */
    private volatile ScheduledExecutorService sweeper;

    /** A watchdog that sweeps when told to ({@link #sweep()}), for tests with a fake clock. */
    UpstreamWatchdog(Clock clock) {
        this.clock = clock;
    }

    /** A watchdog on the system clock, swept every {@link #sweepIntervalMillis} of {@code shortest}. */
    static UpstreamWatchdog start(String route, Duration shortest) {
        UpstreamWatchdog watchdog = new UpstreamWatchdog(Clock.systemUTC());
        long interval = sweepIntervalMillis(shortest);
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "keyfailover-" + route + "-upstream-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        sweeper.scheduleWithFixedDelay(watchdog::sweep, interval, interval, TimeUnit.MILLISECONDS);
        watchdog.sweeper = sweeper;
        return watchdog;
    }

    /** A tenth of the shortest timeout watched, between 10 and 100 ms. */
    static long sweepIntervalMillis(Duration shortest) {
        return Math.max(MIN_SWEEP_INTERVAL_MILLIS, Math.min(MAX_SWEEP_INTERVAL_MILLIS, shortest.toMillis() / 10));
    }

    /**
     * A disarmed watch on one connection, until {@link Watch#close()}.
     *
     * @param onExpiry ends the connection's blocked read (closes it); runs on the sweeper thread
     */
    Watch watch(Runnable onExpiry) {
        Watch watch = new Watch(onExpiry);
        watches.add(watch);
        return watch;
    }

    /** Watches not closed yet, for tests. */
    int watched() {
        return watches.size();
    }

    /** Watches with a deadline set, for tests. */
    long armed() {
        return watches.stream().filter(Watch::armed).count();
    }

    /** Fires every armed watch whose deadline has passed. */
    void sweep() {
        long now = clock.millis();
        for (Watch watch : watches) {
            try {
                watch.fireIfDue(now);
            } catch (RuntimeException e) {
                // The sweeper must outlive one failing action, or no watch would fire again.
                LOG.warn("upstream watchdog: closing a connection failed: {}", e.toString());
            }
        }
    }

    @Override
    public void close() {
        ScheduledExecutorService running = sweeper;
        if (running != null) {
            running.shutdownNow();
        }
    }

    /**
     * The deadline of the read in progress on one connection. Fired, it stays fired: its
     * connection is closed, and every read on it reports the timeout.
     */
    final class Watch implements AutoCloseable {

        private static final long DISARMED = Long.MAX_VALUE;

        private final Runnable onExpiry;
        private volatile long deadline = DISARMED;
        private volatile boolean fired;

        private Watch(Runnable onExpiry) {
            this.onExpiry = onExpiry;
        }

        /**
         * The next read must end within {@code timeoutMillis} from now; 0 or less: no deadline.
         *
         * @return the deadline set, in the clock's millis; {@link Long#MAX_VALUE} for none
         */
        long arm(long timeoutMillis) {
            // Returned from the local: every upstream read arms, and reading the volatile back is one more access.
            long armed = timeoutMillis > 0 ? clock.millis() + timeoutMillis : DISARMED;
            deadline = armed;
            return armed;
        }

        void disarm() {
            deadline = DISARMED;
        }

        /** Whether the deadline passed during a read, so that its failure is the timeout. */
        boolean fired() {
            return fired;
        }

        /** Whether a deadline is set (tests). */
        boolean armed() {
            return deadline != DISARMED;
        }

        private void fireIfDue(long now) {
            // One sweeper thread: no other thread sets fired.
            if (fired || now < deadline) {
                return;
            }
            fired = true;
            watches.remove(this);
            onExpiry.run();
        }

        /** Stops watching: the connection is closed. */
        @Override
        public void close() {
            deadline = DISARMED;
            watches.remove(this);
        }
    }
}

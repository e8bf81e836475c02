package dev.keyfailover.servlet;

import java.io.Closeable;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a client that stalls its socket (uploads a byte a second, or stops reading the answer)
 * from holding a request thread or an upstream connection past the route's
 * {@code clientIdleTimeout}. Each request watches its client I/O with a {@link Watch}; one sweeper
 * thread per route fires the watches whose deadline has passed.
 *
 * <p>A sweep rather than a timer task per I/O call: a stream writes once per event, and thousands
 * of streams would schedule and cancel hundreds of thousands of tasks a second, where arming a
 * watch is one volatile write. The price is precision: a watch fires up to one sweep interval
 * (a quarter of the timeout, at most 1 s) after its deadline.
 *
 * <p>The Servlet API offers no portable way to unblock a thread blocked in a read or write of the
 * client's socket. A firing watch interrupts the request thread, but only while that thread is
 * inside the watched call: Jetty 12 ends the blocked call with an {@code InterruptedIOException};
 * Tomcat ignores interrupts, so there its {@code connectionTimeout} (the socket timeout of
 * blocking servlet I/O) bounds the call.
 */
final class ClientWatchdog implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientWatchdog.class);
    private static final long MAX_SWEEP_INTERVAL_MILLIS = 1_000;
    private static final long MIN_SWEEP_INTERVAL_MILLIS = 10;
    /** 256 slots to start with: more than a route's usual requests in flight. */
    private static final int INITIAL_SEGMENTS = 4;

    private final long timeoutMillis;
    private final Clock clock;
    private final WatchSlots<Watch> watches = new WatchSlots<>(INITIAL_SEGMENTS);
    private final ScheduledExecutorService sweeper;

    /**
     * @param sweeper the thread that calls {@link #sweep()}, shut down by {@link #close()};
     *     {@code null} when the caller sweeps itself (tests)
     */
    ClientWatchdog(Duration timeout, Clock clock, ScheduledExecutorService sweeper) {
        this.timeoutMillis = timeout.toMillis();
        this.clock = clock;
        this.sweeper = sweeper;
    }

    /** A watchdog on the system clock with its own daemon sweeper thread. */
    static ClientWatchdog start(String routeName, Duration timeout) {
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "keyfailover-" + routeName + "-client-watchdog");
            thread.setDaemon(true);
            return thread;
        });
        ClientWatchdog watchdog = new ClientWatchdog(timeout, Clock.systemUTC(), sweeper);
        long interval = sweepIntervalMillis(timeout);
        sweeper.scheduleWithFixedDelay(watchdog::sweep, interval, interval, TimeUnit.MILLISECONDS);
        return watchdog;
    }

    static long sweepIntervalMillis(Duration timeout) {
        return Math.max(MIN_SWEEP_INTERVAL_MILLIS, Math.min(MAX_SWEEP_INTERVAL_MILLIS, timeout.toMillis() / 4));
    }

    /**
     * A watch on the calling thread's client I/O, disarmed until {@link Watch#arm()}; close it when
     * the request is done.
     *
     * @param onExpiry what to let go of when it fires (runs on the sweeper thread, before the
     *     interrupt), e.g. cancelling the upstream exchange
     */
    Watch watch(Runnable onExpiry) {
        Watch watch = new Watch(Thread.currentThread(), onExpiry);
        watch.slot = watches.claim(watch);
        return watch;
    }

    /** Fires every armed watch whose deadline has passed. */
    void sweep() {
        long now = clock.millis();
        watches.forEach((watch, slot) -> {
            try {
                watch.fireIfDue(now, slot);
            } catch (RuntimeException e) {
                // The sweeper must outlive one failing action, or no watch would fire again.
                LOG.warn("client watchdog: an expiry action failed: {}", e.toString());
            }
        });
    }

    /**
     * Runs {@code task} every {@code period} on this watchdog's sweeper thread until {@link #close()}:
     * the route's periodic work shares the thread the route has anyway (behaviour.md §8, the throttled
     * lines' counts). A task that throws is logged and runs again next time. Nothing without a sweeper
     * thread (tests sweep themselves).
     */
    void alsoEvery(Duration period, Runnable task) {
        if (sweeper == null) {
            return;
        }
        sweeper.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // A scheduled task that throws is never run again.
                LOG.warn("client watchdog: a periodic task of the route failed: {}", e.toString());
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Watches open now (tests). */
    int watched() {
        return watches.size();
    }

    @Override
    public void close() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    /**
     * The deadline of one request's client I/O: armed, it fires {@code clientIdleTimeout} later
     * unless disarmed first; fired, it stays expired.
     */
    final class Watch extends WatchedCall implements AutoCloseable {

        private static final long DISARMED = Long.MAX_VALUE;
        // A field, not an AtomicBoolean: one object less per watch, two watches a request.
        private static final VarHandle EXPIRED;

        static {
            try {
                EXPIRED = MethodHandles.lookup().findVarHandle(Watch.class, "expired", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Runnable onExpiry;
        /** Where the watch is held for the sweep; set by the owner before it can close the watch. */
        private int slot;
        private volatile boolean expired;
        private volatile long deadline = DISARMED;

        private Watch(Thread owner, Runnable onExpiry) {
            super(owner);
            this.onExpiry = onExpiry;
        }

        /** Starts the countdown: the watch fires {@code clientIdleTimeout} from now unless disarmed. */
        void arm() {
            deadline = clock.millis() + timeoutMillis;
        }

        void disarm() {
            deadline = DISARMED;
        }

        /** Whether the watch has fired. */
        boolean expired() {
            return expired;
        }

        /**
         * Arms the watch and enters a watched call in one step (once per chunk of a stream);
         * {@link #leave()} undoes both.
         */
        void enter() {
            deadline = clock.millis() + timeoutMillis;
            enterCall();
        }

        /** Leaves the watched call and disarms: {@link #leaveCall()} then {@link #disarm()}. */
        void leave() {
            leaveCall();
            deadline = DISARMED;
        }

        private void fireIfDue(long now, int heldAt) {
            if (now < deadline || !EXPIRED.compareAndSet(this, false, true)) {
                return;
            }
            watches.release(heldAt, this);
            try {
                onExpiry.run();
            } finally {
                interruptCall();
            }
        }

        /** Stops watching; the request is done with its client. */
        @Override
        public void close() {
            disarm();
            watches.release(slot, this);
        }
    }
}

package dev.keyfailover.pool;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls to a shared store that may not answer (behaviour.md §12): each bounded by a timeout, on a
 * bounded set of threads. A call that fails, is late, or finds every thread busy and the queue
 * full returns {@code null}: the store is then "down", the caller uses the node's own view, and
 * calls are skipped for a second before the store is tried again. Falling back and coming back are
 * logged once each.
 */
final class StoreCalls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StoreCalls.class);
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * A call that times out may go on blocking its thread (a cache call cannot always be
     * interrupted); a few threads are enough for marks that take milliseconds, and a store that
     * hangs cannot make a node start threads without end.
     */
    static final int THREADS = 4;
    /** Calls waiting for a thread; past it, a mark does not wait at all but falls back at once. */
    static final int QUEUE = 64;

    private final String storeName;
    private final Duration timeout;
    private final ThreadPoolExecutor threads;
    private final AtomicBoolean down = new AtomicBoolean();
    private volatile long retryAtNanos;

    StoreCalls(String storeName, Duration timeout) {
        this.storeName = storeName;
        this.timeout = timeout;
        this.threads = boundedThreads();
    }

    /**
     * At most {@link #THREADS} threads, none while idle, and at most {@link #QUEUE} calls waiting
     * for one; past that a call is refused ({@link ThreadPoolExecutor.AbortPolicy}) and its caller
     * falls back at once.
     */
    private static ThreadPoolExecutor boundedThreads() {
        ThreadPoolExecutor threads = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), runnable -> {
                    Thread thread = new Thread(runnable, "keyfailover-state-store");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        threads.allowCoreThreadTimeOut(true);
        return threads;
    }

    boolean isDown() {
        return down.get();
    }

    /** Whether a store that is down may be tried again. */
    boolean retryDue() {
        return System.nanoTime() >= retryAtNanos;
    }

    <T> T call(String what, Callable<T> action) {
        return call(what, timeout, action);
    }

    /**
     * The action's result; {@code null} when the store did not answer in time.
     *
     * @throws StateContention when the action ran out of compare-and-set attempts: the store answered
     */
    <T> T call(String what, Duration limit, Callable<T> action) {
        if (down.get() && !retryDue()) {
            return null;
        }
        Future<T> result;
        try {
            result = threads.submit(action);
        } catch (RejectedExecutionException e) {
            fellBack(what, "every thread busy and " + threads.getQueue().size() + " calls waiting", limit);
            return null;
        }
        try {
            T value = result.get(limit.toNanos(), TimeUnit.NANOSECONDS);
            answered();
            return value;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StateContention contention) {
                answered();
                throw contention;
            }
            fellBack(what, e.getCause().toString(), limit);
            return null;
        } catch (TimeoutException | RuntimeException e) {
            result.cancel(true);
            // A late call that never started leaves the queue now, not when a thread would have taken it.
            threads.remove((Runnable) result);
            fellBack(what, e.toString(), limit);
            return null;
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private void answered() {
        if (down.compareAndSet(true, false)) {
            LOG.info("state store {} answers again; key states are shared again", storeName);
        }
    }

    private void fellBack(String what, String why, Duration limit) {
        retryAtNanos = System.nanoTime() + RETRY_NANOS;
        if (down.compareAndSet(false, true)) {
            LOG.warn("state store {} did not answer ({}: {}) within {} ms; this node uses its own key states "
                    + "until it does", storeName, what, why, limit.toMillis());
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}

package dev.keyfailover.servlet;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requests of one route in flight, counted from entering the route until their response is
 * written (streams included), and held at {@code maxConcurrentStreams} when it is set: a request
 * over the limit is turned away at once instead of waiting unseen in the container's queue.
 */
final class InFlightRequests {

    private final int limit;
    private final AtomicInteger count = new AtomicInteger();

    /** @param limit the most requests in flight at once; empty for no limit (still counted) */
    InFlightRequests(OptionalInt limit) {
        this.limit = limit.orElse(Integer.MAX_VALUE);
    }

    /**
     * Counts a request in, unless the route is full.
     *
     * @return its admission, to be closed when its response is written; empty when the route is full
     */
    Optional<Admission> tryAdmit() {
        while (true) {
            int current = count.get();
            if (current >= limit) {
                return Optional.empty();
            }
            if (count.compareAndSet(current, current + 1)) {
                return Optional.of(new Admission());
            }
        }
    }

    /** Requests in flight now. */
    int count() {
        return count.get();
    }

    /** One admitted request. Closing it more than once counts it out once. */
    final class Admission implements AutoCloseable {

        private final AtomicBoolean closed = new AtomicBoolean();

        private Admission() {
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                count.decrementAndGet();
            }
        }
    }
}

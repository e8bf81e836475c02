package dev.keyfailover.chain;

import java.time.Instant;

import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeyWalk;
import org.apache.hc.core5.http.ClassicHttpResponse;

/**
 * What one client request has been through in the pool: its current walk (a new one per round
 * of {@code maxWaitForKey} waiting), the attempts made, how long it may still wait, and the
 * answer of a key that refused it for itself (returned when nothing else serves). Used by one
 * thread; closing it gives back a re-check probe that never got an answer.
 */
final class PoolAttempts implements AutoCloseable {

    private final KeyPool pool;
    private final String model;
    private final Instant waitDeadline;
    private final Exchange exchange;
    private KeyWalk walk;
    private int rounds;
    private int count;
    private ClassicHttpResponse refusal;

    /**
     * @param model the model the request is for; {@code null} when unknown
     * @param exchange the exchange the request belongs to
     */
    PoolAttempts(KeyPool pool, String model, Exchange exchange) {
        this.pool = pool;
        this.model = model;
        this.exchange = exchange;
        this.waitDeadline = pool.waitDeadline();
        this.walk = pool.walk(model);
    }

    KeyWalk walk() {
        return walk;
    }

    /** Starts another walk after a wait. */
    void walkAgain() {
        walk.close();
        walk = pool.walk(model);
        rounds++;
    }

    /** Walks after the first, so far. */
    int rounds() {
        return rounds;
    }

    Instant waitDeadline() {
        return waitDeadline;
    }

    /** Counts an attempt and returns its number, from 1. */
    int nextAttempt() {
        return ++count;
    }

    int attempts() {
        return count;
    }

    /** The current attempt's time from request sent to response head ({@link UpstreamTimingExec}); 0 when not measured. */
    long upstreamNanos() {
        return exchange.upstreamNanos();
    }

    /** The last refusal of this request by a key for itself, kept to explain an exhaustion. */
    ClassicHttpResponse refusal() {
        return refusal;
    }

    void refusal(ClassicHttpResponse response) {
        this.refusal = response;
    }

    @Override
    public void close() {
        walk.close();
    }
}

package dev.keyfailover.chain;

import java.time.Instant;

import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeyWalk;
import org.apache.hc.core5.http.ClassicHttpResponse;

/**
 * What one client request has been through in the pool: its current walk (a new one per round
 * of {@code maxWaitForKey} waiting), when it started, and the answer of a key that refused it for
 * itself (returned when nothing else serves). Used by one thread; closing it gives back a re-check
 * probe that never got an answer.
 */
final class PoolAttempts implements AutoCloseable {

    private final KeyPool pool;
    private final String model;
    private final Instant startedAt;
    private KeyWalk walk;
    private int rounds;
    private ClassicHttpResponse refusal;

    /** @param model the model the request is for; {@code null} when unknown */
    PoolAttempts(KeyPool pool, String model, Instant startedAt) {
        this.pool = pool;
        this.model = model;
        this.startedAt = startedAt;
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

    Instant startedAt() {
        return startedAt;
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

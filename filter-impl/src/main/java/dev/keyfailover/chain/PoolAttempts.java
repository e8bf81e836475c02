package dev.keyfailover.chain;

import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyPool;
import dev.keyfailover.pool.KeyWalk;
import org.apache.hc.core5.http.ClassicHttpResponse;

/**
 * What one client request has been through in the pool: its current walk (a new one per round
 * of {@code maxWaitForKey} waiting, and when a retry finds the walk used up), when it started and
 * when its budget runs out, its retries so far, and the answer of a key that refused it for
 * itself (returned when nothing else serves). Used by one thread; closing it gives back a re-check
 * probe that never got an answer.
 */
final class PoolAttempts implements AutoCloseable {

    private final KeyPool pool;
    private final String model;
    private final Instant startedAt;
    private final Optional<Instant> deadline;
    private KeyWalk walk;
    private int rounds;
    private int retries;
    private boolean retryDue;
    private ClassicHttpResponse refusal;

    /**
     * @param model the model the request is for; {@code null} when unknown
     * @param deadline when the request's budget runs out, if it has one
     */
    PoolAttempts(KeyPool pool, String model, Instant startedAt, Optional<Instant> deadline) {
        this.pool = pool;
        this.model = model;
        this.startedAt = startedAt;
        this.deadline = deadline;
        this.walk = pool.walk(model);
    }

    KeyWalk walk() {
        return walk;
    }

    /**
     * The next key of the walk; for a retry whose walk has none left, the first usable key of a
     * new walk (behaviour.md §18: a transient failure is no key's fault, so a key may serve again).
     *
     * @return the key, or {@code null} when none is left
     */
    Key nextKey() {
        Key key = walk.next();
        if (key == null && retryDue) {
            walk.close();
            walk = pool.walk(model);
            key = walk.next();
        }
        retryDue = false;
        return key;
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

    /** Counts a retry about to be made: the next key may come from a new walk. */
    void retrying() {
        retries++;
        retryDue = true;
    }

    /** Retries so far. */
    int retries() {
        return retries;
    }

    Instant startedAt() {
        return startedAt;
    }

    /** When the request's budget runs out, if it has one. */
    Optional<Instant> deadline() {
        return deadline;
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

    /** Waits (a retry's backoff, a cooling key) without holding a lock; interrupted, it fails as an I/O would. */
    void pause(Duration wait, String providerName) throws InterruptedIOException {
        try {
            pool.pause(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to try again with " + providerName);
        }
    }
}

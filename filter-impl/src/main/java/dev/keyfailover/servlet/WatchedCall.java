package dev.keyfailover.servlet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Whether the owner of a {@link ClientWatchdog.Watch} is inside a blocking call on the client's
 * socket, so that a firing interrupts only that call, and the interrupt never outlives it.
 *
 * <p>One state word changed by compare-and-set rather than a lock: the owner enters and leaves a
 * call on every read and write of a request (one request's hot path), while the sweeper
 * interrupts a call at most once per watch. The owner moves OUTSIDE → INSIDE → OUTSIDE; the sweeper
 * INSIDE → INTERRUPTING → INTERRUPTED, and the owner, leaving, waits out INTERRUPTING and clears
 * the interrupt it got.
 *
 * <p>The watch extends it rather than holding one: one object less per watch, two watches a request.
 */
class WatchedCall {

    private static final int OUTSIDE = 0;
    private static final int INSIDE = 1;
    private static final int INTERRUPTING = 2;
    private static final int INTERRUPTED = 3;
    /** Spins before the owner, waiting out an interrupt in progress, yields its carrier instead. */
    private static final int SPINS = 100;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WatchedCall.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Thread owner;
    private volatile int state = OUTSIDE;

    protected WatchedCall(Thread owner) {
        this.owner = owner;
    }

    /** The owner enters a blocking call on the client's socket, which a firing may interrupt (again: no change). */
    final void enterCall() {
        // Only the owner moves the state away from OUTSIDE.
        if (state == OUTSIDE) {
            state = INSIDE;
        }
    }

    /**
     * The owner left the call. An interrupt sent during it is cleared here, so it can never reach
     * later work of the request or of the container's pooled thread.
     */
    final void leaveCall() {
        int now = state;
        if (now == OUTSIDE || now == INSIDE && STATE.compareAndSet(this, INSIDE, OUTSIDE)) {
            return;
        }
        // The sweeper is interrupting the call or has: wait until its interrupt is set, then clear it.
        for (int spin = 0; state == INTERRUPTING; spin++) {
            if (spin < SPINS) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        Thread.interrupted();
        state = OUTSIDE;
    }

    /** The sweeper interrupts the owner if, and only while, it is inside a call. */
    final void interruptCall() {
        if (STATE.compareAndSet(this, INSIDE, INTERRUPTING)) {
            try {
                owner.interrupt();
            } finally {
                state = INTERRUPTED;
            }
        }
    }
}

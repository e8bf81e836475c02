package dev.keyfailover.chain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The breaker of each model of one route (behaviour.md §18): after {@code threshold} requests in a
 * row failed transiently or timed out (each counted once, after its retries; a request whose budget
 * ran out waiting on the provider too, {@link FallbackExec} says which), the (route, model) is skipped for
 * {@code cooldown}; then one request at a time probes it, and a success closes it. Only a route
 * with a fallback has breakers. Every change is a compare-and-set of an immutable state; time
 * comes from the {@link Clock}.
 */
final class Breakers {

    /** Model names come from clients: past this many, models share one breaker. */
    static final int MAX_MODELS = 64;
    private static final String OTHER_MODELS = "\u0000other";
    private static final String NO_MODEL = "\u0000none";

    /** Failures in a row; when open, since when; whether a probe is out. */
    private record State(int failures, Instant openedAt, boolean probing) {
        static final State CLOSED = new State(0, null, false);
    }

    /** What a request may do with the primary route. */
    enum Pass {
        /** The breaker is closed: use the route. */
        CLOSED,
        /** The breaker was open and its cooldown ended: this request probes the route. */
        PROBE,
        /** The breaker is open: skip the route. */
        OPEN
    }

    private final int threshold;
    private final Duration cooldown;
    private final Clock clock;
    private final ConcurrentHashMap<String, AtomicReference<State>> byModel = new ConcurrentHashMap<>();

    Breakers(int threshold, Duration cooldown, Clock clock) {
        this.threshold = threshold;
        this.cooldown = cooldown;
        this.clock = clock;
    }

    /** Whether a request for this model may use the route now; a {@link Pass#PROBE} must be followed by its outcome. */
    Pass pass(String model) {
        AtomicReference<State> breaker = of(model);
        while (true) {
            State state = breaker.get();
            if (state.openedAt() == null) {
                return Pass.CLOSED;
            }
            if (state.probing() || clock.instant().isBefore(state.openedAt().plus(cooldown))) {
                return Pass.OPEN;
            }
            if (breaker.compareAndSet(state, new State(state.failures(), state.openedAt(), true))) {
                return Pass.PROBE;
            }
        }
    }

    /**
     * A request for this model was served (or failed for a reason of its own): the breaker closes.
     *
     * @return whether it was open (a probe succeeded)
     */
    boolean succeeded(String model) {
        return of(model).getAndSet(State.CLOSED).openedAt() != null;
    }

    /**
     * A probe that came to nothing (the request was cancelled, or its budget ran out waiting for a
     * key or a pooled connection of the route): the next request may probe instead.
     */
    void abandoned(String model) {
        of(model).updateAndGet(state -> state.probing()
                ? new State(state.failures(), state.openedAt(), false) : state);
    }

    /**
     * A request for this model failed transiently or timed out, after its retries.
     *
     * @return whether this failure opened the breaker (or reopened it after a failed probe)
     */
    boolean failed(String model) {
        AtomicReference<State> breaker = of(model);
        while (true) {
            State state = breaker.get();
            int failures = state.failures() + 1;
            boolean opens = state.probing() || state.openedAt() == null && failures >= threshold;
            State next = opens ? new State(failures, clock.instant(), false)
                    : new State(failures, state.openedAt(), false);
            if (breaker.compareAndSet(state, next)) {
                return opens;
            }
        }
    }

    private AtomicReference<State> of(String model) {
        String key = model == null ? NO_MODEL : model;
        AtomicReference<State> breaker = byModel.get(key);
        if (breaker != null) {
            return breaker;
        }
        if (byModel.size() >= MAX_MODELS) {
            key = OTHER_MODELS;
        }
        return byModel.computeIfAbsent(key, k -> new AtomicReference<>(State.CLOSED));
    }
}

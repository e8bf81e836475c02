package dev.keyfailover.metrics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.chain.AttemptReport;
import dev.keyfailover.chain.FailoverEvents;
import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyId;
import dev.keyfailover.pool.KeyPoolListener;
import dev.keyfailover.pool.PoolChange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The failover's events as meters: attempts per key, transitions per key, exhaustions, and the
 * upstream timer. Every meter is made when the route starts, or when a key joins the pool
 * (behaviour.md §14; removed when it leaves), so an event is one array read and one increment: no
 * lookup, no allocation.
 */
final class FailoverMeters implements FailoverEvents, KeyPoolListener {

    private static final AttemptOutcome[] OUTCOMES = AttemptOutcome.values();
    private static final Transition[] TRANSITIONS = Transition.values();
    private static final ExhaustionKind[] KINDS = ExhaustionKind.values();

    /** By {@link Key#index()}, then {@link AttemptOutcome} ordinal; copied on write, {@code null} for a key gone. */
    private volatile Counter[][] attempts;
    /** By {@link Key#index()}, then {@link Transition} ordinal; copied on write. */
    private volatile Counter[][] transitions;
    private final Tags route;
    private final KeyTags keyTags = new KeyTags();
    private final Counter[] exhaustions = new Counter[KINDS.length];
    private final Timer[] upstream = new Timer[OUTCOMES.length];
    private final RegisteredMeters meters;

    /** @param keys the pool's keys, empty for a route without a pool */
    FailoverMeters(RegisteredMeters meters, String provider, List<Key> keys) {
        this.meters = meters;
        this.route = Tags.of(MeterNames.PROVIDER, provider);
        attempts = new Counter[0][];
        transitions = new Counter[0][];
        add(keys);
        if (!keys.isEmpty()) {
            for (ExhaustionKind kind : KINDS) {
                exhaustions[kind.ordinal()] = meters.counter(MeterNames.EXHAUSTIONS,
                        "Requests the key pool could not serve, by why", route.and(MeterNames.KIND, kind.tag()));
            }
        }
        for (AttemptOutcome outcome : OUTCOMES) {
            upstream[outcome.ordinal()] = meters.timer(MeterNames.UPSTREAM_DURATION,
                    "Upstream attempts, request sent to response head received",
                    route.and(MeterNames.OUTCOME, outcome.tag()));
        }
    }

    /** A pool's list changed: meters for the keys added, none left for the keys removed. */
    @Override
    public void keysChanged(PoolChange change) {
        for (Key key : change.removed()) {
            remove(key);
        }
        add(change.added());
    }

    private synchronized void add(List<Key> keys) {
        if (keys.isEmpty()) {
            return;
        }
        keyTags.addAll(keys);
        int size = attempts.length;
        for (Key key : keys) {
            size = Math.max(size, key.index() + 1);
        }
        Counter[][] byAttempt = Arrays.copyOf(attempts, size);
        Counter[][] byTransition = Arrays.copyOf(transitions, size);
        for (Key key : keys) {
            Tags tags = route.and(MeterNames.KEY, keyTags.tagOf(key));
            Counter[] outcomes = new Counter[OUTCOMES.length];
            for (AttemptOutcome outcome : OUTCOMES) {
                outcomes[outcome.ordinal()] = meters.counter(MeterNames.ATTEMPTS,
                        "Upstream attempts with a pool key, by what they came to",
                        tags.and(MeterNames.OUTCOME, outcome.tag()));
            }
            Counter[] tos = new Counter[TRANSITIONS.length];
            for (Transition to : TRANSITIONS) {
                tos[to.ordinal()] = meters.counter(MeterNames.TRANSITIONS,
                        "Key state changes, each counted once", tags.and(MeterNames.TO, to.tag()));
            }
            byAttempt[key.index()] = outcomes;
            byTransition[key.index()] = tos;
        }
        attempts = byAttempt;
        transitions = byTransition;
    }

    private synchronized void remove(Key key) {
        if (key.index() >= attempts.length || attempts[key.index()] == null) {
            return;
        }
        List<Counter> gone = new ArrayList<>(Arrays.asList(attempts[key.index()]));
        gone.addAll(Arrays.asList(transitions[key.index()]));
        Counter[][] byAttempt = attempts.clone();
        Counter[][] byTransition = transitions.clone();
        byAttempt[key.index()] = null;
        byTransition[key.index()] = null;
        attempts = byAttempt;
        transitions = byTransition;
        keyTags.remove(key);
        meters.remove(gone);
    }

    /** The counter of a key, or {@code null} when the key has left the pool (its last attempts go uncounted). */
    private static Counter counter(Counter[][] byKey, int index, int ordinal) {
        Counter[] ofKey = index < byKey.length ? byKey[index] : null;
        return ofKey == null ? null : ofKey[ordinal];
    }

    private static void increment(Counter counter) {
        if (counter != null) {
            counter.increment();
        }
    }

    @Override
    public void attempt(AttemptReport attempt) {
        if (!meters.recording()) {
            return;
        }
        AttemptOutcome outcome = AttemptOutcome.of(attempt);
        if (attempt.pooled()) {
            increment(counter(attempts, attempt.key().index(), outcome.ordinal()));
            if (attempt.transition()) {
                Transition to = Transition.of(attempt.verdict().action());
                if (to != null) {
                    increment(counter(transitions, attempt.key().index(), to.ordinal()));
                }
            }
        }
        time(outcome, attempt.upstreamNanos());
    }

    @Override
    public void limitUsedUp(KeyId key, String model) {
        if (!meters.recording()) {
            return;
        }
        increment(counter(transitions, key.index(), Transition.COOLING.ordinal()));
    }

    @Override
    public void keyBudgetSpent(KeyId key, String budget, Instant reset) {
        if (meters.recording()) {
            increment(counter(transitions, key.index(), Transition.BUDGET.ordinal()));
        }
    }

    @Override
    public void exhausted(KeyPoolExhaustion exhaustion, int attempts) {
        if (!meters.recording()) {
            return;
        }
        exhaustions[ExhaustionKind.of(exhaustion.kind()).ordinal()].increment();
    }

    @Override
    public void refusalRelayed(int attempts) {
        if (!meters.recording()) {
            return;
        }
        exhaustions[ExhaustionKind.FORBIDDEN.ordinal()].increment();
    }

    /** An administrator's reset that changed the key: a transition to VALID. */
    void reset(KeyId key) {
        if (!meters.recording()) {
            return;
        }
        increment(counter(transitions, key.index(), Transition.VALID.ordinal()));
    }

    private void time(AttemptOutcome outcome, long nanos) {
        if (nanos > 0) {
            upstream[outcome.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}

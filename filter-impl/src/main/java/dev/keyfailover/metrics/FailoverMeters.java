package dev.keyfailover.metrics;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.chain.AttemptReport;
import dev.keyfailover.chain.FailoverEvents;
import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * The failover's events as meters: attempts per key, transitions per key, exhaustions, and the
 * upstream timer. Every meter is made when the route starts, so an event is one array read and one
 * increment: no lookup, no allocation.
 */
final class FailoverMeters implements FailoverEvents {

    private static final AttemptOutcome[] OUTCOMES = AttemptOutcome.values();
    private static final Transition[] TRANSITIONS = Transition.values();
    private static final ExhaustionKind[] KINDS = ExhaustionKind.values();

    /** By key index, then {@link AttemptOutcome} ordinal. */
    private final Counter[][] attempts;
    /** By key index, then {@link Transition} ordinal. */
    private final Counter[][] transitions;
    private final Counter[] exhaustions = new Counter[KINDS.length];
    private final Timer[] upstream = new Timer[OUTCOMES.length];
    private final RegisteredMeters meters;

    /** @param keys the pool's keys, empty for a route without a pool */
    FailoverMeters(RegisteredMeters meters, String provider, List<Key> keys) {
        this.meters = meters;
        Tags route = Tags.of(MeterNames.PROVIDER, provider);
        String[] keyTags = KeyTags.of(keys);
        attempts = new Counter[keys.size()][OUTCOMES.length];
        transitions = new Counter[keys.size()][TRANSITIONS.length];
        for (int index = 0; index < keys.size(); index++) {
            Tags key = route.and(MeterNames.KEY, keyTags[index]);
            for (AttemptOutcome outcome : OUTCOMES) {
                attempts[index][outcome.ordinal()] = meters.counter(MeterNames.ATTEMPTS,
                        "Upstream attempts with a pool key, by what they came to",
                        key.and(MeterNames.OUTCOME, outcome.tag()));
            }
            for (Transition to : TRANSITIONS) {
                transitions[index][to.ordinal()] = meters.counter(MeterNames.TRANSITIONS,
                        "Key state changes, each counted once", key.and(MeterNames.TO, to.tag()));
            }
        }
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

    @Override
    public void attempt(AttemptReport attempt) {
        if (!meters.recording()) {
            return;
        }
        AttemptOutcome outcome = AttemptOutcome.of(attempt);
        if (attempt.pooled()) {
            attempts[attempt.key().index()][outcome.ordinal()].increment();
            if (attempt.transition()) {
                Transition to = Transition.of(attempt.verdict().action());
                if (to != null) {
                    transitions[attempt.key().index()][to.ordinal()].increment();
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
        transitions[key.index()][Transition.COOLING.ordinal()].increment();
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
        transitions[key.index()][Transition.VALID.ordinal()].increment();
    }

    private void time(AttemptOutcome outcome, long nanos) {
        if (nanos > 0) {
            upstream[outcome.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}

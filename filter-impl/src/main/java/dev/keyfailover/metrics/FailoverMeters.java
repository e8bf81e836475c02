package dev.keyfailover.metrics;

import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.keyfailover.api.KeyPoolExhaustion;
import dev.keyfailover.api.KeyVerdict;
import dev.keyfailover.chain.FailoverEvents;
import dev.keyfailover.pool.Key;
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
    public void attempt(Key key, int status, KeyVerdict verdict, boolean transition, boolean probe,
                        long upstreamNanos) {
        if (!meters.recording()) {
            return;
        }
        AttemptOutcome outcome = AttemptOutcome.of(status, verdict.action());
        attempts[key.index()][outcome.ordinal()].increment();
        time(outcome, upstreamNanos);
        if (transition) {
            Transition to = Transition.of(verdict.action());
            if (to != null) {
                transitions[key.index()][to.ordinal()].increment();
            }
        }
    }

    @Override
    public void transportFailure(Key key, long upstreamNanos) {
        if (!meters.recording()) {
            return;
        }
        attempts[key.index()][AttemptOutcome.TRANSPORT.ordinal()].increment();
        time(AttemptOutcome.TRANSPORT, upstreamNanos);
    }

    @Override
    public void limitUsedUp(Key key, String model) {
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

    @Override
    public void directAttempt(int status, long upstreamNanos) {
        if (!meters.recording()) {
            return;
        }
        time(AttemptOutcome.direct(status), upstreamNanos);
    }

    /** An administrator's reset that changed the key: a transition to VALID. */
    void reset(Key key) {
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

package dev.keyfailover.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.keyfailover.chain.FailoverEvents;
import dev.keyfailover.chain.FallbackReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;

/**
 * {@code keyfailover.fallbacks} (behaviour.md §18): requests sent on to a fallback route, by
 * route, fallback route and reason; every meter made when the route starts.
 */
final class FallbackMeters implements FailoverEvents {

    private static final FallbackReason[] REASONS = FallbackReason.values();

    private final RegisteredMeters meters;
    private final Map<String, Counter[]> byRoute = new HashMap<>();

    FallbackMeters(RegisteredMeters meters, String from, List<String> fallbacks) {
        this.meters = meters;
        for (String to : fallbacks) {
            Counter[] counters = new Counter[REASONS.length];
            for (FallbackReason reason : REASONS) {
                counters[reason.ordinal()] = meters.counter(MeterNames.FALLBACKS,
                        "Requests sent on to a fallback route, by why", Tags.of(MeterNames.FROM, from,
                                MeterNames.TO, to, MeterNames.REASON, reason.tag()));
            }
            byRoute.put(to, counters);
        }
    }

    @Override
    public void fallback(String to, FallbackReason reason) {
        Counter[] counters = byRoute.get(to);
        if (counters != null && meters.recording()) {
            counters[reason.ordinal()].increment();
        }
    }
}

package dev.keyfailover.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

/**
 * The meters one route registered, so that stopping it removes exactly those; and whether using
 * them records anything at all.
 */
final class RegisteredMeters {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    /** For a composite registry, the registries it passes on to (a live view); otherwise {@code null}. */
    private final Set<MeterRegistry> composed;

    RegisteredMeters(MeterRegistry registry) {
        this.registry = registry;
        this.composed = registry instanceof CompositeMeterRegistry
                ? ((CompositeMeterRegistry) registry).getRegistries() : null;
    }

    /**
     * Whether an increment records anything: not on a composite registry that holds none
     * (Micrometer's global registry until the application adds one), whose meters would only
     * allocate an iterator per use to find no one. Once a registry is added, the composite's meters
     * pass on from then, as they would anyway.
     */
    boolean recording() {
        return composed == null || !composed.isEmpty();
    }

    Counter counter(String name, String description, Tags tags) {
        return keep(Counter.builder(name).description(description).tags(tags).register(registry));
    }

    Timer timer(String name, String description, Tags tags) {
        return keep(Timer.builder(name).description(description).tags(tags).register(registry));
    }

    <T> void gauge(String name, String description, Tags tags, T source, ToDoubleFunction<T> value) {
        keep(Gauge.builder(name, source, value).description(description).tags(tags).strongReference(true)
                .register(registry));
    }

    private <M extends Meter> M keep(M meter) {
        synchronized (meters) {
            meters.add(meter);
        }
        return meter;
    }

    /** Removes these meters (a key left the pool, behaviour.md §14). */
    void remove(List<? extends Meter> gone) {
        synchronized (meters) {
            for (Meter meter : gone) {
                registry.remove(meter);
                meters.remove(meter);
            }
        }
    }

    /** Removes every meter kept, from the registry (and, for a composite one, from those it holds). */
    void removeAll() {
        synchronized (meters) {
            for (Meter meter : meters) {
                registry.remove(meter);
            }
            meters.clear();
        }
    }
}

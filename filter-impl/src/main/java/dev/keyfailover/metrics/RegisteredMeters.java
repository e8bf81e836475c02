package dev.keyfailover.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/** The meters one route registered, so that stopping it removes exactly those. */
final class RegisteredMeters {

    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    RegisteredMeters(MeterRegistry registry) {
        this.registry = registry;
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

    /** Removes every meter kept, from the registry (and, for a composite one, from those it holds). */
    void removeAll() {
        synchronized (meters) {
            for (Meter meter : meters) {
                registry.remove(meter);
            }
            meters.clear();
        }
    }

    int size() {
        synchronized (meters) {
            return meters.size();
        }
    }
}

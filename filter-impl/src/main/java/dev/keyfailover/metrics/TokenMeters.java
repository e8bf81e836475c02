package dev.keyfailover.metrics;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.keyfailover.chain.Usage;
import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyId;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;

/**
 * The {@code keyfailover.tokens} counters of one route (behaviour.md §16): tags provider, key (the
 * hint tag of the other meters), model ({@link ModelTags}: bounded), type ({@code input},
 * {@code output}, {@code cached_input}) and client (a configured client name, else {@code none}).
 * Made as each series is first met, through the route's {@link RegisteredMeters}, so that the
 * route's stop removes them.
 */
public final class TokenMeters {

    private final RegisteredMeters meters;
    private final Tags route;
    private final KeyTags keyTags = new KeyTags();
    private final ModelTags models;
    private final Map<Series, Counter[]> counters = new ConcurrentHashMap<>();

    private record Series(String key, String model, String client) {
    }

    TokenMeters(RegisteredMeters meters, String provider, List<Key> keys, int maxModelTags) {
        this.meters = meters;
        this.route = Tags.of(MeterNames.PROVIDER, provider);
        keyTags.addAll(keys);
        this.models = new ModelTags(maxModelTags);
    }

    /** Counts one answer's usage for the key that served it. */
    void record(KeyId key, String model, Optional<String> client, Usage usage) {
        if (!meters.recording() || !usage.present()) {
            return;
        }
        String keyTag = keyTags.tagOf(key);
        Counter[] byType = counters.computeIfAbsent(new Series(keyTag, models.tag(model),
                client.orElse(MeterNames.NO_CLIENT)), this::register);
        byType[0].increment(usage.input());
        byType[1].increment(usage.output());
        byType[2].increment(usage.cachedInput());
    }

    private Counter[] register(Series series) {
        Tags tags = route.and(MeterNames.KEY, series.key()).and(MeterNames.MODEL, series.model())
                .and(MeterNames.CLIENT, series.client());
        String description = "Tokens the answers of each key used, as the provider reported them";
        return new Counter[] {
            meters.counter(MeterNames.TOKENS, description, tags.and(MeterNames.TYPE, "input")),
            meters.counter(MeterNames.TOKENS, description, tags.and(MeterNames.TYPE, "output")),
            meters.counter(MeterNames.TOKENS, description, tags.and(MeterNames.TYPE, "cached_input")),
        };
    }
}

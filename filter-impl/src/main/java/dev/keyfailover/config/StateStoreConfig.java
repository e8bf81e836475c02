package dev.keyfailover.config;

import java.net.URI;
import java.net.URISyntaxException;

import dev.keyfailover.settings.Require;
import dev.keyfailover.settings.StateStoreSettings;

/** Reads where a route's key states live: {@code stateStore}, {@code stateStoreName}, {@code stateStoreConfig}, {@code stateStoreTimeout} (behaviour.md §12). */
final class StateStoreConfig {

    private StateStoreConfig() {
    }

    static StateStoreSettings read(ParameterReader reader) throws ConfigException {
        StateStoreSettings defaults = StateStoreSettings.local();
        return new StateStoreSettings(
                reader.parse("stateStore", value -> Values.choice(value, StateStoreSettings.Kind.class))
                        .orElse(defaults.kind()),
                reader.optional("stateStoreName").orElse(defaults.cacheName()),
                reader.parse("stateStoreConfig", StateStoreConfig::uri).orElse(null),
                reader.parse("stateStoreTimeout", value -> Require.positive(Values.duration(value), "stateStoreTimeout"))
                        .orElse(defaults.timeout()));
    }

    private static URI uri(String value) {
        try {
            return new URI(value.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + value + "' is not a URI");
        }
    }
}

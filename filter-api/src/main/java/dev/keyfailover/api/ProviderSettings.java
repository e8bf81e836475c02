package dev.keyfailover.api;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link ProviderFactory} is given to build a {@link Provider}: the configured name, base
 * URL, pool keys and any further string properties (init-params, after placeholders are resolved).
 *
 * <p>{@link #toString()} shows how many keys there are, never the keys.
 */
public final class ProviderSettings {

    private final String name;
    private final URI baseUrl;
    private final List<String> keys;
    private final Map<String, String> properties;

    /**
     * @param name the provider's configured name
     * @param baseUrl the upstream base URL requests are forwarded to
     * @param keys the pool keys in their configured order; empty for a provider without a pool
     * @param properties further settings by name
     */
    public ProviderSettings(String name, URI baseUrl, List<String> keys, Map<String, String> properties) {
        this.name = Objects.requireNonNull(name, "name");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
        this.keys = List.copyOf(keys);
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    }

    /** The provider's configured name. */
    public String name() {
        return name;
    }

    /** The upstream base URL. */
    public URI baseUrl() {
        return baseUrl;
    }

    /** The pool keys in their configured order; empty when the provider has no pool. */
    public List<String> keys() {
        return keys;
    }

    /** Every further property, by name. */
    public Map<String, String> properties() {
        return properties;
    }

    /** A further property, empty when absent or blank. */
    public Optional<String> property(String key) {
        String value = properties.get(key);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** A further property, or the default when absent or blank. */
    public String property(String key, String defaultValue) {
        return property(key).orElse(defaultValue);
    }

    @Override
    public String toString() {
        return "ProviderSettings[name=" + name + ", baseUrl=" + baseUrl + ", keys=" + keys.size()
                + " configured, properties=" + properties.keySet() + "]";
    }
}

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
 * URL and every further string property (init-params, after placeholders are resolved). Never
 * the pool keys: a provider puts whatever key it is handed on a request ({@link Provider#applyKey})
 * and has no business holding them.
 *
 * <p>The settings every route shares are parsed here, so a custom provider honours them by
 * calling {@link #failoverRules()} and {@link #byokHeaders(List)}.
 */
public final class ProviderSettings {

    private final String name;
    private final URI baseUrl;
    private final Map<String, String> properties;

    /**
     * @param name the provider's configured name
     * @param baseUrl the upstream base URL requests are forwarded to
     * @param properties further settings by name
     */
    public ProviderSettings(String name, URI baseUrl, Map<String, String> properties) {
        this.name = Objects.requireNonNull(name, "name");
        this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
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

    /**
     * The failover rules these settings ask for: {@code on403} ({@code skip|disable|pass}) and
     * {@code failoverOn} (e.g. {@code 402,529:cooldown,409:skip}), defaults otherwise.
     *
     * @throws IllegalArgumentException naming the property and what is wrong with it
     */
    public FailoverRules failoverRules() {
        FailoverRules.Builder rules = FailoverRules.builder();
        property("on403").ifPresent(rules::on403);
        property("failoverOn").ifPresent(rules::failoverOn);
        return rules.build();
    }

    /**
     * The headers whose presence makes a request BYOK: the property {@code byokHeaders} when set,
     * else the provider's own.
     *
     * @throws IllegalArgumentException when {@code byokHeaders} holds something not a header name
     */
    public List<String> byokHeaders(List<String> providerDefaults) {
        return headerNames("byokHeaders", providerDefaults);
    }

    /**
     * A property holding a comma-separated list of header names.
     *
     * @throws IllegalArgumentException naming the property and the entry that is not a header name
     */
    public List<String> headerNames(String key, List<String> defaults) {
        return property(key).map(value -> headerNames(key, value)).orElse(defaults);
    }

    private static List<String> headerNames(String key, String value) {
        try {
            return HeaderNames.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "ProviderSettings[name=" + name + ", baseUrl=" + baseUrl + ", properties=" + properties.keySet() + "]";
    }
}

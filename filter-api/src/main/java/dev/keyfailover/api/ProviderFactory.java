package dev.keyfailover.api;

import java.net.URI;
import java.util.Optional;

/**
 * Builds {@link Provider}s of one type; the {@link java.util.ServiceLoader} entry point.
 *
 * <p>Register an implementation in {@code META-INF/services/dev.keyfailover.api.ProviderFactory}
 * of your jar; the servlet's {@code provider} init-param then selects it by {@link #type()}.
 * Implementations need a public no-argument constructor.
 */
public interface ProviderFactory {

    /** The type name used in configuration, e.g. {@code openai}. Unique among factories. */
    String type();

    /**
     * Builds a provider.
     *
     * @param settings name, base URL, keys and further properties
     * @return the provider, never {@code null}
     * @throws IllegalArgumentException when a setting is invalid; the message names the setting
     *     and what is wrong with it, and never contains a key
     */
    Provider create(ProviderSettings settings);

    /**
     * The base URL a route of this type forwards to when its {@code baseUrl} is not given, e.g. a
     * hosted API's own address; empty (the default) when a route must name one.
     */
    default Optional<URI> defaultBaseUrl() {
        return Optional.empty();
    }
}

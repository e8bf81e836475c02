package dev.keyfailover.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.ServiceConfigurationError;

import dev.keyfailover.api.ProviderFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds {@link ProviderFactory} implementations through {@link ServiceLoader}, in the webapp's
 * class loader (the thread context one, where a custom provider jar lives) and in this module's
 * own (where the built-ins live, which differ on containers that load modules apart).
 */
public final class ProviderFactories {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderFactories.class);

    private ProviderFactories() {
    }

    /** Every factory found, by type; the first one found for a type wins. */
    public static Map<String, ProviderFactory> discover() {
        Map<String, ProviderFactory> byType = new LinkedHashMap<>();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            load(ServiceLoader.load(ProviderFactory.class, context), byType);
        }
        load(ServiceLoader.load(ProviderFactory.class, ProviderFactories.class.getClassLoader()), byType);
        return byType;
    }

    private static void load(ServiceLoader<ProviderFactory> loader, Map<String, ProviderFactory> byType) {
        try {
            for (ProviderFactory factory : loader) {
                ProviderFactory known = byType.putIfAbsent(factory.type(), factory);
                if (known != null && !known.getClass().getName().equals(factory.getClass().getName())) {
                    LOG.warn("provider type '{}' is claimed by {} and {}; using the first", factory.type(),
                            known.getClass().getName(), factory.getClass().getName());
                }
            }
        } catch (ServiceConfigurationError e) {
            LOG.error("a provider factory could not be loaded: {}", e.getMessage());
        }
    }
}

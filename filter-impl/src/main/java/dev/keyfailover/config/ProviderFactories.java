package dev.keyfailover.config;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

import dev.keyfailover.api.ProviderFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds {@link ProviderFactory} implementations through {@link ServiceLoader}, in the webapp's
 * class loader (the thread context one, where a custom provider jar lives) and in this module's
 * own (where the built-ins live, which differ on containers that load modules apart).
 *
 * <p>Each entry of a service file is loaded on its own: a factory whose class is missing or whose
 * constructor fails is remembered with its error, the others are still found, and only a route
 * that names a type no loaded factory has fails, with the broken factories in its message.
 */
public final class ProviderFactories {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderFactories.class);
    private static final String SERVICE_PREFIX = ProviderFactory.class.getName() + ": ";

    private ProviderFactories() {
    }

    /**
     * What the service files of some class loaders hold.
     *
     * @param byType every factory loaded, by type; the first one found for a type wins
     * @param broken each entry that could not be loaded: its class and why
     */
    record Discovery(Map<String, ProviderFactory> byType, Set<String> broken) {
    }

    /**
     * The factory of the type a route names in its parameter {@code provider}.
     *
     * @param where e.g. {@code servlet 'openai'}, as in every configuration error
     * @throws ConfigException when no factory of that type was loaded; the message lists the known
     *         types and the factories that could not be loaded (one of them may be of that type)
     */
    public static ProviderFactory require(String where, String type) throws ConfigException {
        Discovery found = discover(loaders());
        ProviderFactory factory = found.byType().get(type);
        if (factory != null) {
            return factory;
        }
        String message = where + ": parameter 'provider' names unknown type '" + type + "'; known types: "
                + String.join(", ", found.byType().keySet());
        if (!found.broken().isEmpty()) {
            message += "; provider factories that could not be loaded: " + String.join("; ", found.broken());
        }
        throw new ConfigException(message);
    }

    /**
     * The base URL the factory of this type presets for routes that give none
     * ({@link ProviderFactory#defaultBaseUrl()}); empty for a type without one, an unknown type
     * (whose route then fails on {@code baseUrl}), or a factory that fails to say.
     */
    static Optional<String> defaultBaseUrl(String type) {
        ProviderFactory factory = discover(loaders()).byType().get(type);
        if (factory == null) {
            return Optional.empty();
        }
        try {
            return factory.defaultBaseUrl().map(java.net.URI::toString);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("provider type '{}': its default base URL could not be read: {}", type, e.toString());
            return Optional.empty();
        }
    }

    private static List<ClassLoader> loaders() {
        List<ClassLoader> loaders = new ArrayList<>(2);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        if (context != null) {
            loaders.add(context);
        }
        loaders.add(ProviderFactories.class.getClassLoader());
        return loaders;
    }

    /** The factories of {@code loaders}, in order; a broken entry found through several is listed once. */
    static Discovery discover(List<ClassLoader> loaders) {
        Map<String, ProviderFactory> byType = new LinkedHashMap<>();
        Set<String> broken = new LinkedHashSet<>();
        for (ClassLoader loader : loaders) {
            load(ServiceLoader.load(ProviderFactory.class, loader), byType, broken);
        }
        return new Discovery(byType, broken);
    }

    private static void load(ServiceLoader<ProviderFactory> loader, Map<String, ProviderFactory> byType,
                             Set<String> broken) {
        Iterator<ServiceLoader.Provider<ProviderFactory>> entries = loader.stream().iterator();
        String lastError = null;
        while (true) {
            ServiceLoader.Provider<ProviderFactory> entry;
            try {
                if (!entries.hasNext()) {
                    return;
                }
                entry = entries.next();
            } catch (ServiceConfigurationError | LinkageError e) {
                // A class that is missing or not a factory: ServiceLoader goes on with the next entry,
                // unless it cannot read the service files at all (the same error again).
                String error = describe(e);
                if (error.equals(lastError)) {
                    return;
                }
                lastError = error;
                remember(broken, error);
                continue;
            }
            add(entry, byType, broken);
        }
    }

    private static void add(ServiceLoader.Provider<ProviderFactory> entry, Map<String, ProviderFactory> byType,
                            Set<String> broken) {
        ProviderFactory factory;
        String type;
        try {
            factory = entry.get();
            type = factory.type();
        } catch (ServiceConfigurationError e) {
            remember(broken, describe(e));
            return;
        } catch (LinkageError | RuntimeException e) {
            remember(broken, "Provider " + entry.type().getName() + " has no type: " + describe(e));
            return;
        }
        ProviderFactory known = byType.putIfAbsent(type, factory);
        if (known != null && !known.getClass().getName().equals(factory.getClass().getName())) {
            LOG.warn("provider type '{}' is claimed by {} and {}; using the first", type,
                    known.getClass().getName(), factory.getClass().getName());
        }
    }

    private static void remember(Set<String> broken, String error) {
        if (broken.add(error)) {
            LOG.error("a provider factory could not be loaded: {}", error);
        }
    }

    /**
     * A ServiceLoader error's message (which names the class) without the service's name, with its
     * root cause (what a constructor or static initializer threw); any other error as it prints.
     */
    private static String describe(Throwable e) {
        String message = e instanceof ServiceConfigurationError && e.getMessage() != null
                ? e.getMessage() : e.toString();
        if (message.startsWith(SERVICE_PREFIX)) {
            message = message.substring(SERVICE_PREFIX.length());
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? message : message + ": " + root;
    }
}

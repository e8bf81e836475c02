package dev.keyfailover.servlet;

import dev.keyfailover.config.ConfigException;
import dev.keyfailover.pool.JCacheKeyStateStore;
import dev.keyfailover.pool.KeyStateStore;
import dev.keyfailover.pool.LocalKeyStateStore;
import dev.keyfailover.pool.RepeatedLines;
import dev.keyfailover.settings.StateStoreSettings;
import jakarta.servlet.ServletContext;

/** Opens the key-state store a route asks for (behaviour.md §12). */
final class StateStores {

    /**
     * A servlet-context attribute holding a {@code javax.cache.CacheManager} the application made
     * (e.g. on its own Hazelcast member) for {@code stateStore=jcache}.
     */
    static final String CACHE_MANAGER_ATTRIBUTE = "dev.keyfailover.cacheManager";

    private StateStores() {
    }

    /** @param lines the route's throttles, for the lines a shared store's contention repeats (behaviour.md §8) */
    static KeyStateStore open(String where, StateStoreSettings settings, ServletContext context, RepeatedLines lines)
            throws ConfigException {
        if (settings.kind() == StateStoreSettings.Kind.LOCAL) {
            return LocalKeyStateStore.INSTANCE;
        }
        try {
            return JCacheKeyStateStore.open(context.getAttribute(CACHE_MANAGER_ATTRIBUTE), settings.providerConfig(),
                    settings.cacheName(), settings.timeout(), Thread.currentThread().getContextClassLoader(), lines);
        } catch (NoClassDefFoundError e) {
            throw new ConfigException(where + ": parameter 'stateStore' is jcache, but javax.cache (cache-api) and a "
                    + "JCache provider such as Hazelcast are not on the application's class path");
        } catch (RuntimeException e) {
            throw new ConfigException(where + ": parameter 'stateStore': cannot open the cache '" + settings.cacheName()
                    + "': " + e);
        }
    }
}

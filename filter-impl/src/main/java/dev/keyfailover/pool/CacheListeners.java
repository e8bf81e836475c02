package dev.keyfailover.pool;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stores open on the caches of one cache manager, to which the cache's events go
 * (behaviour.md §12); JCache's listener is part of the cache's configuration (so every member that
 * opens the cache makes it) or, on a cache created without it, registered once per cache.
 *
 * <p>Why a lookup at all: the listener is made by JCache's class factory from a class name (a
 * Hazelcast client sends its listener configuration to the cluster, whose members need not have
 * keyfailover's classes), so it cannot be handed its stores; it finds them from the cache that
 * sent the event. Each cache manager has its own instance: an event reaches only the stores of its
 * own cache, and a manager leaves the index when its last store closes (the index holds managers
 * weakly, so it never keeps one alive by itself).
 */
final class CacheListeners {

    private static final Logger LOG = LoggerFactory.getLogger(CacheListeners.class);
    /**
     * JCache's own class factory, which serializes to a class name: the one configuration of every
     * store, also part of the configuration a store creates its cache with.
     */
    static final MutableCacheEntryListenerConfiguration<String, String> LISTENER =
            new MutableCacheEntryListenerConfiguration<>(FactoryBuilder.factoryOf(JCacheKeyStateStore.Listener.class),
                    null, false, false);
    /** Guarded by itself; managers compare by identity (none of the tested providers overrides equals). */
    private static final Map<CacheManager, CacheListeners> BY_MANAGER = new WeakHashMap<>();

    /** A store's side of an event: an entry's new line, {@code null} when the entry is gone. */
    interface Subscriber {
        void changed(String cacheKey, String line);
    }

    /** Guarded by {@link #BY_MANAGER}. */
    private final Map<String, Subscribers> byCache = new HashMap<>();

    private static final class Subscribers {
        final List<Subscriber> stores = new CopyOnWriteArrayList<>();
        boolean registeredHere;
    }

    private CacheListeners() {
    }

    /** Sends the cache's events to {@code subscriber} from now on. */
    static void subscribe(Cache<String, String> cache, Subscriber subscriber) {
        synchronized (BY_MANAGER) {
            Subscribers subscribers = BY_MANAGER.computeIfAbsent(cache.getCacheManager(), manager -> new CacheListeners())
                    .byCache.computeIfAbsent(cache.getName(), name -> new Subscribers());
            subscribers.stores.add(subscriber);
            if (subscribers.stores.size() > 1) {
                return;
            }
            if (carriesListener(cache)) {
                // The cluster's configuration of the cache names the listener (the cache was created with it, or
                // another node registered it), so the cache made it when this node opened it. Registering it
                // again would not fail here on a member that joined later (its copy of the configuration does
                // not see it as equal) but on every other member, each logging an ERROR, and this member
                // would hear every event twice.
                return;
            }
            try {
                cache.registerCacheEntryListener(LISTENER);
                subscribers.registeredHere = true;
            } catch (IllegalArgumentException e) {
                // Another node registered the same configuration in the cluster's cache config, and this
                // node's cache made its listener from it when it was opened: events already arrive.
                LOG.debug("state store {}: listener already registered from the cluster's configuration",
                        cache.getName());
            }
        }
    }

    private static boolean carriesListener(Cache<String, String> cache) {
        try {
            CompleteConfiguration<?, ?> configuration = cache.getConfiguration(CompleteConfiguration.class);
            for (CacheEntryListenerConfiguration<?, ?> listener : configuration.getCacheEntryListenerConfigurations()) {
                if (LISTENER.equals(listener)) {
                    return true;
                }
            }
        } catch (IllegalArgumentException e) {
            // A provider without a complete configuration: registering tells.
        }
        return false;
    }

    /** Stops sending events to {@code subscriber}; the last store of a cache takes the listener away. */
    static void unsubscribe(Cache<String, String> cache, Subscriber subscriber) {
        synchronized (BY_MANAGER) {
            CacheListeners manager = BY_MANAGER.get(cache.getCacheManager());
            Subscribers subscribers = manager == null ? null : manager.byCache.get(cache.getName());
            if (subscribers == null || !subscribers.stores.remove(subscriber) || !subscribers.stores.isEmpty()) {
                return;
            }
            manager.byCache.remove(cache.getName());
            if (manager.byCache.isEmpty()) {
                BY_MANAGER.remove(cache.getCacheManager());
            }
            if (subscribers.registeredHere) {
                deregister(cache);
            }
        }
    }

    private static void deregister(Cache<String, String> cache) {
        try {
            cache.deregisterCacheEntryListener(LISTENER);
        } catch (RuntimeException e) {
            LOG.debug("state store: could not deregister the listener: {}", e.toString());
        }
    }

    /** Hands one event of {@code source} to the stores open on that cache. */
    static void deliver(Cache<?, ?> source, String cacheKey, String line) {
        List<Subscriber> stores;
        synchronized (BY_MANAGER) {
            CacheListeners manager = BY_MANAGER.get(source.getCacheManager());
            Subscribers subscribers = manager == null ? null : manager.byCache.get(source.getName());
            if (subscribers == null) {
                return;
            }
            stores = subscribers.stores;
        }
        for (Subscriber store : stores) {
            store.changed(cacheKey, line);
        }
    }
}

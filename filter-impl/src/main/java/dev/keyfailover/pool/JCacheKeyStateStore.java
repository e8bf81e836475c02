package dev.keyfailover.pool;

import java.io.Serializable;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Key states in a JSR-107 cache shared by every node (behaviour.md §12); Hazelcast is the tested
 * provider. The cache key is {@code <provider>|<SHA-256 of the key>|<scope>} (never the key), the
 * value a versioned {@link StoredStatus} line. A mark is a compare-and-set on the cache
 * ({@link SharedKeyStates}), so a transition happens once in the cluster, a deadline is never
 * shortened there, and one probe at a time holds cluster-wide.
 *
 * <p>Requests never wait for the cache to read a state: each node keeps a {@link SharedView} of
 * each key, filled at start and kept current by a cache entry listener ({@link CacheListeners});
 * the view adopts only states newer than its own. A cache call that does not answer within
 * {@code stateStoreTimeout} never fails a request ({@link StoreCalls}).
 */
public final class JCacheKeyStateStore extends KeyStateStore {

    private static final Logger LOG = LoggerFactory.getLogger(JCacheKeyStateStore.class);
    /** A key no view reads, looked up to see whether a store that was down answers again. */
    private static final String PING_KEY = "keyfailover-ping";
    /** Reading everything at start may take longer than a mark; it is not on a request's path. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(5);

    private final String id = UUID.randomUUID().toString();
    private final Cache<String, String> cache;
    private final StoreCalls calls;
    private final SharedBudgetCounts budgets;
    /** The views by cache-key prefix {@code <provider>|<fingerprint>|}. */
    private final Map<String, SharedView> views = new ConcurrentHashMap<>();
    /** This store as its cache's listener sees it: one instance, so that closing takes away this one. */
    private final CacheListeners.Subscriber subscriber = this::changed;
    private final RepeatedLines.Line contention;

    private JCacheKeyStateStore(Cache<String, String> cache, Duration timeout, RepeatedLines lines) {
        this.cache = cache;
        this.calls = new StoreCalls(cache.getName(), timeout);
        // Threads of their own: a burst of answers counting never makes the key states' marks fall back.
        this.budgets = new SharedBudgetCounts(cache, new StoreCalls(cache.getName() + " (budgets)", timeout), lines);
        this.contention = SharedKeyStates.contentionLine(lines, cache.getName());
    }

    /**
     * Opens the store on the application's cache manager (the servlet-context attribute
     * {@code dev.keyfailover.cacheManager}) or, without one, the default JCache provider's manager
     * for {@code providerConfig} ({@code null}: its default).
     *
     * @param applicationManager a {@link CacheManager}, or {@code null}
     * @param lines where the route throttles the store's lines that contention repeats
     */
    public static JCacheKeyStateStore open(Object applicationManager, java.net.URI providerConfig, String cacheName,
                                           Duration timeout, ClassLoader classLoader, RepeatedLines lines) {
        CacheManager manager;
        if (applicationManager instanceof CacheManager) {
            manager = (CacheManager) applicationManager;
        } else {
            javax.cache.spi.CachingProvider provider = javax.cache.Caching.getCachingProvider(classLoader);
            manager = provider.getCacheManager(providerConfig == null ? provider.getDefaultURI() : providerConfig,
                    classLoader);
        }
        return open(manager, cacheName, timeout, lines);
    }

    /** {@link #open(CacheManager, String, Duration, RepeatedLines)} with every line written (tools, tests). */
    public static JCacheKeyStateStore open(CacheManager manager, String cacheName, Duration timeout) {
        return open(manager, cacheName, timeout, RepeatedLines.UNTHROTTLED);
    }

    /**
     * Opens the store on a cache of the manager, creating the cache (String to String, stored by
     * value) when it does not exist.
     *
     * @param timeout the longest a mark waits for the cache before the node falls back to its own view
     * @param lines where the route throttles the store's lines that contention repeats (behaviour.md §8)
     */
    public static JCacheKeyStateStore open(CacheManager manager, String cacheName, Duration timeout,
                                           RepeatedLines lines) {
        Cache<String, String> cache = manager.getCache(cacheName, String.class, String.class);
        if (cache == null) {
            try {
                // The listener in the configuration: each member that opens the cache makes it, and none registers it.
                cache = manager.createCache(cacheName, new MutableConfiguration<String, String>()
                        .setTypes(String.class, String.class).setStoreByValue(true)
                        .addCacheEntryListenerConfiguration(CacheListeners.LISTENER));
            } catch (javax.cache.CacheException e) {
                // Another route or node created it meanwhile.
                cache = manager.getCache(cacheName, String.class, String.class);
            }
        }
        JCacheKeyStateStore store = new JCacheKeyStateStore(cache, timeout, lines);
        CacheListeners.subscribe(cache, store.subscriber);
        return store;
    }

    @Override
    KeyStates statesOf(String providerName, Key key) {
        String prefix = providerName + '|' + fingerprint(key.secret()) + '|';
        SharedView view = views.computeIfAbsent(prefix, p -> new SharedView());
        return new SharedKeyStates(cache, calls, prefix, key.hint(), view, contention);
    }

    /** Takes what the cluster already knows of this pool's keys: a restarted node starts where the others are. */
    @Override
    public void started() {
        Boolean loaded = calls.call("read the cluster's key states", STARTUP_TIMEOUT, () -> {
            for (Iterator<Cache.Entry<String, String>> entries = cache.iterator(); entries.hasNext(); ) {
                Cache.Entry<String, String> entry = entries.next();
                if (entry != null) {
                    changed(entry.getKey(), entry.getValue());
                }
            }
            // The first write of a fresh node takes longer than a mark may wait (class loading,
            // connections): make it here, on an entry no view reads, so the first real mark is shared.
            String warmUp = "keyfailover-warm-up|" + id + "|";
            String line = StoredStatus.NONE.line();
            cache.putIfAbsent(warmUp, line);
            cache.replace(warmUp, line, line);
            cache.remove(warmUp);
            return Boolean.TRUE;
        });
        LOG.info("state store {}: {}", cache.getName(), loaded != null ? "key states loaded from the cluster"
                : "the cluster's key states could not be read; starting from this node's own");
    }

    /** The budget counts of every node, in the same cache (so that a restart keeps them). */
    @Override
    public BudgetCounts budgetCounts() {
        return budgets;
    }

    @Override
    public java.util.Optional<SharedKeyList> keyList(String providerName,
                                                     java.util.function.Consumer<KeyChanges> listener) {
        return java.util.Optional.of(SharedKeyList.open(cache, calls, providerName, listener, STARTUP_TIMEOUT));
    }

    @Override
    public String description() {
        return "jcache " + cache.getName();
    }

    /**
     * Whether the store answers. While it is down, asking checks it again (at most once a second,
     * bounded by the timeout): a node that marks nothing would otherwise report it down for ever.
     */
    @Override
    public boolean reachable() {
        if (calls.isDown() && calls.retryDue()) {
            calls.call("check that it answers", () -> cache.containsKey(PING_KEY));
        }
        return !calls.isDown();
    }

    @Override
    public void close() {
        CacheListeners.unsubscribe(cache, subscriber);
        calls.close();
        budgets.close();
    }

    static String fingerprint(String secret) {
        return KeyFingerprint.digest(secret);
    }

    /** An entry of the cache changed ({@code line} {@code null}: it is gone); the view of its key adopts it. */
    private void changed(String cacheKey, String line) {
        if (budgets.changed(cacheKey, line)) {
            return;
        }
        int scopeAt = cacheKey.lastIndexOf('|');
        if (scopeAt < 0) {
            return;
        }
        SharedView view = views.get(cacheKey.substring(0, scopeAt + 1));
        if (view == null) {
            return;
        }
        String scope = cacheKey.substring(scopeAt + 1);
        if (line == null) {
            view.forget(scope);
        } else {
            view.adopt(scope, StoredStatus.parse(line));
        }
    }

    /**
     * Hands every change of a cache to the stores open on it ({@link CacheListeners}). Public with a
     * public constructor because JCache's class factory makes it by name; the name stays, as
     * clusters keep it in their cache configuration.
     */
    public static final class Listener implements CacheEntryCreatedListener<String, String>,
            CacheEntryUpdatedListener<String, String>, CacheEntryRemovedListener<String, String>,
            CacheEntryExpiredListener<String, String>, Serializable {
        private static final long serialVersionUID = 2L;

        private static void deliver(Iterable<CacheEntryEvent<? extends String, ? extends String>> events, boolean gone) {
            for (CacheEntryEvent<? extends String, ? extends String> event : events) {
                CacheListeners.deliver(event.getSource(), event.getKey(), gone ? null : event.getValue());
            }
        }

        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            deliver(events, false);
        }

        @Override
        public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            deliver(events, false);
        }

        @Override
        public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            deliver(events, true);
        }

        @Override
        public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            deliver(events, true);
        }
    }
}

package dev.keyfailover.pool;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableCacheEntryListenerConfiguration;
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
 * value a {@link StoredStatus} line. A mark is a compare-and-set on the cache
 * ({@code putIfAbsent}, {@code replace(k, old, new)}), so a transition happens once in the
 * cluster, a deadline is never shortened there, and one probe at a time holds cluster-wide.
 *
 * <p>Requests never wait for the cache to read a state: each node keeps a local view, filled at
 * start and kept current by a cache entry listener. A cache call that does not answer within
 * {@code stateStoreTimeout} never fails a request: the node marks its local view instead, logs
 * the fall-back once, and tries the cache again a second later.
 */
public final class JCacheKeyStateStore implements KeyStateStore {

    private static final Logger LOG = LoggerFactory.getLogger(JCacheKeyStateStore.class);
    /** Stores open in this class loader, to which the cache's listeners hand its events. */
    private static final Map<String, JCacheKeyStateStore> OPEN = new ConcurrentHashMap<>();
    /**
     * The one listener configuration of every store: its factory is JCache's own class factory,
     * which serializes to a class name. A client sends its listener configurations to the cluster
     * (again whenever it finds a restarted cluster), and members that do not have keyfailover's
     * classes can read a class name where they could not read a factory of ours.
     */
    private static final MutableCacheEntryListenerConfiguration<String, String> LISTENER =
            new MutableCacheEntryListenerConfiguration<>(FactoryBuilder.factoryOf(Listener.class), null, false, false);
    /** The stores of this class loader on each cache; the listener is registered once per cache. */
    private static final Map<CacheIdentity, Listening> LISTENING = new HashMap<>();
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final int CAS_ATTEMPTS = 16;
    /** A key no view reads, looked up to see whether a store that was down answers again. */
    private static final String PING_KEY = "keyfailover-ping";
    /** Reading everything at start may take longer than a mark; it is not on a request's path. */
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(5);

    private final String id = UUID.randomUUID().toString();
    private final Cache<String, String> cache;
    private final Duration timeout;
    private final ExecutorService calls;
    /** The local views by cache-key prefix {@code <provider>|<fingerprint>|}. */
    private final Map<String, LocalKeyStateStore.Local> views = new ConcurrentHashMap<>();
    private final AtomicBoolean down = new AtomicBoolean();
    private volatile long retryAtNanos;

    private JCacheKeyStateStore(Cache<String, String> cache, Duration timeout) {
        this.cache = cache;
        this.timeout = timeout;
        this.calls = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "keyfailover-state-store");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Opens the store on the application's cache manager (the servlet-context attribute
     * {@code dev.keyfailover.cacheManager}) or, without one, the default JCache provider's manager
     * for {@code providerConfig} ({@code null}: its default).
     *
     * @param applicationManager a {@link CacheManager}, or {@code null}
     */
    public static JCacheKeyStateStore open(Object applicationManager, java.net.URI providerConfig, String cacheName,
                                           Duration timeout, ClassLoader classLoader) {
        CacheManager manager;
        if (applicationManager instanceof CacheManager) {
            manager = (CacheManager) applicationManager;
        } else {
            javax.cache.spi.CachingProvider provider = javax.cache.Caching.getCachingProvider(classLoader);
            manager = provider.getCacheManager(providerConfig == null ? provider.getDefaultURI() : providerConfig,
                    classLoader);
        }
        return open(manager, cacheName, timeout);
    }

    /**
     * Opens the store on a cache of the manager, creating the cache (String to String, stored by
     * value) when it does not exist.
     *
     * @param timeout the longest a mark waits for the cache before the node falls back to its own view
     */
    public static JCacheKeyStateStore open(CacheManager manager, String cacheName, Duration timeout) {
        Cache<String, String> cache = manager.getCache(cacheName, String.class, String.class);
        if (cache == null) {
            try {
                cache = manager.createCache(cacheName, new MutableConfiguration<String, String>()
                        .setTypes(String.class, String.class).setStoreByValue(true));
            } catch (javax.cache.CacheException e) {
                // Another route or node created it meanwhile.
                cache = manager.getCache(cacheName, String.class, String.class);
            }
        }
        JCacheKeyStateStore store = new JCacheKeyStateStore(cache, timeout);
        OPEN.put(store.id, store);
        listen(cache);
        return store;
    }

    private static void listen(Cache<String, String> cache) {
        synchronized (LISTENING) {
            Listening listening = LISTENING.computeIfAbsent(CacheIdentity.of(cache), identity -> new Listening());
            if (listening.stores++ > 0) {
                return;
            }
            try {
                cache.registerCacheEntryListener(LISTENER);
                listening.registeredHere = true;
            } catch (IllegalArgumentException e) {
                // Another node registered the same configuration in the cluster's cache config, and this
                // node's cache made its listener from it when it was opened: events already arrive.
                LOG.debug("state store {}: listener already registered from the cluster's configuration",
                        cache.getName());
            }
        }
    }

    private static void stopListening(Cache<String, String> cache) {
        synchronized (LISTENING) {
            CacheIdentity identity = CacheIdentity.of(cache);
            Listening listening = LISTENING.get(identity);
            if (listening == null || --listening.stores > 0) {
                return;
            }
            LISTENING.remove(identity);
            if (!listening.registeredHere) {
                return;
            }
            try {
                cache.deregisterCacheEntryListener(LISTENER);
            } catch (RuntimeException e) {
                LOG.debug("state store: could not deregister the listener: {}", e.toString());
            }
        }
    }

    /** Guarded by {@link #LISTENING}. */
    private static final class Listening {
        int stores;
        boolean registeredHere;
    }

    @Override
    public KeyStates statesOf(String providerName, Key key) {
        String prefix = providerName + '|' + fingerprint(key.secret()) + '|';
        LocalKeyStateStore.Local view = views.computeIfAbsent(prefix, p -> new LocalKeyStateStore.Local());
        return new Shared(prefix, view);
    }

    /** Takes what the cluster already knows of this pool's keys: a restarted node starts where the others are. */
    @Override
    public void started() {
        Boolean loaded = call("read the cluster's key states", STARTUP_TIMEOUT, () -> {
            for (Iterator<Cache.Entry<String, String>> entries = cache.iterator(); entries.hasNext(); ) {
                Cache.Entry<String, String> entry = entries.next();
                if (entry != null) {
                    applyEvent(entry.getKey(), entry.getValue());
                }
            }
            // The first write of a fresh node takes longer than a mark may wait (class loading,
            // connections): make it here, on an entry no view reads, so the first real mark is shared.
            String warmUp = "keyfailover-warm-up|" + id + "|";
            cache.putIfAbsent(warmUp, StoredStatus.encode(KeyStatus.VALID));
            cache.replace(warmUp, StoredStatus.encode(KeyStatus.VALID), StoredStatus.encode(KeyStatus.VALID));
            cache.remove(warmUp);
            return Boolean.TRUE;
        });
        LOG.info("state store {}: {}", cache.getName(), loaded != null ? "key states loaded from the cluster"
                : "the cluster's key states could not be read; starting from this node's own");
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
        if (down.get() && System.nanoTime() >= retryAtNanos) {
            call("check that it answers", () -> cache.containsKey(PING_KEY));
        }
        return !down.get();
    }

    @Override
    public void close() {
        OPEN.remove(id);
        stopListening(cache);
        calls.shutdownNow();
    }

    private <T> T call(String what, Callable<T> action) {
        return call(what, timeout, action);
    }

    /** A cache call bounded by a timeout; {@code null} (after noting the store down) when it fails or is late. */
    private <T> T call(String what, Duration limit, Callable<T> action) {
        if (down.get() && System.nanoTime() < retryAtNanos) {
            return null;
        }
        Future<T> result = calls.submit(action);
        try {
            T value = result.get(limit.toNanos(), TimeUnit.NANOSECONDS);
            if (down.compareAndSet(true, false)) {
                LOG.info("state store {} answers again; key states are shared again", cache.getName());
            }
            return value;
        } catch (TimeoutException | ExecutionException | RuntimeException e) {
            result.cancel(true);
            retryAtNanos = System.nanoTime() + RETRY_NANOS;
            if (down.compareAndSet(false, true)) {
                LOG.warn("state store {} did not answer ({}: {}) within {} ms; this node uses its own key states "
                        + "until it does", cache.getName(), what, e instanceof ExecutionException ? e.getCause() : e,
                        limit.toMillis());
            }
            return null;
        } catch (InterruptedException e) {
            result.cancel(true);
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static String fingerprint(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** Whether {@code source}, a cache that sent an event, is this store's cache. */
    private boolean uses(Cache<?, ?> source) {
        return CacheIdentity.of(source).equals(CacheIdentity.of(cache));
    }

    private void applyEvent(String cacheKey, String value) {
        int scopeAt = cacheKey.lastIndexOf('|');
        if (scopeAt < 0) {
            return;
        }
        LocalKeyStateStore.Local view = views.get(cacheKey.substring(0, scopeAt + 1));
        if (view != null) {
            view.adopt(cacheKey.substring(scopeAt + 1), StoredStatus.decode(value));
        }
    }

    /** One key's states: read from the local view, changed on the cache first. */
    private final class Shared implements KeyStates {
        private final String prefix;
        private final LocalKeyStateStore.Local view;

        Shared(String prefix, LocalKeyStateStore.Local view) {
            this.prefix = prefix;
            this.view = view;
        }

        @Override
        public KeyStatus get(String scope) {
            return view.get(scope);
        }

        @Override
        public Transition update(String scope, UnaryOperator<KeyStatus> change) {
            Transition shared = call("mark a key", () -> compareAndSet(prefix + scope, change));
            if (shared == null) {
                return view.update(scope, change);
            }
            view.adopt(scope, shared.after());
            return shared;
        }

        /** The transition as the cluster made it, retried on concurrent changes by other nodes. */
        private Transition compareAndSet(String cacheKey, UnaryOperator<KeyStatus> change) {
            for (int attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
                String stored = cache.get(cacheKey);
                KeyStatus current = StoredStatus.decode(stored);
                KeyStatus next = change.apply(current);
                if (next.equals(current)) {
                    return new Transition(current, current);
                }
                String line = StoredStatus.encode(next);
                boolean done = stored == null ? cache.putIfAbsent(cacheKey, line) : cache.replace(cacheKey, stored, line);
                if (done) {
                    return new Transition(current, next);
                }
            }
            throw new IllegalStateException("the key's state kept changing under " + CAS_ATTEMPTS + " attempts");
        }

        @Override
        public Map<String, KeyStatus> models() {
            return view.models();
        }
    }

    /** A cache as its manager knows it: managers compare by identity, so two clusters never mix. */
    private record CacheIdentity(CacheManager manager, String name) {
        static CacheIdentity of(Cache<?, ?> cache) {
            return new CacheIdentity(cache.getCacheManager(), cache.getName());
        }
    }

    /**
     * Hands every change of a cache to this class loader's stores on that cache, to adopt into their
     * local views. Public with a public constructor because JCache's class factory makes it by name.
     */
    public static final class Listener implements CacheEntryCreatedListener<String, String>,
            CacheEntryUpdatedListener<String, String>, CacheEntryRemovedListener<String, String>,
            CacheEntryExpiredListener<String, String>, Serializable {
        private static final long serialVersionUID = 2L;

        private static void adopt(Iterable<CacheEntryEvent<? extends String, ? extends String>> events, boolean gone) {
            for (CacheEntryEvent<? extends String, ? extends String> event : events) {
                for (JCacheKeyStateStore store : OPEN.values()) {
                    if (store.uses(event.getSource())) {
                        store.applyEvent(event.getKey(), gone ? null : event.getValue());
                    }
                }
            }
        }

        @Override
        public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            adopt(events, false);
        }

        @Override
        public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            adopt(events, false);
        }

        @Override
        public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            adopt(events, true);
        }

        @Override
        public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
            adopt(events, true);
        }
    }
}

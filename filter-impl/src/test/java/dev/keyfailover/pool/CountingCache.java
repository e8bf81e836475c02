package dev.keyfailover.pool;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

import javax.cache.Cache;

/**
 * A node's handle on a real cache that counts the reads of one entry ({@code get} of that key).
 * {@link #deaf} makes a node that hears none of the cache's events, as when Hazelcast drops them:
 * its listener is never registered and its events are looked up under another name.
 */
final class CountingCache {

    private final String counted;
    private final AtomicInteger reads = new AtomicInteger();

    private CountingCache(String counted) {
        this.counted = counted;
    }

    static CountingCache of(String counted) {
        return new CountingCache(counted);
    }

    int reads() {
        return reads.get();
    }

    Cache<String, String> around(Cache<String, String> cache) {
        return wrap(cache, false);
    }

    Cache<String, String> deaf(Cache<String, String> cache) {
        return wrap(cache, true);
    }

    @SuppressWarnings("unchecked")
    private Cache<String, String> wrap(Cache<String, String> cache, boolean deaf) {
        return (Cache<String, String>) Proxy.newProxyInstance(Cache.class.getClassLoader(), new Class<?>[] {Cache.class},
                (proxy, method, args) -> {
                    String name = method.getName();
                    if (name.equals("get") && args.length == 1 && counted.equals(args[0])) {
                        reads.incrementAndGet();
                    }
                    if (deaf && name.equals("registerCacheEntryListener")) {
                        return null;
                    }
                    if (deaf && name.equals("getName")) {
                        return cache.getName() + " (deaf)";
                    }
                    try {
                        return method.invoke(cache, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}

package dev.keyfailover.settings;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where a route's key states live (behaviour.md §12).
 *
 * @param kind {@code local} (this node) or {@code jcache} (a cache shared by nodes)
 * @param cacheName the JCache cache ({@code stateStoreName})
 * @param providerConfig the cache provider's configuration ({@code stateStoreConfig}); {@code null}
 *     for its default, or when the application hands its own cache manager over
 * @param timeout the longest a mark waits for the store before the node uses its own states
 */
public record StateStoreSettings(Kind kind, String cacheName, URI providerConfig, Duration timeout) {

    /** The store's kind. */
    public enum Kind {
        /** This node's memory. */
        LOCAL,
        /** A JSR-107 cache shared by every node. */
        JCACHE
    }

    /** {@code keyfailover-state}. */
    public static final String DEFAULT_CACHE_NAME = "keyfailover-state";
    /** 50 ms. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(50);

    public StateStoreSettings {
        Objects.requireNonNull(kind, "stateStore");
        Objects.requireNonNull(cacheName, "stateStoreName");
        Require.positive(timeout, "stateStoreTimeout");
    }

    /** This node's memory. */
    public static StateStoreSettings local() {
        return new StateStoreSettings(Kind.LOCAL, DEFAULT_CACHE_NAME, null, DEFAULT_TIMEOUT);
    }
}

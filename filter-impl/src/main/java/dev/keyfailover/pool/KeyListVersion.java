package dev.keyfailover.pool;

import java.util.OptionalLong;

import javax.cache.Cache;

/**
 * The version of one route's run-time key list, in a small entry of its own beside the list
 * ({@code keyfailover-keys-version|<provider>}, a decimal number): what a node's poll reads instead
 * of the list, which grows by about 150 bytes per added key (behaviour.md §14, across nodes).
 *
 * <p>Why an entry of its own rather than an {@code EntryProcessor} that returns the list's version:
 * a processor runs on the member that owns the entry, and a client node's cluster need not have
 * keyfailover's classes (docs/cluster.md). JCache has no compare-and-set over two entries, so the
 * list stays the one entry a change is decided on (its compare-and-set), and this one follows it:
 * raised after the list is written, by a compare-and-set that only ever makes it larger, so two
 * writers that raise it in either order leave the larger version. Between the two writes it lags
 * by one change, which the cache's event of the list brings every node meanwhile.
 */
final class KeyListVersion {

    static final String PREFIX = "keyfailover-keys-version|";
    /** Only writers of the same route race here, and each raise needs one win at most. */
    private static final int ATTEMPTS = 16;

    private final Cache<String, String> cache;
    private final String entry;

    KeyListVersion(Cache<String, String> cache, String provider) {
        this.cache = cache;
        this.entry = PREFIX + provider;
    }

    /** The published version; empty when there is none (nothing changed yet, or the cluster lost it). */
    OptionalLong read() {
        return parse(cache.get(entry));
    }

    /** Publishes {@code version} unless a larger one is published already. */
    void raise(long version) {
        String next = Long.toString(version);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            String line = cache.get(entry);
            if (line == null) {
                if (cache.putIfAbsent(entry, next)) {
                    return;
                }
                continue;
            }
            OptionalLong published = parse(line);
            if (published.isPresent() && published.getAsLong() >= version) {
                return;
            }
            if (cache.replace(entry, line, next)) {
                return;
            }
        }
    }

    /**
     * The list holds an older version than the one published (the cluster lost the list, and a node
     * wrote back the older one it held): publishes the list's, or every poll would read the list again.
     */
    void settle(long published, long listed) {
        cache.replace(entry, Long.toString(published), Long.toString(listed));
    }

    private static OptionalLong parse(String line) {
        if (line == null) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(line.trim()));
        } catch (NumberFormatException e) {
            // Not ours: treated as none, so the next poll reads the list and publishes its version.
            return OptionalLong.empty();
        }
    }
}

package dev.keyfailover.metrics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.keyfailover.pool.Key;
import dev.keyfailover.pool.KeyId;

/**
 * The {@code key} tag of each key of a pool: its masked hint, never the key. A key whose hint is
 * already another live key's tag (short keys are all {@code ****}) gets {@code #index} after it, so
 * that each key keeps meters of its own; a key keeps its tag while it stays in the pool
 * (behaviour.md §14).
 */
final class KeyTags {

    /**
     * The tag of each live key by {@link Key#index()}, {@code null} for none; copied on write. One
     * request's hot path reads it for every answer counted: without a lock, no boxed index.
     */
    private volatile String[] byIndex = new String[0];
    /** How many live keys have each hint; guarded by this. */
    private final Map<String, Integer> hints = new HashMap<>();

    /** The tags of the first keys: a hint shared by several gets {@code #index} on each. */
    synchronized void addAll(List<Key> keys) {
        Map<String, Integer> seen = new HashMap<>();
        int size = byIndex.length;
        for (Key key : keys) {
            seen.merge(key.hint(), 1, Integer::sum);
            size = Math.max(size, key.index() + 1);
        }
        String[] tags = Arrays.copyOf(byIndex, size);
        for (Key key : keys) {
            String tag = seen.get(key.hint()) > 1 || hints.containsKey(key.hint())
                    ? key.hint() + "#" + key.index() : key.hint();
            tags[key.index()] = tag;
        }
        byIndex = tags;
        for (Key key : keys) {
            hints.merge(key.hint(), 1, Integer::sum);
        }
    }

    /** The tag of a live key; {@code null} for a key these tags do not know. */
    String tagOf(Key key) {
        return tagAt(key.index());
    }

    /** The tag of a key by its id; its hint for a key that joined after these tags were made. */
    String tagOf(KeyId key) {
        String tag = tagAt(key.index());
        return tag != null ? tag : key.hint();
    }

    private String tagAt(int index) {
        String[] tags = byIndex;
        return index < tags.length ? tags[index] : null;
    }

    synchronized void remove(Key key) {
        if (key.index() < byIndex.length) {
            String[] tags = byIndex.clone();
            tags[key.index()] = null;
            byIndex = tags;
        }
        hints.computeIfPresent(key.hint(), (hint, count) -> count == 1 ? null : count - 1);
    }
}

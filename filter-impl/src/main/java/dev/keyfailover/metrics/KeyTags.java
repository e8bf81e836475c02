package dev.keyfailover.metrics;

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

    /** The tag of each live key, by {@link Key#index()}. */
    private final Map<Integer, String> byIndex = new HashMap<>();
    /** How many live keys have each hint. */
    private final Map<String, Integer> hints = new HashMap<>();

    /** The tags of the first keys: a hint shared by several gets {@code #index} on each. */
    synchronized void addAll(List<Key> keys) {
        Map<String, Integer> seen = new HashMap<>();
        for (Key key : keys) {
            seen.merge(key.hint(), 1, Integer::sum);
        }
        for (Key key : keys) {
            String tag = seen.get(key.hint()) > 1 || hints.containsKey(key.hint())
                    ? key.hint() + "#" + key.index() : key.hint();
            byIndex.put(key.index(), tag);
        }
        for (Key key : keys) {
            hints.merge(key.hint(), 1, Integer::sum);
        }
    }

    synchronized String tagOf(Key key) {
        return byIndex.get(key.index());
    }

    /** The tag of a key by its id; its hint for a key that joined after these tags were made. */
    synchronized String tagOf(KeyId key) {
        return byIndex.getOrDefault(key.index(), key.hint());
    }

    synchronized void remove(Key key) {
        byIndex.remove(key.index());
        hints.computeIfPresent(key.hint(), (hint, count) -> count == 1 ? null : count - 1);
    }
}

package dev.keyfailover.metrics;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.keyfailover.pool.Key;

/**
 * The {@code key} tag of each key of a pool: its masked hint, never the key. Two keys whose hints
 * are alike (short keys are all {@code ****}) get {@code #index} after it, so that each key keeps
 * meters of its own.
 */
final class KeyTags {

    private KeyTags() {
    }

    /** The tag of each key, by index. */
    static String[] of(List<Key> keys) {
        Map<String, Integer> seen = new HashMap<>();
        for (Key key : keys) {
            seen.merge(key.hint(), 1, Integer::sum);
        }
        String[] tags = new String[keys.size()];
        for (Key key : keys) {
            tags[key.index()] = seen.get(key.hint()) > 1 ? key.hint() + "#" + key.index() : key.hint();
        }
        return tags;
    }
}

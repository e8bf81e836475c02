package dev.keyfailover.metrics;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code model} tag of {@code keyfailover.tokens} (behaviour.md §16): clients choose model
 * names, so a route gives the first {@code max} names it meets a tag of their own and counts the
 * others as {@code other}; a request without a model is {@code none}. A name longer than
 * {@link #MAX_LENGTH} is {@code other} too.
 */
final class ModelTags {

    static final String OTHER = "other";
    static final String NONE = "none";
    static final int MAX_LENGTH = 100;

    private final int max;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    ModelTags(int max) {
        this.max = max;
    }

    String tag(String model) {
        if (model == null || model.isEmpty()) {
            return NONE;
        }
        if (known.contains(model)) {
            return model;
        }
        if (model.length() > MAX_LENGTH || OTHER.equals(model) || NONE.equals(model)) {
            return OTHER;
        }
        synchronized (known) {
            if (known.size() < max) {
                known.add(model);
                return model;
            }
        }
        return OTHER;
    }
}

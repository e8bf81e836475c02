package dev.keyfailover.config;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Function;

/**
 * Where a route's raw parameters come from: its own init-params, then the context-params named
 * {@code keyfailover.<name>} as defaults shared by several routes.
 */
public final class ParameterSource {

    /** The prefix of context-params that hold shared defaults. */
    public static final String CONTEXT_PREFIX = "keyfailover.";

    private final Function<String, String> own;
    private final Set<String> ownNames;
    private final Function<String, String> context;
    private final Set<String> contextNames;

    public ParameterSource(Function<String, String> own, Enumeration<String> ownNames,
                           Function<String, String> context, Enumeration<String> contextNames) {
        this.own = own;
        this.ownNames = new LinkedHashSet<>(Collections.list(ownNames));
        this.context = context;
        this.contextNames = new LinkedHashSet<>(Collections.list(contextNames));
    }

    /** The raw value, or {@code null}. */
    String get(String name) {
        String value = own.apply(name);
        return value != null ? value : context.apply(CONTEXT_PREFIX + name);
    }

    /** Every parameter name known from either source. */
    Set<String> names() {
        Set<String> names = new LinkedHashSet<>(ownNames);
        for (String name : contextNames) {
            if (name.startsWith(CONTEXT_PREFIX)) {
                names.add(name.substring(CONTEXT_PREFIX.length()));
            }
        }
        return names;
    }
}

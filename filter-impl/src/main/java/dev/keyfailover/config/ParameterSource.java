package dev.keyfailover.config;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Where a route's raw parameters come from: its own init-params, then the context-params named
 * {@code keyfailover.<name>} as defaults shared by several routes.
 */
public final class ParameterSource {

    /** The prefix of context-params that hold shared defaults. */
    public static final String CONTEXT_PREFIX = "keyfailover.";
    /**
     * A servlet-context attribute, a {@code Map<String, String>}: for a context-param set from
     * somewhere else (an environment variable), its name to that source's name, which a
     * configuration error then names.
     */
    public static final String ORIGINS_ATTRIBUTE = "dev.keyfailover.contextParamOrigins";

    private final Function<String, String> own;
    private final Set<String> ownNames;
    private final Function<String, String> context;
    private final Set<String> contextNames;
    private final Function<String, String> contextOrigins;

    public ParameterSource(Function<String, String> own, Enumeration<String> ownNames,
                           Function<String, String> context, Enumeration<String> contextNames) {
        this(own, ownNames, context, contextNames, name -> null);
    }

    /** @param contextOrigins what set a context-param (by its full name), {@code null} when nothing said */
    public ParameterSource(Function<String, String> own, Enumeration<String> ownNames,
                           Function<String, String> context, Enumeration<String> contextNames,
                           Function<String, String> contextOrigins) {
        this.own = own;
        this.ownNames = new LinkedHashSet<>(Collections.list(ownNames));
        this.context = context;
        this.contextNames = new LinkedHashSet<>(Collections.list(contextNames));
        this.contextOrigins = contextOrigins;
    }

    /** The origins an {@link #ORIGINS_ATTRIBUTE} value gives; none when it is absent or no map. */
    public static Function<String, String> origins(Object attribute) {
        if (!(attribute instanceof Map<?, ?> map)) {
            return name -> null;
        }
        return name -> map.get(name) instanceof String origin ? origin : null;
    }

    /** The raw value, or {@code null}. */
    String get(String name) {
        String value = own.apply(name);
        return value != null ? value : context.apply(CONTEXT_PREFIX + name);
    }

    /**
     * Where the value of {@code name} comes from when it is not the route's own init-param, as a
     * configuration error names it: {@code context-param keyfailover.<name>} and what set that, if
     * said; {@code null} for the route's own init-param (what a parameter is unless said) or no value.
     */
    String origin(String name) {
        if (own.apply(name) != null) {
            return null;
        }
        String param = CONTEXT_PREFIX + name;
        if (context.apply(param) == null) {
            return null;
        }
        String setFrom = contextOrigins.apply(param);
        return "context-param " + param + (setFrom == null ? "" : ", set from " + setFrom);
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

package dev.keyfailover.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Reads a route's parameters: context-param defaults, placeholders resolved, errors naming route and parameter. */
final class ParameterReader {

    /** Parameters that hold secrets: never handed to a provider factory. */
    private static final java.util.Set<String> SECRET = java.util.Set.of("keys", "clientTokens", "adminToken", "keysSecret");

    private final String where;
    private final String routeName;
    private final ParameterSource parameters;
    private final Placeholders placeholders;

    ParameterReader(String where, String routeName, ParameterSource parameters, Placeholders placeholders) {
        this.where = where;
        this.routeName = routeName;
        this.parameters = parameters;
        this.placeholders = placeholders;
    }

    Optional<String> optional(String name) throws ConfigException {
        String raw = parameters.get(name);
        if (raw == null) {
            return Optional.empty();
        }
        String resolved;
        try {
            resolved = placeholders.resolve(raw);
        } catch (IllegalArgumentException e) {
            throw error(name, e.getMessage());
        }
        return resolved == null || resolved.isBlank() ? Optional.empty() : Optional.of(resolved.trim());
    }

    String required(String name) throws ConfigException {
        return optional(name).orElseThrow(() -> error(name, "is required"));
    }

    <T> Optional<T> parse(String name, Parser<T> parser) throws ConfigException {
        Optional<String> value = optional(name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.parse(value.get()));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw error(name, e.getMessage());
        }
    }

    <T> T wrap(String names, Builder<T> builder) throws ConfigException {
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": parameters " + names + ": " + e.getMessage());
        }
    }

    Map<String, String> all() throws ConfigException {
        Map<String, String> all = new LinkedHashMap<>();
        for (String name : parameters.names()) {
            Optional<String> value = optional(name);
            if (value.isPresent() && !SECRET.contains(name)) {
                all.put(name, value.get());
            }
        }
        return all;
    }

    ConfigException error(String name, String problem) {
        // A settings rule names what it checks ("maxCooldown must be …"); the parameter is named once.
        String said = problem.startsWith(name + " ") ? problem.substring(name.length() + 1) : problem;
        // Where the value came from, so the user finds what to fix (an environment variable, a shared default).
        String origin = parameters.origin(name);
        return new ConfigException(where + ": parameter '" + name + "' " + (origin == null ? "" : "(" + origin + ") ")
                + said);
    }

    String routeName() {
        return routeName;
    }

    @FunctionalInterface
    interface Parser<T> {
        T parse(String value);
    }

    @FunctionalInterface
    interface Builder<T> {
        T build() throws ConfigException;
    }
}

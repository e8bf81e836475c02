package dev.keyfailover.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.keyfailover.settings.FallbackSettings;
import dev.keyfailover.settings.Require;

/**
 * Reads a route's {@code fallback}, {@code fallbackOn}, {@code fallbackModel}, {@code modelMap},
 * {@code breakerThreshold} and {@code breakerCooldown} (behaviour.md §18).
 */
final class FallbackConfig {

    private FallbackConfig() {
    }

    /**
     * @param routeName the route's own name, which its fallback list may not hold
     * @param providerType the route's {@code provider}, which tells its API family unless {@code apiFamily} does
     */
    static FallbackSettings read(ParameterReader reader, String routeName, String providerType)
            throws ConfigException {
        String family = reader.optional("apiFamily").map(value -> value.toLowerCase(java.util.Locale.ROOT))
                .orElse(apiFamily(reader, providerType));
        FallbackSettings defaults = FallbackSettings.none(family);
        List<String> routes = reader.parse("fallback", FallbackConfig::names).orElse(List.of());
        if (routes.contains(routeName)) {
            throw reader.error("fallback", "names this route itself");
        }
        Set<Integer> statuses = new HashSet<>();
        Set<String> codes = new HashSet<>();
        reader.parse("fallbackOn", value -> fallbackOn(value, statuses, codes));
        Map<String, String> modelMap = reader.parse("modelMap", FallbackConfig::modelMap).orElse(new LinkedHashMap<>());
        String model = reader.optional("fallbackModel").orElse(null);
        if (model != null) {
            if (modelMap.containsKey(FallbackSettings.ANY_MODEL)) {
                throw reader.error("fallbackModel", "and modelMap's '*' both rename every model: keep one");
            }
            modelMap.put(FallbackSettings.ANY_MODEL, model);
        }
        int threshold = reader.parse("breakerThreshold", Values::positiveInt).orElse(defaults.breakerThreshold());
        Duration cooldown = reader.parse("breakerCooldown", value -> Require.positive(Values.duration(value),
                "breakerCooldown")).orElse(defaults.breakerCooldown());
        return new FallbackSettings(family, routes, statuses, codes, modelMap, threshold, cooldown);
    }

    /** Providers whose requests have OpenAI's paths and bodies (after their base URL): one family. */
    private static final Set<String> OPENAI_PATHS = Set.of("openai", "groq", "mistral", "deepseek", "openrouter", "xai");

    /**
     * OpenAI and the presets that share its paths are {@code openai}; the generic provider is the
     * error shape it speaks; any other type (Anthropic, Gemini, Azure OpenAI, whose paths differ) its own.
     */
    private static String apiFamily(ParameterReader reader, String providerType) throws ConfigException {
        if (providerType.equals("generic")) {
            return reader.optional("errorFormat").orElse("openai").toLowerCase(java.util.Locale.ROOT);
        }
        return OPENAI_PATHS.contains(providerType) ? "openai" : providerType;
    }

    private static List<String> names(String value) {
        List<String> names = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank() && !names.contains(part.trim())) {
                names.add(part.trim());
            }
        }
        return names;
    }

    /** {@code 400,context_length_exceeded}: statuses (4xx, 5xx) and error types or codes. */
    private static Boolean fallbackOn(String value, Set<Integer> statuses, Set<String> codes) {
        for (String entry : names(value)) {
            if (entry.chars().allMatch(Character::isDigit)) {
                int status = Integer.parseInt(entry);
                if (status < 400 || status > 599) {
                    throw new IllegalArgumentException("'" + entry + "' is not a 4xx or 5xx status");
                }
                statuses.add(status);
            } else if (entry.matches("[A-Za-z0-9_.-]+")) {
                codes.add(entry);
            } else {
                throw new IllegalArgumentException("'" + entry + "' is neither a status nor an error code");
            }
        }
        return Boolean.TRUE;
    }

    /** {@code gpt-4o=gpt-4o-mini, *=gpt-4.1}: from=to pairs, {@code *} for any other model. */
    private static Map<String, String> modelMap(String value) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : value.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            String[] parts = pair.split("=", 2);
            if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
                throw new IllegalArgumentException("'" + pair.trim() + "' is not from=to");
            }
            map.put(parts[0].trim(), parts[1].trim());
        }
        return map;
    }
}

package dev.keyfailover.settings;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A route's fallback routes and when it turns to them (behaviour.md §18), and how it renames the
 * model when it serves as another route's fallback.
 *
 * @param apiFamily the API the route speaks ({@code openai}, {@code anthropic}, or a custom type's
 *     own): a fallback route must speak the same
 * @param routes the routes tried in order when this one cannot serve; empty: none
 * @param onStatuses answer statuses that send a request to the fallback ({@code fallbackOn})
 * @param onCodes error types or codes of an answer's body that do ({@code fallbackOn})
 * @param modelMap as a fallback, the model names this route uses instead of the client's
 *     ({@code modelMap}, {@code fallbackModel} as {@code *}); empty: the client's model
 * @param breakerThreshold failed requests in a row (each counted once) after which a (route,
 *     model) is skipped for {@code breakerCooldown} while a fallback exists
 * @param breakerCooldown how long an open breaker skips its (route, model) before one request probes it
 */
public record FallbackSettings(String apiFamily, List<String> routes, Set<Integer> onStatuses, Set<String> onCodes,
                               Map<String, String> modelMap, int breakerThreshold, Duration breakerCooldown) {

    /** Any model: the key of {@link #modelMap()} that renames every model not named otherwise. */
    public static final String ANY_MODEL = "*";

    public FallbackSettings {
        Objects.requireNonNull(apiFamily, "apiFamily");
        routes = List.copyOf(routes);
        onStatuses = Set.copyOf(onStatuses);
        onCodes = Set.copyOf(onCodes);
        modelMap = Map.copyOf(modelMap);
        Require.atLeastOne(breakerThreshold, "breakerThreshold", "request");
        Require.positive(breakerCooldown, "breakerCooldown");
    }

    /** No fallback, no renaming; a breaker of 5 requests and 10 s. */
    public static FallbackSettings none(String apiFamily) {
        return new FallbackSettings(apiFamily, List.of(), Set.of(), Set.of(), Map.of(), 5, Duration.ofSeconds(10));
    }

    /** The model this route asks its provider for when it serves as a fallback for {@code model}. */
    public String renamed(String model) {
        String to = model == null ? null : modelMap.get(model);
        return Objects.requireNonNullElse(to, modelMap.getOrDefault(ANY_MODEL, model));
    }
}

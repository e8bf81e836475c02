package dev.keyfailover.bench;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scenario 9's KeyFailoverServlet routes (candidate kind {@code keyfailover-faults}), each with one good key:
 * <ul>
 * <li>{@code /flaky/*} to the upstream's flaky path ({@link Faults}), no fallback;</li>
 * <li>{@code /flaky-fb/*} the same with the fallback route {@code healthy} and a breaker small enough to open and
 *     probe within the run;</li>
 * <li>{@code /healthy/*} to the upstream's healthy path: the fallback.</li>
 * </ul>
 * Both flaky routes set {@code retries} and a short {@code retryBackoff} (behaviour.md §18), so a run stays short; a
 * build without those parameters passes them to the provider, which ignores them.
 */
final class FaultRoutes {

    static final String RETRIES = "2";
    static final String RETRY_BACKOFF = "50ms";
    static final String BREAKER_THRESHOLD = "3";
    static final String BREAKER_COOLDOWN = "1s";

    private FaultRoutes() {
    }

    /** Route name to init-parameters, the fallback first; {@code common} holds provider, connections and such. */
    static Map<String, Map<String, String>> routes(String upstream, Map<String, String> common) {
        Map<String, Map<String, String>> routes = new LinkedHashMap<>();
        routes.put("healthy", route(common, upstream + "/healthy"));
        Map<String, String> flaky = route(common, upstream + "/flaky");
        flaky.put("retries", RETRIES);
        flaky.put("retryBackoff", RETRY_BACKOFF);
        routes.put("flaky", flaky);
        Map<String, String> withFallback = new HashMap<>(flaky);
        withFallback.put("fallback", "healthy");
        withFallback.put("breakerThreshold", BREAKER_THRESHOLD);
        withFallback.put("breakerCooldown", BREAKER_COOLDOWN);
        routes.put("flaky-fb", withFallback);
        return routes;
    }

    private static Map<String, String> route(Map<String, String> common, String baseUrl) {
        Map<String, String> parameters = new HashMap<>(common);
        parameters.put("baseUrl", baseUrl);
        parameters.put("keys", Candidate.GOOD_KEY);
        return parameters;
    }
}

package dev.keyfailover.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

/**
 * Scenario 10: two of three keys rate-limited for the whole run (the upstream answers them 429 with
 * {@code Retry-After: 30}), c = 16 closed-loop 1 KiB POSTs. KeyFailoverServlet (route {@code /c2}) and Portkey's
 * fallback over the same three keys; Jetty's ProxyServlet has no pool, so its client sends the first key and every
 * answer is the 429 passed through; direct with the good key is the baseline. Upstream attempts per answer, latency,
 * and the proxy's CPU per request.
 */
final class CoolingKeys implements WarmScenario {

    static final int CONCURRENCY = 16;
    static final String ROUTE = "/c2";

    private final Map<Target, JsonObject> byTarget = new LinkedHashMap<>();

    @Override
    public int number() {
        return 10;
    }

    @Override
    public List<Target> targets() {
        return Target.COOLING;
    }

    @Override
    public void measure(Endpoint endpoint, Lab lab) throws Exception {
        Options options = lab.options();
        Target target = endpoint.target();
        List<String> args = new ArrayList<>(switch (target.kind() == null ? "direct" : target.kind()) {
            case "keyfailover", "portkey" -> endpoint.loadArgsOnRoute(ROUTE, "none");
            case "jetty" -> endpoint.loadArgsOnRoute(target.prefix(), Candidate.COOLING_KEY_1, "expect=429");
            default -> endpoint.loadArgs();
        });
        args.addAll(List.of("mode=rps", "conc=" + CONCURRENCY, "warmup=" + options.warmupSeconds(),
                "duration=" + options.measureSeconds()));
        JsonObject before = endpoint.memory();
        JsonObject r = lab.loadCountingUpstream(target.name() + " s10", args);
        byTarget.put(target, ProxyCost.added(r, endpoint, before, endpoint.memory(), options));
    }

    @Override
    public Section results(Options options) {
        return new CoolingKeysResults(options.warmupSeconds(), options.measureSeconds(), byTarget);
    }
}

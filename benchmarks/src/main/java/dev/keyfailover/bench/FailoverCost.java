package dev.keyfailover.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

/**
 * Scenario 3: what a failed attempt costs. KeyFailoverServlet, and Portkey's fallback over the same keys, with 0, 1 and
 * 2 failing keys before the good one, against one direct 429 round trip; the upstream counts the attempts.
 */
final class FailoverCost implements WarmScenario {

    static final int MAX_FAILING_KEYS = 2;

    private JsonObject directGoodKey;
    private JsonObject directLimitedKey;
    private final Map<Target, JsonObject> otherProxies = new LinkedHashMap<>();
    private final Map<Integer, JsonObject> keyFailoverByFailingKeys = new LinkedHashMap<>();
    private final Map<Integer, JsonObject> portkeyByFailingKeys = new LinkedHashMap<>();

    @Override
    public int number() {
        return 3;
    }

    @Override
    public List<Target> targets() {
        return Target.FAILOVER;
    }

    @Override
    public void measure(Endpoint endpoint, Lab lab) throws Exception {
        Target target = endpoint.target();
        String label = target.name() + " s3 ";
        if (target.direct()) {
            directGoodKey = oneClient(lab, label + "200", endpoint, "", target.auth());
            directLimitedKey = oneClient(lab, label + "429", endpoint, "", Candidate.LIMITED_KEY_1, "expect=429");
        } else if (target == Target.KEYFAILOVER || target == Target.PORTKEY) {
            // Route /kN starts its pool with N rate-limited keys (Portkey: its fallback config lists the same keys).
            Map<Integer, JsonObject> byFailingKeys = target == Target.KEYFAILOVER ? keyFailoverByFailingKeys
                    : portkeyByFailingKeys;
            for (int failing = 0; failing <= MAX_FAILING_KEYS; failing++) {
                byFailingKeys.put(failing, oneClient(lab, label + "k" + failing, endpoint, "/k" + failing, "none"));
            }
        } else {
            otherProxies.put(target, oneClient(lab, label + "k0", endpoint, "/k0", target.auth()));
        }
    }

    /**
     * One client, requests 3 ms apart: the fake upstream's 429 says {@code retry-after-ms: 1}, so the proxy's cooldown
     * has passed and every request meets a fresh 429.
     */
    private static JsonObject oneClient(Lab lab, String label, Endpoint endpoint, String prefix, String auth,
            String... more) throws Exception {
        Options options = lab.options();
        List<String> args = new ArrayList<>(endpoint.loadArgsOnRoute(prefix, auth, "mode=rps", "conc=1", "think=3",
                "warmup=" + options.warmupSeconds(), "duration=" + (options.quick() ? 2 : 5)));
        args.addAll(List.of(more));
        return lab.loadCountingUpstream(label, args);
    }

    @Override
    public Section results(Options options) {
        return new FailoverCostResults(directGoodKey, directLimitedKey, otherProxies, keyFailoverByFailingKeys,
                portkeyByFailingKeys);
    }
}

package dev.keyfailover.bench;

import java.util.ArrayList;
import java.util.List;

import dev.keyfailover.bench.pool.ModelLimitsBench;
import jakarta.json.JsonObject;

/**
 * Scenario 6 (issue 10): rate limits per model, {@link ModelLimitsBench} in a child JVM once per client rate (60/s
 * and 76/s against a capacity of 80/s).
 */
final class ModelLimits implements Scenario {

    static final int[] RATES = {60, 76};

    @Override
    public int number() {
        return 6;
    }

    @Override
    public Section measure(Lab lab) throws Exception {
        int requests = lab.options().quick() ? 300 : 1000;
        List<JsonObject> runs = new ArrayList<>();
        for (int rate : RATES) {
            runs.add(ChildJvm.run(lab, "s6-model-limits-" + rate, List.of("-Xmx512m", "-XX:+UseG1GC"),
                    ModelLimitsBench.class, List.of("--requests=" + requests, "--rate=" + rate), 600));
        }
        return new ModelLimitsResults(runs);
    }
}

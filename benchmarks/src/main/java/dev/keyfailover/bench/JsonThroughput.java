package dev.keyfailover.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;

/** Scenario 1: 1 KiB JSON POSTs in a closed loop at several concurrencies; throughput, latency, proxy CPU and allocation. */
final class JsonThroughput implements WarmScenario {

    static final List<Integer> CONCURRENCIES = List.of(1, 16, 64);

    private final Map<Integer, Map<Target, JsonObject>> byConcurrency = new LinkedHashMap<>();

    @Override
    public int number() {
        return 1;
    }

    @Override
    public List<Target> targets() {
        return Target.THROUGHPUT;
    }

    @Override
    public void measure(Endpoint endpoint, Lab lab) throws Exception {
        for (int c : CONCURRENCIES) {
            byConcurrency.computeIfAbsent(c, k -> new LinkedHashMap<>()).put(endpoint.target(),
                    cell(lab, endpoint, c, endpoint.target().name() + " s1 c=" + c));
        }
    }

    /** One cell: {@code c} connections against {@code endpoint}, with the proxy's cost per request ({@link ProxyCost}). */
    static JsonObject cell(Lab lab, Endpoint endpoint, int c, String label) throws Exception {
        Options options = lab.options();
        JsonObject before = endpoint.memory();
        JsonObject r = lab.load(label, endpoint.loadArgs("mode=rps", "conc=" + c, "warmup=" + options.warmupSeconds(),
                "duration=" + options.measureSeconds()));
        return ProxyCost.added(r, endpoint, before, endpoint.memory(), options);
    }

    @Override
    public Section results(Options options) {
        return new JsonThroughputResults(options.warmupSeconds(), options.measureSeconds(), byConcurrency);
    }
}

package dev.keyfailover.bench;

import static dev.keyfailover.bench.JsonResults.num;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

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
        Options options = lab.options();
        for (int c : CONCURRENCIES) {
            JsonObject before = endpoint.memory();
            JsonObject r = lab.load(endpoint.target().name() + " s1 c=" + c, endpoint.loadArgs("mode=rps",
                    "conc=" + c, "warmup=" + options.warmupSeconds(), "duration=" + options.measureSeconds()));
            JsonObject after = endpoint.memory();
            // Requests over the whole run (warm-up included), to divide the CPU the proxy JVM used.
            double requests = num(r, "rps") * (options.warmupSeconds() + options.measureSeconds());
            if (endpoint.candidate() != null && requests > 0) {
                JsonObjectBuilder with = Json.createObjectBuilder(r)
                        .add("cpuUsPerRequest", (num(after, "cpuNanos") - num(before, "cpuNanos")) / 1000 / requests);
                if (after.containsKey("allocatedBytes")) { // a JVM's figure; Portkey's Node process has none
                    with.add("allocKiBPerRequest",
                            (num(after, "allocatedBytes") - num(before, "allocatedBytes")) / 1024 / requests);
                }
                r = with.build();
            }
            byConcurrency.computeIfAbsent(c, k -> new LinkedHashMap<>()).put(endpoint.target(), r);
        }
    }

    @Override
    public Section results(Options options) {
        return new JsonThroughputResults(options.warmupSeconds(), options.measureSeconds(), byConcurrency);
    }
}

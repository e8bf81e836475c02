package dev.keyfailover.bench;

import static dev.keyfailover.bench.JsonResults.num;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * The proxy's CPU and allocation per request over one closed-loop load-generator run, computed one way for every
 * scenario that reports them (1, 10 and 11): the candidate process's figures ({@link ProxyProcess#memory()}) read
 * before and after the run, their difference divided by the run's requests.
 */
final class ProxyCost {

    private ProxyCost() {
    }

    /** {@code r} with {@code cpuUsPerRequest} and, for a JVM, {@code allocKiBPerRequest} added; as it is for direct. */
    static JsonObject added(JsonObject r, Endpoint endpoint, JsonObject before, JsonObject after, Options options) {
        // Requests over the whole run (warm-up included): the process's figures cover the warm-up too.
        double requests = num(r, "rps") * (options.warmupSeconds() + options.measureSeconds());
        if (endpoint.candidate() == null || !(requests > 0)) {
            return r;
        }
        JsonObjectBuilder with = Json.createObjectBuilder(r)
                .add("cpuUsPerRequest", (num(after, "cpuNanos") - num(before, "cpuNanos")) / 1000 / requests);
        if (after.containsKey("allocatedBytes")) { // a JVM's figure; Portkey's Node process has none
            with.add("allocKiBPerRequest",
                    (num(after, "allocatedBytes") - num(before, "allocatedBytes")) / 1024 / requests);
        }
        return with.build();
    }
}
